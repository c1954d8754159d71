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

/**
 * A held lot may still be found damaged or quarantined: what it is must be on record. The dispatch then refuses it
 * (LOT_NOT_ISSUABLE), so unusable stock never travels as usable.
 */
export function assertConditionChange(from: LotCondition, to: LotCondition): void {
  if (!ALLOWED[from].includes(to)) {
    throw new DomainError("INVALID_TRANSITION", `a ${from} lot cannot become ${to}`, ["condition"]);
  }
}
