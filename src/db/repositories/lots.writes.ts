import { and, asc, eq, getTableColumns, inArray, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import type { LotRow } from "./lots.js";
import { depots, lotConditionChanges, lots, testRuns } from "../schema/index.js";
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
  const [row] = await db.insert(lots).values(lot).returning();
  return row!;
}

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
