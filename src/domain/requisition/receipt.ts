import { DomainError } from "../shared/errors.js";
import { type Quantity, add, formatQuantity, min, sub } from "../shared/quantity.js";

export interface ReceiptLine {
  lineId: number;
  dispatched: Quantity;
  accepted: Quantity;
  rejected: Quantity;
  missing: Quantity;
  rejectedReason: string;
  missingReason: string;
}

/**
 * Custody rule 5 (docs/custody-rules.md): what arrived is counted, and every unit dispatched is accepted, rejected or missing — a shortfall
 * is a recorded discrepancy with a reason, never silently lost.
 */
/** Four eyes on a shipment: whoever dispatched it does not also confirm that it arrived whole. */
export function assertNotSelfReceipt(dispatchedBy: number | null, receiverId: number): void {
  if (dispatchedBy === receiverId)
    throw new DomainError("SELF_RECEIPT", "whoever dispatched cannot confirm receipt", ["requisitionId"]);
}

export function assertReceiptBalances(line: ReceiptLine, index: number): void {
  const field = (name: string) => ["lines", String(index), name];
  const total = add(add(line.accepted, line.rejected), line.missing);
  if (total !== line.dispatched) {
    throw new DomainError(
      "INVALID_QUANTITY",
      `accepted + rejected + missing is ${formatQuantity(total)}, but ${formatQuantity(line.dispatched)} was dispatched`,
      field("acceptedQuantity"),
    );
  }
  if (line.rejected > 0n && !line.rejectedReason.trim()) {
    throw new DomainError("INVALID_INPUT", "say why stock was rejected", field("rejectedReason"));
  }
  if (line.missing > 0n && !line.missingReason.trim()) {
    throw new DomainError("INVALID_INPUT", "say what is known of the missing stock", field("missingReason"));
  }
}

/**
 * Spreads a line's accepted quantity over the lots that travelled, in the order they were allocated (earliest
 * expiry first): the first lots are the ones counted as arrived.
 */
export function spreadAccepted<T extends { quantity: Quantity }>(
  parts: readonly T[],
  accepted: Quantity,
): { part: T; accepted: Quantity }[] {
  let left = accepted;
  return parts.map((part) => {
    const take = min(part.quantity, left);
    left = sub(left, take);
    return { part, accepted: take };
  });
}

/**
 * Spreads a line's count over the lots that travelled, in allocation order: the first lots are counted as
 * accepted, the next as rejected, the rest as missing. Each part keeps the lot it left, so whatever happens to it
 * later (quarantine, return, settlement) still knows its expiry, condition and serial number.
 */
export function spreadReceipt<T extends { quantity: Quantity }>(
  parts: readonly T[],
  accepted: Quantity,
  rejected: Quantity,
): { part: T; accepted: Quantity; rejected: Quantity; missing: Quantity }[] {
  const afterAccepted = spreadAccepted(parts, accepted);
  const rest = afterAccepted.map(({ part, accepted: a }) => ({ part, quantity: sub(part.quantity, a) }));
  return spreadAccepted(rest, rejected).map(({ part: r, accepted: rej }, i) => ({
    part: r.part,
    accepted: afterAccepted[i]!.accepted,
    rejected: rej,
    missing: sub(r.quantity, rej),
  }));
}
