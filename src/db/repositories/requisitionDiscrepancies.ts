import { asc } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import { discrepancies, requisitionLines } from "../schema/index.js";
import { onItsLine } from "./requisitionLists.js";
import type { DiscrepancyRow } from "./requisitions.js";

/**
 * Discrepancies of requisitions: what was dispatched but not accepted, recorded on receipt and open until settled
 * (rule 5). Part of the requisition aggregate; lists a viewer reads live in requisitionLists.ts.
 */
export function discrepanciesOf(db: Executor, lineKeys: readonly CountyKey[]): Promise<DiscrepancyRow[]> {
  return db
    .select()
    .from(discrepancies)
    .where(inKeys(discrepancies.countyId, discrepancies.requisitionLineId, lineKeys))
    .orderBy(asc(discrepancies.id));
}

export async function recordDiscrepancy(
  db: Executor,
  d: Omit<typeof discrepancies.$inferInsert, "id">,
): Promise<void> {
  await db.insert(discrepancies).values(d);
}

/** A discrepancy with the requisition it belongs to; locked only after its requisition, as every command locks. */
export async function findDiscrepancy(db: Executor, key: CountyKey, lock: boolean) {
  const q = db
    .select({ discrepancy: discrepancies, requisitionId: requisitionLines.requisitionId })
    .from(discrepancies)
    .innerJoin(requisitionLines, onItsLine(discrepancies))
    .where(inKeys(discrepancies.countyId, discrepancies.id, [key]));
  const [row] = await (lock ? q.for("update", { of: discrepancies }) : q);
  return row ?? null;
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
