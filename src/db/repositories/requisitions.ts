import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import {
  allocations,
  discrepancies,
  loans,
  requisitionApprovals,
  requisitionEvents,
  requisitionLines,
  requisitions,
} from "../schema/index.js";
import type { RequisitionStatus } from "../../domain/requisition/requisition.js";

export type RequisitionRow = typeof requisitions.$inferSelect;

export type LineRow = typeof requisitionLines.$inferSelect;

export type AllocationRow = typeof allocations.$inferSelect;

export type ApprovalRow = typeof requisitionApprovals.$inferSelect;

export type EventRow = typeof requisitionEvents.$inferSelect;

export type DiscrepancyRow = typeof discrepancies.$inferSelect;

export type LoanRow = typeof loans.$inferSelect;

/** A row that hangs off a requisition line (allocation, loan, discrepancy) joined to that line. */
export const onItsLine = (t: { countyId: AnyPgColumn; requisitionLineId: AnyPgColumn }): SQL =>
  and(eq(requisitionLines.countyId, t.countyId), eq(requisitionLines.id, t.requisitionLineId))!;

/** A requisition line joined to its requisition. */
/**
 * A loan overdue on `day` (Asia/Shanghai): still open and past its due day. The one copy of the rule, for the
 * statements that list, count or tell of overdue loans; `lo` is the alias hand-written statements give `loans`.
 */
export const loanOverdueOn = (alias: "loans" | "lo", day: string): SQL =>
  sql`(${sql.identifier(alias)}.status = 'OPEN' and ${sql.identifier(alias)}.due_on < ${day}::date)`;

export const lineOnItsRequisition: SQL = and(
  eq(requisitions.countyId, requisitionLines.countyId),
  eq(requisitions.id, requisitionLines.requisitionId),
)!;

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

/**
 * Discrepancies of requisitions: what was dispatched but not accepted, recorded on receipt and open until settled
 * (rule 5). Part of the requisition aggregate; lists a viewer reads live in requisitions.lists.ts,
 * writes in requisitions.writes.ts.
 */
export function discrepanciesOf(db: Executor, lineKeys: readonly CountyKey[]): Promise<DiscrepancyRow[]> {
  return db
    .select()
    .from(discrepancies)
    .where(inKeys(discrepancies.countyId, discrepancies.requisitionLineId, lineKeys))
    .orderBy(asc(discrepancies.id));
}

/** A discrepancy with the requisition it belongs to; lockDiscrepancy (requisitions.writes.ts) locks the same row. */
export const discrepancyWithItsRequisition = (db: Executor, key: CountyKey) =>
  db
    .select({ discrepancy: discrepancies, requisitionId: requisitionLines.requisitionId })
    .from(discrepancies)
    .innerJoin(requisitionLines, onItsLine(discrepancies))
    .where(inKeys(discrepancies.countyId, discrepancies.id, [key]));

export async function findDiscrepancy(db: Executor, key: CountyKey) {
  const [row] = await discrepancyWithItsRequisition(db, key);
  return row ?? null;
}

export interface RequisitionFilter {
  /** Requests made by (OUTGOING) or to (INCOMING) this region's subtree. */
  region?: CountyKey | undefined;
  direction?: "INCOMING" | "OUTGOING" | undefined;
  status?: RequisitionStatus | undefined;
}
