import { DomainError } from "../shared/errors.js";

/** What the receiver does with stock it rejects on arrival (rule 5: it goes back on someone's books). */
export const REJECTED_DISPOSITIONS = ["RETURN", "KEEP_QUARANTINED"] as const;
export type RejectedDisposition = (typeof REJECTED_DISPOSITIONS)[number];

/** How an open discrepancy is settled: each is a ledger line (or a return leg in transit). */
export const SETTLEMENTS = ["FOUND", "WRITTEN_OFF", "RETURNED"] as const;
export type Settlement = (typeof SETTLEMENTS)[number];

export interface OpenDiscrepancy {
  kind: "REJECTED" | "MISSING";
  disposition: RejectedDisposition | null;
  settledAt: Date | string | null;
}

/**
 * Which settlements fit which discrepancy. Missing stock is found (booked in where it turned up), returned to the
 * lender, or written off with a cause; rejected stock kept in quarantine is written off or sent back. Rejected stock
 * already sent back is settled by its return leg.
 */
export function assertSettlement(d: OpenDiscrepancy, settlement: Settlement): void {
  if (d.settledAt !== null)
    throw new DomainError("INVALID_TRANSITION", "this discrepancy is already settled", ["discrepancyId"]);
  if (d.kind === "REJECTED" && settlement === "FOUND") {
    throw new DomainError("INVALID_INPUT", "rejected stock was not lost: write it off or return it", [
      "settlement",
    ]);
  }
}
