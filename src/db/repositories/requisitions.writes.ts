import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys, keyString } from "../keys.js";
import { findLotsByKeys } from "./lots.js";
import { visibleTo } from "./requisitions.lists.js";
import {
  type AllocationRow,
  type DiscrepancyRow,
  discrepancyWithItsRequisition,
  type LineRow,
  loanOverdueOn,
  type RequisitionRow,
} from "./requisitions.js";
import { levelsOf } from "./stockLevels.js";
import { lockStockLevels } from "./stockLevels.writes.js";
import {
  allocations,
  discrepancies,
  loans,
  lots,
  requisitionApprovals,
  requisitionEvents,
  requisitionLines,
  requisitions,
  stockLevels,
} from "../schema/index.js";
import { quantityParam } from "../schema/columns.js";
import { neg, type Quantity } from "../../domain/shared/quantity.js";

export async function insert(
  db: Executor,
  r: Omit<typeof requisitions.$inferInsert, "id">,
  lines: { itemId: number; requestedQuantity: Quantity }[],
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
    quantity: Quantity;
    floorUsed: Quantity;
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
  const held = await findLotsByKeys(
    db,
    rows.map((a) => ({ countyId, id: a.lotId })),
  );
  const lotById = new Map(held.map((l) => [l.id, l]));
  await lockStockLevels(db, levelsOf(held));
  for (const a of rows) {
    const lot = lotById.get(a.lotId)!;
    await moveAllocated(
      db,
      countyId,
      { lotId: a.lotId, depotId: lot.depotId, itemId: lot.itemId },
      neg(a.quantity),
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
  for (const a of rows) await moveAllocated(db, countyId, a, neg(a.quantity));
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
  delta: Quantity,
): Promise<void> {
  await db
    .update(lots)
    .set({ allocated: sql`${lots.allocated} + ${quantityParam(delta)}` })
    .where(inKeys(lots.countyId, lots.id, [{ countyId, id: p.lotId }]));
  await db
    .update(stockLevels)
    .set({ allocated: sql`${stockLevels.allocated} + ${quantityParam(delta)}` })
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
  accepted: Quantity,
  receivedLotId: number | null,
  at: Date,
): Promise<void> {
  await db
    .update(allocations)
    .set({ acceptedQuantity: accepted, receivedLotId, releasedAt: at })
    .where(inKeys(allocations.countyId, allocations.id, [key]));
}

export async function addAllocationReturned(db: Executor, key: CountyKey, quantity: Quantity): Promise<void> {
  await db
    .update(allocations)
    .set({ returnedQuantity: sql`${allocations.returnedQuantity} + ${quantityParam(quantity)}` })
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
  quantity: Quantity,
  at: Date,
): Promise<void> {
  await db
    .update(loans)
    .set({
      returnedQuantity: sql`${loans.returnedQuantity} + ${quantityParam(quantity)}`,
      status: sql`case when ${loans.returnedQuantity} + ${quantityParam(quantity)} >= ${loans.quantity} then 'RETURNED'::loan_status else 'OPEN'::loan_status end`,
      returnedAt: at,
    })
    .where(inKeys(loans.countyId, loans.id, [key]));
}

/**
 * Locks a requisition the scope may read, in one statement; one it may not read is neither locked nor answered.
 */
export async function lockVisible(
  db: Executor,
  scope: { subtrees: CountyKey[]; depots: CountyKey[] },
  key: CountyKey,
): Promise<RequisitionRow | null> {
  const [row] = await db
    .select()
    .from(requisitions)
    .where(and(inKeys(requisitions.countyId, requisitions.id, [key]), visibleTo(scope)))
    .for("update");
  return row ?? null;
}

export async function recordDiscrepancy(
  db: Executor,
  d: Omit<typeof discrepancies.$inferInsert, "id">,
): Promise<void> {
  await db.insert(discrepancies).values(d);
}

export async function settleDiscrepancy(
  db: Executor,
  key: CountyKey,
  set: Pick<
    DiscrepancyRow,
    "settlement" | "settlementNote" | "settledBy" | "settledAt" | "returnRequisitionId"
  >,
): Promise<void> {
  await db
    .update(discrepancies)
    .set(set)
    .where(inKeys(discrepancies.countyId, discrepancies.id, [key]));
}

/** A discrepancy with its requisition, locked only after its requisition, as every command locks. */
export async function lockDiscrepancy(db: Executor, key: CountyKey) {
  const [row] = await discrepancyWithItsRequisition(db, key).for("update", { of: discrepancies });
  return row ?? null;
}

/**
 * Open loans past their due day on `today` that nobody was told of yet, marked told at `now`; answers their
 * requisitions, each once. The marking is the guard: two processes checking at once update each row once (the
 * second waits on the first's row locks and then finds them told), so an overdue loan is told once, whichever
 * process notices it.
 */
export async function markOverdueNoticed(db: Executor, today: string, now: Date): Promise<CountyKey[]> {
  const rows = await db
    .update(loans)
    .set({ overdueNoticedAt: now })
    .from(requisitionLines)
    .where(
      and(
        loanOverdueOn("loans", today),
        sql`${loans.overdueNoticedAt} is null`,
        eq(requisitionLines.countyId, loans.countyId),
        eq(requisitionLines.id, loans.requisitionLineId),
      ),
    )
    .returning({ countyId: loans.countyId, id: requisitionLines.requisitionId });
  return [...new Map(rows.map((r) => [keyString(r), r])).values()];
}
