import { DomainError } from "../../domain/shared/errors.js";
import { type Quantity, formatQuantity, parseQuantity } from "../../domain/shared/quantity.js";

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
