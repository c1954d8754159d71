import { DomainError } from "../shared/errors.js";
import { type Quantity, formatQuantity } from "../shared/quantity.js";

export interface LedgerPoint {
  id: number;
  occurredAt: Date;
  quantity: Quantity;
}

/**
 * The lowest balance the lot reaches at or after `from`, counting the balance it had just before. A change dated
 * `from` shifts every one of those balances, so a deduction must not exceed this minimum. Lines at the same
 * instant count together: a line and its reversal share one, and cancel out.
 */
export function lowestBalanceFrom(lines: readonly LedgerPoint[], from: Date): Quantity {
  const byInstant = new Map<number, bigint>();
  for (const line of lines) {
    const t = line.occurredAt.getTime();
    byInstant.set(t, (byInstant.get(t) ?? 0n) + line.quantity);
  }
  let balance = 0n;
  let lowest: bigint | null = null;
  for (const [t, delta] of [...byInstant].sort(([a], [b]) => a - b)) {
    if (t > from.getTime() && lowest === null) lowest = balance;
    balance += delta;
    if (lowest !== null && balance < lowest) lowest = balance;
  }
  return (lowest === null ? balance : lowest) as Quantity;
}

/**
 * A deduction dated `at` (possibly backdated) is refused if the lot's balance would have gone negative at any
 * point since then, not only today.
 */
export function assertDeductionFits(
  lines: readonly LedgerPoint[],
  at: Date,
  quantity: Quantity,
  field: string[],
) {
  const lowest = lowestBalanceFrom(lines, at);
  if (quantity > lowest) {
    throw new DomainError(
      "INSUFFICIENT_STOCK",
      `the lot held only ${formatQuantity(lowest)} at some point since ${at.toISOString()}`,
      field,
    );
  }
}

/** Entries may be backdated, never postdated. */
export function assertOccurredAt(occurredAt: Date, now: Date, field: string[] = ["occurredAt"]): void {
  if (Number.isNaN(occurredAt.getTime())) throw new DomainError("INVALID_INPUT", "not a valid time", field);
  if (occurredAt.getTime() > now.getTime() + 60_000) {
    throw new DomainError("INVALID_INPUT", "an entry cannot be dated in the future", field);
  }
}
