import { DomainError } from "../../domain/shared/errors.js";
import { type Quantity, formatQuantity, fromDb, parseQuantity } from "../../domain/shared/quantity.js";
import type { LedgerPoint } from "../../domain/stock/ledger.js";

/** Compare-and-swap: the client states the quantity it saw; if it moved since, nothing is written. */
export function assertUnchanged(expected: string, current: Quantity, scale: number): void {
  const seen = parseQuantity(expected, scale, ["changeFromQuantity"], { allowZero: true });
  if (seen !== current) {
    throw new DomainError(
      "CHANGE_FROM_QUANTITY_STALE",
      `the quantity is now ${formatQuantity(current)}, not ${formatQuantity(seen)}`,
      ["changeFromQuantity"],
    );
  }
}

export const ledgerPoints = (rows: { id: number; occurredAt: Date; quantity: string }[]): LedgerPoint[] =>
  rows.map((r) => ({ id: r.id, occurredAt: r.occurredAt, quantity: fromDb(r.quantity) }));
