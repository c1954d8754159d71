import { DomainError } from "../../src/domain/shared/errors.js";
import type { Quantity } from "../../src/domain/shared/quantity.js";

/** A quantity in units (2.5 → 2.500), as the domain holds it: thousandths. */
export const q = (units: number): Quantity => BigInt(Math.round(units * 1000)) as Quantity;

/** The refusal a call throws; anything else (or no refusal at all) fails the test. */
export function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a DomainError, but the call succeeded");
}
