import { DomainError } from "../shared/errors.js";
import { fromDb, type Quantity, sub } from "../shared/quantity.js";
import type { RequisitionStatus } from "./requisition.js";

/**
 * What an escalation asks the county for: per line, what was requested and not granted (超出处置能力时向上级请求支援).
 * Nothing unmet is INVALID_TRANSITION: there is nothing to escalate.
 */
export function unmetLines(
  status: RequisitionStatus,
  lines: readonly { itemId: number; requestedQuantity: string; approvedQuantity: string | null }[],
): { itemId: number; quantity: Quantity }[] {
  // a rejected request delivered nothing, whatever a first approval had recorded
  const granted = (approved: string | null) => fromDb(status === "REJECTED" ? "0" : (approved ?? "0"));
  const unmet = lines
    .map((l) => ({
      itemId: l.itemId,
      quantity: sub(fromDb(l.requestedQuantity), granted(l.approvedQuantity)),
    }))
    .filter((l) => l.quantity > 0n);
  if (unmet.length === 0) throw new DomainError("INVALID_TRANSITION", "nothing is unmet", ["requisitionId"]);
  return unmet;
}
