import { and, asc, eq, getTableColumns, inArray, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys, rowsOf } from "../keys.js";
import { lotAvailable, lotFefoOrder } from "./lotPredicates.js";
import type { LotRow } from "./lots.js";
import { runStatement, shapedStatement, TableRows } from "../statements.js";
import { depots, lotConditionChanges, lots, testRuns } from "../schema/index.js";
import type { CalendarDate } from "../../domain/shared/calendar.js";
import { formatQuantity, fromDb, type Quantity } from "../../domain/shared/quantity.js";
import type { LotCondition } from "../../domain/stock/lot.js";

/** The columns a receipt works out itself (identity, place, dates, condition, balances); the rest describe the goods. */
const SET_BY_RECEIPT = [
  "countyId",
  "id",
  "depotId",
  "itemId",
  "lotCode",
  "receivedOn",
  "expiresOn",
  "condition",
  "serialNumber",
  "lastTestRunOn",
  "onHand",
  "allocated",
  "createdAt",
] as const satisfies readonly (keyof typeof lots.$inferSelect)[];

/**
 * What the receiver says about the goods beyond what a receipt works out: every other column of lots. A column added
 * to lots joins it, so the receipt takes it from its input without the use case naming it (and insertLotCopy
 * carries it on every move).
 */
export type LotDescription = Omit<typeof lots.$inferInsert, (typeof SET_BY_RECEIPT)[number]>;

const DESCRIPTION_COLUMNS = Object.keys(getTableColumns(lots)).filter(
  (c) => !(SET_BY_RECEIPT as readonly string[]).includes(c),
);

/** The lot description among an input's properties; anything else in the input is left out. */
export function lotDescriptionOf(input: LotDescription): LotDescription {
  const given = input as Record<string, unknown>;
  return Object.fromEntries(
    DESCRIPTION_COLUMNS.filter((c) => given[c] !== undefined).map((c) => [c, given[c]]),
  ) as LotDescription;
}

export async function insertLot(
  db: Executor,
  lot: Omit<typeof lots.$inferInsert, "id" | "createdAt">,
): Promise<LotRow> {
  const { keys, values } = lotRows.given(lot);
  const [row] = rowsOf<Record<string, unknown>>(await runStatement(db, lotRows.insertText(keys), values));
  return lotRows.decode(row!);
}

// every receipt makes a lot: written once per shape, not built by drizzle on every call
const lotRows = new TableRows(lots);

/** Locks lots for a decision, always in id order so concurrent commands cannot deadlock. */
export function lockLots(db: Executor, keys: readonly CountyKey[]): Promise<LotRow[]> {
  return db
    .select()
    .from(lots)
    .where(inKeys(lots.countyId, lots.id, keys))
    .orderBy(asc(lots.id))
    .for("update");
}

/** A lot a pick hands back, as it was locked, with its figures on the day. */
export interface PickedLot {
  lot: LotRow;
  /** What of it can be taken on the day: its free stock if it is usable, else nothing (`availableOf`). */
  available: Quantity;
  /** What the pick takes of it: its first-expiry-first-out share; of a named lot, up to what was asked. */
  taken: Quantity;
}

export interface DepotItemPick {
  /**
   * First-expiry-first-out: the lots that give, in the order they give, until the quantity is met or usable stock
   * runs out. A named lot: that lot alone, if it is one of this item at this depot.
   */
  lots: PickedLot[];
  /** Available over every locked lot: what the reserve floor is judged on and a shortfall names. */
  usable: Quantity;
  /** On hand over every locked lot: what a client's changeFromQuantity is compared with. */
  onHand: Quantity;
}

/**
 * Locks the lots of one item at one depot that hold stock (the candidates of a first-expiry-first-out pick), and
 * the named lot whatever it holds, in id order so concurrent commands cannot deadlock; and in the same statement
 * picks from them: a running sum in first-expiry-first-out order of what each usable lot has available says what
 * each gives, so only the lots that give travel back, not every candidate. Emptied lots stay on the books for
 * ever; they can give nothing, so they are neither read nor locked. The rules are lotPredicates.ts's;
 * test/fefoPick.test.ts holds the pick equal to `pickFefo`.
 */
export async function pickDepotItemLots(
  db: Executor,
  depot: CountyKey,
  itemId: number,
  quantity: Quantity,
  asOf: CalendarDate,
  namedLotId: number | null = null,
): Promise<DepotItemPick> {
  const values = {
    countyId: depot.countyId,
    depotId: depot.id,
    itemId,
    wanted: formatQuantity(quantity),
    asOf,
    namedLotId,
  };
  const pick = namedLotId === null ? pickFefo : pickNamed;
  const rows = rowsOf<Record<string, unknown>>(await pick(db, values));
  // one row at least, the totals; each lot that gives adds its own row, beside the same totals
  const [first] = rows as [Record<string, unknown>];
  return {
    lots: rows
      .filter((r) => r.id !== null)
      .map((r) => ({
        lot: lotRows.decode(r),
        available: fromDb(r.lot_available as string),
        taken: fromDb(r.lot_taken as string),
      })),
    usable: fromDb(first.total_usable as string),
    onHand: fromDb(first.total_on_hand as string),
  };
}

/**
 * The pick, written once per shape (first-expiry-first-out, or a named lot) from the lot rules' own fragments, with
 * placeholders where each call's values go.
 */
function pickStatement(named: boolean): SQL {
  const value = (name: string) => sql.placeholder(name);
  const wanted = sql`${value("wanted")}::numeric`;
  const asOf = value("asOf");
  const namedLot = sql`${value("namedLotId")}::bigint`;
  const candidate = named ? sql`(l.on_hand > 0 or l.id = ${namedLot})` : sql`l.on_hand > 0`;
  const picked = named
    ? sql`select l.*, least(l.available, ${wanted}) as taken from figures l where l.id = ${namedLot}`
    : sql`select l.*, least(l.available, ${wanted} - l.before) as taken from ranked l where l.before < ${wanted}`;
  // materialized: the lock is taken on exactly these rows, in id order; the totals read every one of them, so every
  // candidate is locked, as the floor and changeFromQuantity judged on them need, not only the lots that give
  return sql`
    with locked as materialized (
      select * from ${lots} l
       where l.county_id = ${value("countyId")}::bigint and l.depot_id = ${value("depotId")}::bigint
         and l.item_id = ${value("itemId")}::bigint and ${candidate}
       order by l.id
         for update),
    figures as (
      select l.*, ${lotAvailable("l", asOf)} as available
        from locked l),
    ranked as (
      select l.*, sum(l.available) over (order by ${lotFefoOrder("l")} rows unbounded preceding) - l.available
                  as before
        from figures l where l.available > 0),
    picked as (${picked}),
    totals as (select coalesce(sum(available), 0) as usable, coalesce(sum(on_hand), 0) as on_hand from figures)
    select t.usable::text as total_usable, t.on_hand::text as total_on_hand,
           l.available::text as lot_available, l.taken::text as lot_taken, l.*
      from totals t left join picked l on true
     order by ${lotFefoOrder("l")}`;
}

const pickFefo = shapedStatement(() => pickStatement(false));
const pickNamed = shapedStatement(() => pickStatement(true));

export function lockDepotLots(db: Executor, depot: CountyKey): Promise<LotRow[]> {
  return db
    .select()
    .from(lots)
    .where(and(eq(lots.countyId, depot.countyId), eq(lots.depotId, depot.id)))
    .orderBy(asc(lots.id))
    .for("update");
}

/**
 * The lender's candidate lots for some items, locked in id order: a township lends from its own subtree, the
 * county from its county-level depots. Agreement reserves are a distributor's stock and are called up, not lent.
 */
export function lockLenderLots(
  db: Executor,
  supplier: CountyKey,
  supplierIsCounty: boolean,
  itemIds: readonly number[],
) {
  const where: SQL = supplierIsCounty
    ? sql`${depots.regionId} = ${supplier.id}`
    : sql`${depots.regionId} in (select descendant_id from region_paths where county_id = ${supplier.countyId} and ancestor_id = ${supplier.id})`;
  return db
    .select({ lot: lots, depotKind: depots.kind, depotCode: depots.code, depotRegionId: depots.regionId })
    .from(lots)
    .innerJoin(depots, and(eq(depots.countyId, lots.countyId), eq(depots.id, lots.depotId)))
    .where(
      and(
        eq(lots.countyId, supplier.countyId),
        inArray(lots.itemId, [...itemIds]),
        sql`${depots.kind} <> 'AGREEMENT_RESERVE'`,
        where,
      ),
    )
    .orderBy(asc(lots.id))
    .for("update", { of: lots });
}

export async function setLotCondition(db: Executor, lot: CountyKey, condition: LotCondition): Promise<void> {
  await db
    .update(lots)
    .set({ condition })
    .where(inKeys(lots.countyId, lots.id, [lot]));
}

export async function recordConditionChange(
  db: Executor,
  change: Omit<typeof lotConditionChanges.$inferInsert, "id" | "recordedAt">,
): Promise<void> {
  await db.insert(lotConditionChanges).values(change);
}

export async function recordTestRun(
  db: Executor,
  run: Omit<typeof testRuns.$inferInsert, "id" | "recordedAt">,
): Promise<typeof testRuns.$inferSelect> {
  const [row] = await db.insert(testRuns).values(run).returning();
  await db
    .update(lots)
    .set({ lastTestRunOn: sql`greatest(${lots.lastTestRunOn}, ${run.performedOn}::date)` })
    .where(inKeys(lots.countyId, lots.id, [{ countyId: run.countyId, id: run.lotId }]));
  return row!;
}
