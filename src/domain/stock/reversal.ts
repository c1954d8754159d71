import { DomainError } from "../shared/errors.js";
import type { MovementKind } from "./movement.js";

export interface ReversalFacts {
  kind: MovementKind;
  recordedAt: Date;
  alreadyReversed: boolean;
  /** Submission time of the latest stock-take of the lot's depot that counted this lot, if any. */
  lastCountedAt: Date | null;
  /** Lines that belong to a requisition are corrected through the requisition, not here. */
  requisitionId: number | null;
}

/**
 * Whether a ledger line may be reversed. The negative-balance check is separate (assertDeductionFits), because
 * it needs the lot's whole ledger.
 */
export function assertReversible(f: ReversalFacts): void {
  const field = ["movementId"];
  if (f.kind === "REVERSAL")
    throw new DomainError("INVALID_TRANSITION", "a reversal cannot be reversed", field);
  if (f.alreadyReversed) throw new DomainError("INVALID_TRANSITION", "this line is already reversed", field);
  if (f.requisitionId !== null || f.kind === "TRANSFER_IN" || f.kind === "TRANSFER_OUT") {
    throw new DomainError(
      "INVALID_TRANSITION",
      "transfer and requisition lines are corrected by a transfer back or through the requisition",
      field,
    );
  }
  if (f.lastCountedAt && f.lastCountedAt.getTime() >= f.recordedAt.getTime()) {
    // the count already established the true quantity after this line
    throw new DomainError("INVALID_TRANSITION", "a stock-take was submitted after this line", field);
  }
}
