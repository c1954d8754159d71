import { DomainError } from "../shared/errors.js";
import { type Quantity, sub, ZERO } from "../shared/quantity.js";
import type { RequisitionStatus } from "./requisition.js";

/**
 * What an escalation asks the county for: per line, what was requested and not granted (超出处置能力时向上级请求支援).
 * Nothing unmet is INVALID_TRANSITION: there is nothing to escalate.
 */
export function unmetLines(
  status: RequisitionStatus,
  lines: readonly { itemId: number; requestedQuantity: Quantity; approvedQuantity: Quantity | null }[],
): { itemId: number; quantity: Quantity }[] {
  // a rejected request delivered nothing, whatever a first approval had recorded
  const granted = (approved: Quantity | null) => (status === "REJECTED" ? ZERO : (approved ?? ZERO));
  const unmet = lines
    .map((l) => ({
      itemId: l.itemId,
      quantity: sub(l.requestedQuantity, granted(l.approvedQuantity)),
    }))
    .filter((l) => l.quantity > 0n);
  if (unmet.length === 0) throw new DomainError("INVALID_TRANSITION", "nothing is unmet", ["requisitionId"]);
  return unmet;
}
