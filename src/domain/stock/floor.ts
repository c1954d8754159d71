import { DomainError } from "../shared/errors.js";
import { type Quantity, formatQuantity, sub } from "../shared/quantity.js";

/**
 * Custody rule 3 (docs/custody-rules.md): the reserve floor (safety stock) stays untouched by ordinary issues; only an emergency
 * requisition approved at county level may dip into it.
 */
export function assertAboveFloor(
  usable: Quantity,
  taking: Quantity,
  floor: Quantity,
  opts: { mayDipIntoFloor?: boolean } = {},
): void {
  if (opts.mayDipIntoFloor || floor <= 0n) return;
  const after = sub(usable, taking);
  if (after < floor) {
    throw new DomainError(
      "RESERVE_FLOOR",
      `this would leave ${formatQuantity(after)} usable, below the reserve floor of ${formatQuantity(floor)}`,
      ["quantity"],
    );
  }
}
