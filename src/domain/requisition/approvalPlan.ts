import type { DepotKind } from "../region/region.js";
import { addDays, type CalendarDate, parseCalendarDate } from "../shared/calendar.js";
import { DomainError } from "../shared/errors.js";
import { add, type Quantity } from "../shared/quantity.js";
import { allocate, type Allocation, type LenderLot, type LineToFill } from "./allocation.js";
import { type ApprovalLevel, mayDipIntoFloor } from "./approval.js";
import type { Priority } from "./requisition.js";
import type { DepotItemKey } from "../shared/keys.js";

export const DEFAULT_LOAN_DAYS = 30;

/** A line of the request: what was asked for, and what this approval grants of it (zero to refuse the line). */
export interface ApprovedLine {
  lineId: number;
  itemId: number;
  requested: Quantity;
  approved: Quantity;
}

/** Everything an approval decides on, as plain facts the use case loaded and locked. */
export interface ApprovalAsk {
  /** Every line of the request, in its own order: allocation fills them in that order. */
  lines: readonly ApprovedLine[];
  /** The lender's candidate lots, each with its travel minutes to the destination. */
  lots: readonly LenderLot[];
  /** Each depot's reserve floor per item, keyed `depotId:itemId`; none is zero. */
  floors: ReadonlyMap<DepotItemKey, Quantity>;
  /** Each item's smallest unit (a whole piece, a kilogram), so a share of a floor is never a fraction of a tent. */
  steps: ReadonlyMap<number, Quantity>;
  /** The kind of each lending depot: stock in agent storage moves only on a release order (rule 1). */
  depotKinds: ReadonlyMap<number, DepotKind>;
  priority: Priority;
  level: ApprovalLevel;
  /** A declared emergency covers the requesting region: the supplier's approval may reach into floors. */
  underEmergency?: boolean;
  today: CalendarDate;
  releaseOrderNo?: string | null;
  /** YYYY-MM-DD; DEFAULT_LOAN_DAYS from today when not given. */
  returnDueOn?: string | null;
}

/**
 * What an approval does. `AWAITS_COUNTY`: an emergency the supplier approves that needs the lender's reserve
 * floor; nothing is held until the county approves too. `HOLD`: these lots are held for the request.
 */
export type ApprovalPlan =
  | { kind: "AWAITS_COUNTY" }
  | {
      kind: "HOLD";
      action: "APPROVE" | "APPROVE_PARTIALLY";
      allocations: Allocation[];
      /** What the hold takes from below each depot's floor, per depot, in allocation order (rule 3). */
      floorUsed: Map<number, Quantity>;
      releaseOrderNo: string | null;
      returnDueOn: CalendarDate;
    };

/** The lines something is approved of; none is INVALID_INPUT (refusing everything is a rejection). */
export function linesToFill(lines: readonly ApprovedLine[]): LineToFill[] {
  const wanted = lines
    .map((l) => ({ lineId: l.lineId, itemId: l.itemId, quantity: l.approved }))
    .filter((l) => l.quantity > 0n);
  if (wanted.length === 0)
    throw new DomainError("INVALID_INPUT", "nothing approved: reject instead", ["lines"]);
  return wanted;
}

/**
 * Decides an approval (rules 1 and 3): which lots give how much (nearest depot first, first-expiry-first-out),
 * whether it must wait for the county because it reaches into a reserve floor, the release order it needs and the
 * day lent equipment is due back. Refuses, in this order: INSUFFICIENT_STOCK, RESERVE_FLOOR (below a floor without
 * an emergency the county approves), RELEASE_ORDER_REQUIRED, INVALID_INPUT for the return date.
 */
export function planApproval(ask: ApprovalAsk): ApprovalPlan {
  const { allocations, dipsIntoFloor } = allocate(
    linesToFill(ask.lines),
    ask.lots,
    ask.floors,
    ask.today,
    mayDipIntoFloor(ask.priority, ask.level, ask.underEmergency ?? false),
    ask.steps,
  );
  if (dipsIntoFloor && allocations.length === 0) {
    if (ask.priority !== "EMERGENCY" || ask.level === "COUNTY") {
      throw new DomainError(
        "RESERVE_FLOOR",
        "this would take the lender below its reserve floor: only an emergency request approved by the county may",
        ["lines"],
      );
    }
    // an emergency that needs the floor: the supplier has said yes, the county decides
    return { kind: "AWAITS_COUNTY" };
  }
  return {
    kind: "HOLD",
    action: ask.lines.some((l) => l.approved < l.requested) ? "APPROVE_PARTIALLY" : "APPROVE",
    allocations,
    floorUsed: floorUsedPerDepot(allocations),
    releaseOrderNo: releaseOrderForHold(allocations, ask.depotKinds, ask.releaseOrderNo),
    returnDueOn: loanDueOn(ask.returnDueOn, ask.today),
  };
}

function releaseOrderForHold(
  allocations: readonly Allocation[],
  depotKinds: ReadonlyMap<number, DepotKind>,
  given: string | null | undefined,
): string | null {
  const releaseOrderNo = given?.trim() || null;
  if (!releaseOrderNo && allocations.some((a) => depotKinds.get(a.depotId) === "AGENT_STORAGE")) {
    throw new DomainError(
      "RELEASE_ORDER_REQUIRED",
      "stock held by an agent custodian moves only with a release order number (动用指令)",
      ["releaseOrderNo"],
    );
  }
  return releaseOrderNo;
}

function loanDueOn(given: string | null | undefined, today: CalendarDate): CalendarDate {
  const due = given ? parseCalendarDate(given) : addDays(today, DEFAULT_LOAN_DAYS);
  if (!due || due < today) {
    throw new DomainError("INVALID_INPUT", "the return date must be a day (YYYY-MM-DD) from today on", [
      "returnDueOn",
    ]);
  }
  return due;
}

function floorUsedPerDepot(allocations: readonly Allocation[]): Map<number, Quantity> {
  const perDepot = new Map<number, Quantity>();
  for (const a of allocations) {
    if (a.floorUsed > 0n)
      perDepot.set(a.depotId, add(perDepot.get(a.depotId) ?? (0n as Quantity), a.floorUsed));
  }
  return perDepot;
}
