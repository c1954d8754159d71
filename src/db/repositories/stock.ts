import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { CalendarDate } from "../../domain/shared/calendar.js";
import type { LotCondition } from "../../domain/stock/lot.js";
import type {
  IssuePurpose,
  MovementKind,
  ReceiptSource,
  WriteOffCause,
} from "../../domain/stock/movement.js";
import type { Executor } from "../client.js";
import { bigintArray, type CountyKey, inKeys, keyRows, rowsOf } from "../keys.js";
import { noteLedgerLine } from "../ledgerTally.js";
import type { ReadScope } from "../../domain/custody/policy.js";
import { depots, lotConditionChanges, lots, movements, stockLevels, testRuns } from "../schema/index.js";
import { namedSums } from "./lotPredicates.js";
import { depotInScope } from "./scope.js";

export type LotRow = typeof lots.$inferSelect;
export type MovementRow = typeof movements.$inferSelect;

export async function insertLot(
  db: Executor,
  lot: Omit<typeof lots.$inferInsert, "id" | "createdAt">,
): Promise<LotRow> {
  const [row] = await db.insert(lots).values(lot).returning();
  return row!;
}

export interface NewMovement {
  countyId: number;
  depotId: number;
  lotId: number;
  itemId: number;
  kind: MovementKind;
  /** Signed decimal text. */
  quantity: string;
  actorId: number;
  occurredAt: Date;
  /** The app's clock, like every other recorded instant, so "before" and "after" compare on one clock. */
  recordedAt: Date;
  reason: string;
  reference?: string;
  source?: ReceiptSource | null;
  recipient?: string | null;
  purpose?: IssuePurpose | null;
  writeOffCause?: WriteOffCause | null;
  reversesId?: number | null;
  requisitionId?: number | null;
  stockTakeId?: number | null;
  releaseOrderNo?: string | null;
}

/**
 * Appends one ledger line and moves the lot's and the depot-item's balances by the same amount, so balances
 * equal the ledger by construction. Must run inside the caller's transaction. The ledger has no update.
 */
/**
 * A ledger line with its lot and its depot-item balance moved in the same statement: one round trip per line,
 * and the three can never be written apart. A deduction updates the existing balance: an upsert would first test
 * its candidate row (a negative on-hand) against the CHECK constraint and fail.
 */
export async function appendMovement(db: Executor, m: NewMovement): Promise<MovementRow> {
  const lotMoved = db.$with("lot_moved", { id: sql<number>`id` }).as(sql`
    update ${lots} set on_hand = on_hand + ${m.quantity}::numeric
     where county_id = ${m.countyId}::bigint and id = ${m.lotId}::bigint returning id`);
  const levelMoved = db.$with("level_moved", { itemId: sql<number>`item_id` }).as(
    m.quantity.startsWith("-")
      ? sql`
    update ${stockLevels} set on_hand = on_hand + ${m.quantity}::numeric, updated_at = now()
     where county_id = ${m.countyId}::bigint and depot_id = ${m.depotId}::bigint and item_id = ${m.itemId}::bigint
     returning item_id`
      : sql`
    insert into ${stockLevels} (county_id, depot_id, item_id, on_hand)
    values (${m.countyId}::bigint, ${m.depotId}::bigint, ${m.itemId}::bigint, ${m.quantity}::numeric)
    on conflict (county_id, depot_id, item_id)
    do update set on_hand = ${stockLevels}.on_hand + excluded.on_hand, updated_at = now()
    returning item_id`,
  );
  const [row] = await db.with(lotMoved, levelMoved).insert(movements).values(m).returning();
  noteLedgerLine(m.kind);
  return row!;
}

export interface DepotItemStock {
  countyId: number;
  depotId: number;
  itemId: number;
  onHand: string;
  allocated: string;
  quarantined: string;
  damaged: string;
  expired: string;
  usable: string;
  reserveFloor: string;
  inTransit: string;
}

/** One item at one depot. */
export interface DepotItemKey {
  countyId: number;
  depotId: number;
  itemId: number;
}

/** Dispatched, unreleased allocations on requisitions in transit, from the three tables `r`, `rl`, `a`. */
const IN_TRANSIT_JOIN = sql`requisitions r
      join requisition_lines rl on rl.county_id = r.county_id and rl.requisition_id = r.id
      join allocations a on a.county_id = rl.county_id and a.requisition_line_id = rl.id`;
const IN_TRANSIT_WHERE = sql`r.status = 'IN_TRANSIT' and a.dispatched_at is not null and a.released_at is null`;

/**
 * Per (depot, item), what is on the way to the depots of a CTE named `wanted`, found from the destination index:
 * few requisitions per depot.
 */
const INCOMING_TO_WANTED = sql`
      select r.county_id, r.destination_depot_id as depot_id, rl.item_id, sum(a.quantity) as in_transit
      from ${IN_TRANSIT_JOIN}
      where ${IN_TRANSIT_WHERE}
        and (r.county_id, r.destination_depot_id) in (select county_id, depot_id from wanted)
      group by 1, 2, 3`;

const STOCK_COLUMNS = sql`
           coalesce(t.on_hand, 0)::text as on_hand, coalesce(t.allocated, 0)::text as allocated,
           coalesce(t.quarantined, 0)::text as quarantined, coalesce(t.damaged, 0)::text as damaged,
           coalesce(t.expired, 0)::text as expired, coalesce(t.usable, 0)::text as usable,
           coalesce(s.reserve_floor, 0)::text as reserve_floor, coalesce(i.in_transit, 0)::text as in_transit`;

const toStock = (r: Record<string, string>): DepotItemStock => ({
  countyId: Number(r.county_id),
  depotId: Number(r.depot_id),
  itemId: Number(r.item_id),
  onHand: r.on_hand!,
  allocated: r.allocated!,
  quarantined: r.quarantined!,
  damaged: r.damaged!,
  expired: r.expired!,
  usable: r.usable!,
  reserveFloor: r.reserve_floor!,
  inTransit: r.in_transit!,
});

/**
 * Named quantities per depot and item on a given day, for many depots in one statement: every item a depot holds,
 * expects or keeps a floor of.
 */
export async function stockByDepots(
  db: Executor,
  depotKeys: readonly CountyKey[],
  asOf: CalendarDate,
): Promise<DepotItemStock[]> {
  if (depotKeys.length === 0) return [];
  const result = await db.execute(sql`
    with wanted(county_id, depot_id) as (${keyRows(depotKeys)}),
    lot_totals as (
      select l.county_id, l.depot_id, l.item_id, ${namedSums("l", asOf)}
      from lots l
      where (l.county_id, l.depot_id) in (select county_id, depot_id from wanted)
      group by l.county_id, l.depot_id, l.item_id
    ),
    incoming as (${INCOMING_TO_WANTED}),
    -- an item shows when the depot holds it, expects it, or keeps a floor of it (a norm before the stock arrives)
    keys as (
      select county_id, depot_id, item_id from lot_totals
      union select county_id, depot_id, item_id from incoming
      union select county_id, depot_id, item_id from stock_levels
       where (county_id, depot_id) in (select county_id, depot_id from wanted) and reserve_floor > 0
    )
    select k.county_id::text as county_id, k.depot_id::text as depot_id, k.item_id::text as item_id,
           ${STOCK_COLUMNS}
    from keys k
    left join lot_totals t on t.county_id = k.county_id and t.depot_id = k.depot_id and t.item_id = k.item_id
    left join incoming i on i.county_id = k.county_id and i.depot_id = k.depot_id and i.item_id = k.item_id
    left join stock_levels s on s.county_id = k.county_id and s.depot_id = k.depot_id and s.item_id = k.item_id
    order by k.depot_id, k.item_id`);
  return rowsOf<Record<string, string>>(result).map(toStock);
}

/**
 * The same quantities for chosen items at chosen depots, one row per pair asked (zeros where nothing is
 * recorded). Each pair is summed on its own through the (depot, item) indexes: a page of lots stays a few index
 * probes however large its depot.
 */
export async function stockByDepotItems(
  db: Executor,
  keys: readonly DepotItemKey[],
  asOf: CalendarDate,
): Promise<DepotItemStock[]> {
  if (keys.length === 0) return [];
  const column = (of: (k: DepotItemKey) => number) => bigintArray(keys.map(of));
  const result = await db.execute(sql`
    with wanted(county_id, depot_id, item_id) as (
      select * from unnest(${column((k) => k.countyId)}, ${column((k) => k.depotId)}, ${column((k) => k.itemId)})),
    incoming as (${INCOMING_TO_WANTED})
    select w.county_id::text as county_id, w.depot_id::text as depot_id, w.item_id::text as item_id,
           ${STOCK_COLUMNS}
    from wanted w
    cross join lateral (
      select ${namedSums("l", asOf)} from lots l
       where l.county_id = w.county_id and l.depot_id = w.depot_id and l.item_id = w.item_id) t
    left join incoming i on i.county_id = w.county_id and i.depot_id = w.depot_id and i.item_id = w.item_id
    left join stock_levels s on s.county_id = w.county_id and s.depot_id = w.depot_id and s.item_id = w.item_id`);
  return rowsOf<Record<string, string>>(result).map(toStock);
}

/** Lots by key, limited to depots the scope may read; others are as absent as missing ones. */
export async function findVisibleLotsByKeys(
  db: Executor,
  scope: ReadScope,
  keys: readonly CountyKey[],
): Promise<LotRow[]> {
  const rows = await db
    .select({ lot: lots })
    .from(lots)
    .innerJoin(depots, and(eq(depots.countyId, lots.countyId), eq(depots.id, lots.depotId)))
    .where(and(inKeys(lots.countyId, lots.id, keys), depotInScope(scope, depots)));
  return rows.map((r) => r.lot);
}

/**
 * Locks the depot-item balances a command will move, in (county, depot, item) order, before it writes any ledger
 * line: appendMovement would otherwise lock them line by line, in whatever order the lines come, and two
 * commands that cross (A's rock then sand, B's sand then rock) would wait on each other. A balance not yet on the
 * books is created at zero first, so it can be locked too; the transaction's own lines then move it. Lots are
 * locked before balances (lockLots), by every command.
 */
export async function lockStockLevels(db: Executor, keys: readonly DepotItemKey[]): Promise<void> {
  const seen = new Map(keys.map((k) => [`${k.countyId}:${k.depotId}:${k.itemId}`, k]));
  const sorted = [...seen.values()].sort(
    (a, b) => a.countyId - b.countyId || a.depotId - b.depotId || a.itemId - b.itemId,
  );
  if (sorted.length === 0) return;
  const column = (of: (k: DepotItemKey) => number) => bigintArray(sorted.map(of));
  const wanted = sql`select * from unnest(${column((k) => k.countyId)}, ${column((k) => k.depotId)},
    ${column((k) => k.itemId)}) as w(county_id, depot_id, item_id)`;
  await db.execute(sql`
    insert into ${stockLevels} (county_id, depot_id, item_id, on_hand)
    select county_id, depot_id, item_id, 0 from (${wanted}) w order by 1, 2, 3
    on conflict (county_id, depot_id, item_id) do nothing`);
  await db.execute(sql`
    select 1 from ${stockLevels} s
     where (s.county_id, s.depot_id, s.item_id) in (${wanted})
     order by s.county_id, s.depot_id, s.item_id
     for update of s`);
}

/** The depot-item balances the lots belong to. */
export const levelsOf = (
  rows: readonly { countyId: number; depotId: number; itemId: number }[],
): DepotItemKey[] => rows.map((l) => ({ countyId: l.countyId, depotId: l.depotId, itemId: l.itemId }));

/** Locks lots for a decision, always in id order so concurrent commands cannot deadlock. */
export function lockLots(db: Executor, keys: readonly CountyKey[]): Promise<LotRow[]> {
  return db
    .select()
    .from(lots)
    .where(inKeys(lots.countyId, lots.id, keys))
    .orderBy(asc(lots.id))
    .for("update");
}

/**
 * Locks the lots of one item at one depot that hold stock (the candidates of a first-expiry-first-out pick), and
 * the named lot whatever it holds. Emptied lots stay on the books for ever; they can give nothing, so they are
 * neither read nor locked.
 */
export function lockDepotItemLots(
  db: Executor,
  depot: CountyKey,
  itemId: number,
  namedLotId: number | null = null,
): Promise<LotRow[]> {
  return db
    .select()
    .from(lots)
    .where(
      and(
        eq(lots.countyId, depot.countyId),
        eq(lots.depotId, depot.id),
        eq(lots.itemId, itemId),
        namedLotId === null
          ? sql`${lots.onHand} > 0`
          : sql`(${lots.onHand} > 0 or ${lots.id} = ${namedLotId})`,
      ),
    )
    .orderBy(asc(lots.id))
    .for("update");
}

export async function findStockLevel(db: Executor, depot: CountyKey, itemId: number) {
  const [row] = await db
    .select()
    .from(stockLevels)
    .where(
      and(
        eq(stockLevels.countyId, depot.countyId),
        eq(stockLevels.depotId, depot.id),
        eq(stockLevels.itemId, itemId),
      ),
    );
  return row ?? null;
}

/** A lot's ledger in the order things happened, for backdating checks. */
export function ledgerOfLot(
  db: Executor,
  lot: CountyKey,
): Promise<{ id: number; occurredAt: Date; quantity: string }[]> {
  return db
    .select({ id: movements.id, occurredAt: movements.occurredAt, quantity: movements.quantity })
    .from(movements)
    .where(and(eq(movements.countyId, lot.countyId), eq(movements.lotId, lot.id)))
    .orderBy(asc(movements.occurredAt), asc(movements.id));
}

export async function findMovement(db: Executor, key: CountyKey): Promise<MovementRow | null> {
  const [row] = await db
    .select()
    .from(movements)
    .where(inKeys(movements.countyId, movements.id, [key]));
  return row ?? null;
}

export async function isReversed(db: Executor, key: CountyKey): Promise<boolean> {
  const rows = await db
    .select({ id: movements.id })
    .from(movements)
    .where(and(eq(movements.countyId, key.countyId), eq(movements.reversesId, key.id)))
    .limit(1);
  return rows.length > 0;
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

export async function serialNumbersTaken(
  db: Executor,
  countyId: number,
  itemId: number,
  serials: readonly string[],
): Promise<string[]> {
  if (serials.length === 0) return [];
  // a unit is on the books while a lot holds it or it is on the road; an emptied lot only keeps the number on record
  const rows = await db
    .select({ serial: lots.serialNumber })
    .from(lots)
    .where(
      and(
        eq(lots.countyId, countyId),
        eq(lots.itemId, itemId),
        inArray(lots.serialNumber, [...serials]),
        sql`(${lots.onHand} > 0 or exists (select 1 from allocations a where a.county_id = ${lots.countyId}
              and a.lot_id = ${lots.id} and a.dispatched_at is not null and a.released_at is null))`,
      ),
    );
  return [...new Set(rows.map((r) => r.serial!))];
}

export function lockDepotLots(db: Executor, depot: CountyKey): Promise<LotRow[]> {
  return db
    .select()
    .from(lots)
    .where(and(eq(lots.countyId, depot.countyId), eq(lots.depotId, depot.id)))
    .orderBy(asc(lots.id))
    .for("update");
}

export function findLotsByKeys(db: Executor, keys: readonly CountyKey[]): Promise<LotRow[]> {
  return db
    .select()
    .from(lots)
    .where(inKeys(lots.countyId, lots.id, keys));
}
