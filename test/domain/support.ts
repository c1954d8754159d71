import type { LenderLot } from "../../src/domain/requisition/allocation.js";
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

let nextLotId = 1;
/** A lender's lot: 10 serviceable units of item 1, 30 minutes away, received 2025-01-01; ids in creation order. */
export const lot = (over: Partial<LenderLot> & Pick<LenderLot, "depotId">): LenderLot => ({
  id: nextLotId++,
  itemId: 1,
  distance: 30,
  condition: "SERVICEABLE",
  expiresOn: null,
  receivedOn: "2025-01-01",
  onHand: q(10),
  allocated: q(0),
  ...over,
});
