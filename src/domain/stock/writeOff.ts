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
