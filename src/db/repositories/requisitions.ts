import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { RequisitionStatus } from "../../domain/requisition/requisition.js";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import { levelsOf, lockStockLevels } from "./stock.js";
import {
  allocations,
  depots,
  type discrepancies,
  loans,
  lots,
  requisitionApprovals,
  requisitionEvents,
  requisitionLines,
  requisitions,
  stockLevels,
} from "../schema/index.js";

export type RequisitionRow = typeof requisitions.$inferSelect;
export type LineRow = typeof requisitionLines.$inferSelect;
export type AllocationRow = typeof allocations.$inferSelect;
export type ApprovalRow = typeof requisitionApprovals.$inferSelect;
export type EventRow = typeof requisitionEvents.$inferSelect;
export type DiscrepancyRow = typeof discrepancies.$inferSelect;
export type LoanRow = typeof loans.$inferSelect;

export async function insert(
  db: Executor,
  r: Omit<typeof requisitions.$inferInsert, "id">,
  lines: { itemId: number; requestedQuantity: string }[],
): Promise<RequisitionRow> {
  const [row] = await db.insert(requisitions).values(r).returning();
  await db
    .insert(requisitionLines)
    .values(lines.map((l) => ({ countyId: row!.countyId, requisitionId: row!.id, ...l })));
  return row!;
}

export async function update(
  db: Executor,
  key: CountyKey,
  set: Partial<Omit<typeof requisitions.$inferInsert, "id" | "countyId">>,
): Promise<RequisitionRow> {
  const [row] = await db
    .update(requisitions)
    .set(set)
    .where(inKeys(requisitions.countyId, requisitions.id, [key]))
    .returning();
  return row!;
}

export async function recordEvent(
  db: Executor,
  e: Omit<typeof requisitionEvents.$inferInsert, "id">,
): Promise<void> {
  await db.insert(requisitionEvents).values(e);
}

export async function recordApproval(
  db: Executor,
  a: Omit<typeof requisitionApprovals.$inferInsert, "id">,
): Promise<void> {
  await db.insert(requisitionApprovals).values(a);
}

/** The county requests these requisitions became by escalation (at most one each). */
export function escalationsOf(db: Executor, keys: readonly CountyKey[]): Promise<RequisitionRow[]> {
  return db
    .select()
    .from(requisitions)
    .where(inKeys(requisitions.countyId, requisitions.escalatedFromId, keys));
}

/** Return legs carrying rejected stock of these requisitions back to their lenders. */
export function returnLegsOf(db: Executor, keys: readonly CountyKey[]): Promise<RequisitionRow[]> {
  return db
    .select()
    .from(requisitions)
    .where(inKeys(requisitions.countyId, requisitions.returnOfId, keys))
    .orderBy(asc(requisitions.id));
}

export function linesOf(db: Executor, keys: readonly CountyKey[]): Promise<LineRow[]> {
  return db
    .select()
    .from(requisitionLines)
    .where(inKeys(requisitionLines.countyId, requisitionLines.requisitionId, keys))
    .orderBy(asc(requisitionLines.id));
}

export function approvalsOf(db: Executor, keys: readonly CountyKey[]): Promise<ApprovalRow[]> {
  return db
    .select()
    .from(requisitionApprovals)
    .where(inKeys(requisitionApprovals.countyId, requisitionApprovals.requisitionId, keys))
    .orderBy(asc(requisitionApprovals.id));
}

export function eventsOf(db: Executor, keys: readonly CountyKey[]): Promise<EventRow[]> {
  return db
    .select()
    .from(requisitionEvents)
    .where(inKeys(requisitionEvents.countyId, requisitionEvents.requisitionId, keys))
    .orderBy(asc(requisitionEvents.id));
}

/** Allocations of the given lines, in the order they were chosen (nearest depot, earliest expiry first). */
export function allocationsOf(db: Executor, lineKeys: readonly CountyKey[]): Promise<AllocationRow[]> {
  return db
    .select()
    .from(allocations)
    .where(inKeys(allocations.countyId, allocations.requisitionLineId, lineKeys))
    .orderBy(asc(allocations.id));
}

export function loansOf(db: Executor, lineKeys: readonly CountyKey[]): Promise<LoanRow[]> {
  return db
    .select()
    .from(loans)
    .where(inKeys(loans.countyId, loans.requisitionLineId, lineKeys))
    .orderBy(asc(loans.id));
}

export async function updateLine(
  db: Executor,
  key: CountyKey,
  set: Partial<
    Pick<LineRow, "approvedQuantity" | "dispatchedQuantity" | "acceptedQuantity" | "returnedQuantity">
  >,
): Promise<void> {
  await db
    .update(requisitionLines)
    .set(set)
    .where(inKeys(requisitionLines.countyId, requisitionLines.id, [key]));
}

/**
 * Holds lots for approved lines: the allocation rows and each lot's and depot-item's `allocated` in one go, so
 * allocated stock is never usable by anyone else.
 */
export async function hold(
  db: Executor,
  countyId: number,
  picks: readonly {
    lineId: number;
    lotId: number;
    depotId: number;
    itemId: number;
    quantity: string;
    floorUsed: string;
  }[],
): Promise<void> {
  if (picks.length === 0) return;
  await db.insert(allocations).values(
    picks.map((p) => ({
      countyId,
      requisitionLineId: p.lineId,
      lotId: p.lotId,
      quantity: p.quantity,
      floorUsed: p.floorUsed,
    })),
  );
  await lockStockLevels(
    db,
    picks.map((p) => ({ countyId, depotId: p.depotId, itemId: p.itemId })),
  );
  for (const p of picks) await moveAllocated(db, countyId, p, p.quantity);
}

/** Gives held stock back to the lender (a cancelled request). */
export async function release(
  db: Executor,
  countyId: number,
  rows: readonly AllocationRow[],
  at: Date,
): Promise<void> {
  if (rows.length === 0) return;
  const held = await db
    .select()
    .from(lots)
    .where(
      inKeys(
        lots.countyId,
        lots.id,
        rows.map((a) => ({ countyId, id: a.lotId })),
      ),
    );
  const lotById = new Map(held.map((l) => [l.id, l]));
  await lockStockLevels(db, levelsOf(held));
  for (const a of rows) {
    const lot = lotById.get(a.lotId)!;
    await moveAllocated(
      db,
      countyId,
      { lotId: a.lotId, depotId: lot.depotId, itemId: lot.itemId },
      `-${a.quantity}`,
    );
  }
  await db
    .update(allocations)
    .set({ releasedAt: at })
    .where(
      inKeys(
        allocations.countyId,
        allocations.id,
        rows.map((a) => ({ countyId, id: a.id })),
      ),
    );
}

/** A return leg's allocation: stock that leaves a lot and is on the road at once, never held first. */
export async function insertTravelling(
  db: Executor,
  a: Pick<
    typeof allocations.$inferInsert,
    "countyId" | "requisitionLineId" | "lotId" | "quantity" | "dispatchedAt"
  >,
): Promise<void> {
  await db.insert(allocations).values(a);
}

/** Stock on the road is back on someone's books (recalled): the allocation no longer travels. */
export async function markReleased(
  db: Executor,
  countyId: number,
  rows: readonly AllocationRow[],
  at: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .update(allocations)
    .set({ releasedAt: at })
    .where(
      inKeys(
        allocations.countyId,
        allocations.id,
        rows.map((a) => ({ countyId, id: a.id })),
      ),
    );
}

/** At dispatch the hold ends: the stock leaves on-hand through a TRANSFER_OUT line, no longer merely allocated. */
export async function markDispatched(
  db: Executor,
  countyId: number,
  rows: readonly (AllocationRow & { depotId: number; itemId: number })[],
  at: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await lockStockLevels(
    db,
    rows.map((a) => ({ countyId, depotId: a.depotId, itemId: a.itemId })),
  );
  for (const a of rows) await moveAllocated(db, countyId, a, `-${a.quantity}`);
  await db
    .update(allocations)
    .set({ dispatchedAt: at })
    .where(
      inKeys(
        allocations.countyId,
        allocations.id,
        rows.map((a) => ({ countyId, id: a.id })),
      ),
    );
}

async function moveAllocated(
  db: Executor,
  countyId: number,
  p: { lotId: number; depotId: number; itemId: number },
  delta: string,
): Promise<void> {
  await db
    .update(lots)
    .set({ allocated: sql`${lots.allocated} + ${delta}::numeric` })
    .where(inKeys(lots.countyId, lots.id, [{ countyId, id: p.lotId }]));
  await db
    .update(stockLevels)
    .set({ allocated: sql`${stockLevels.allocated} + ${delta}::numeric` })
    .where(
      and(
        eq(stockLevels.countyId, countyId),
        eq(stockLevels.depotId, p.depotId),
        eq(stockLevels.itemId, p.itemId),
      ),
    );
}

export async function setAllocationReceived(
  db: Executor,
  key: CountyKey,
  accepted: string,
  receivedLotId: number | null,
  at: Date,
): Promise<void> {
  await db
    .update(allocations)
    .set({ acceptedQuantity: accepted, receivedLotId, releasedAt: at })
    .where(inKeys(allocations.countyId, allocations.id, [key]));
}

export async function addAllocationReturned(db: Executor, key: CountyKey, quantity: string): Promise<void> {
  await db
    .update(allocations)
    .set({ returnedQuantity: sql`${allocations.returnedQuantity} + ${quantity}::numeric` })
    .where(inKeys(allocations.countyId, allocations.id, [key]));
}

export async function openLoan(
  db: Executor,
  l: Omit<typeof loans.$inferInsert, "id" | "status">,
): Promise<void> {
  await db.insert(loans).values(l);
}

export async function addLoanReturned(
  db: Executor,
  key: CountyKey,
  quantity: string,
  at: Date,
): Promise<void> {
  await db
    .update(loans)
    .set({
      returnedQuantity: sql`${loans.returnedQuantity} + ${quantity}::numeric`,
      status: sql`case when ${loans.returnedQuantity} + ${quantity}::numeric >= ${loans.quantity} then 'RETURNED'::loan_status else 'OPEN'::loan_status end`,
      returnedAt: at,
    })
    .where(inKeys(loans.countyId, loans.id, [key]));
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

export function floorsOf(
  db: Executor,
  countyId: number,
  depotIds: readonly number[],
  itemIds: readonly number[],
) {
  if (depotIds.length === 0 || itemIds.length === 0) return Promise.resolve([]);
  return db
    .select({ depotId: stockLevels.depotId, itemId: stockLevels.itemId, floor: stockLevels.reserveFloor })
    .from(stockLevels)
    .where(
      and(
        eq(stockLevels.countyId, countyId),
        inArray(stockLevels.depotId, [...depotIds]),
        inArray(stockLevels.itemId, [...itemIds]),
      ),
    );
}

export interface RequisitionFilter {
  /** Requests made by (OUTGOING) or to (INCOMING) this region's subtree. */
  region?: CountyKey | undefined;
  direction?: "INCOMING" | "OUTGOING" | undefined;
  status?: RequisitionStatus | undefined;
}
