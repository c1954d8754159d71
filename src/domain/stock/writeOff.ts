import { DomainError } from "../shared/errors.js";
import { add, type Quantity } from "../shared/quantity.js";

/**
 * Four eyes (双人复核): a write-off needs a second person once what its author writes off from the lot that day,
 * this one included, is above the threshold; splitting 150 into two write-offs of 75 does not slip under 100.
 */
export function needsSecondPerson(
  quantity: Quantity,
  writtenOffAloneToday: Quantity,
  threshold: Quantity,
): boolean {
  return add(quantity, writtenOffAloneToday) > threshold;
}

/** Four eyes on a large write-off: whoever asked for it is not the second person who confirms it. */
export function assertSecondPerson(requestedBy: number, confirmerId: number): void {
  if (requestedBy === confirmerId)
    throw new DomainError("SELF_CONFIRMATION", "a second person must confirm a write-off you asked for", [
      "requestId",
    ]);
}
