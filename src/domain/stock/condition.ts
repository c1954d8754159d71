import { DomainError } from "../shared/errors.js";
import type { LotCondition } from "./lot.js";

/**
 * Condition changes a person may record. EXPIRED is never set by hand: expiry is decided by date at query time.
 * Damaged stock does not come back; it is written off.
 */
const ALLOWED: Record<LotCondition, readonly LotCondition[]> = {
  SERVICEABLE: ["QUARANTINED", "DAMAGED"],
  QUARANTINED: ["SERVICEABLE", "DAMAGED"],
  DAMAGED: [],
  EXPIRED: ["DAMAGED"],
};

export function assertConditionChange(
  from: LotCondition,
  to: LotCondition,
  facts: { allocated: bigint },
): void {
  if (!ALLOWED[from].includes(to)) {
    throw new DomainError("INVALID_TRANSITION", `a ${from} lot cannot become ${to}`, ["condition"]);
  }
  // a held lot is promised to a requisition; release the allocation before changing what it is
  if (facts.allocated > 0n && to !== "SERVICEABLE") {
    throw new DomainError("INVALID_TRANSITION", "the lot is allocated to a requisition", ["lotId"]);
  }
}
