import { DomainError } from "../shared/errors.js";

/** What still ties a depot to stock and work when someone asks to close it. */
export interface DepotTies {
  onHand: bigint;
  allocated: bigint;
  openRequisitions: number;
  openLoans: number;
  openStockTakes: number;
}

/**
 * A depot closes only when nothing is on its books or on its way (custody principle: nothing unaccounted for);
 * each tie has its own code so the administrator knows what to settle first.
 */
export function assertClosable(t: DepotTies): void {
  if (t.allocated > 0n)
    throw new DomainError("DEPOT_HAS_ALLOCATIONS", "stock here is allocated to requisitions", ["depotId"]);
  if (t.onHand > 0n) throw new DomainError("DEPOT_HOLDS_STOCK", "the depot still holds stock", ["depotId"]);
  if (t.openRequisitions > 0)
    throw new DomainError("DEPOT_HAS_OPEN_REQUISITIONS", "open requisitions deliver to this depot", [
      "depotId",
    ]);
  if (t.openLoans > 0)
    throw new DomainError("DEPOT_HAS_OPEN_LOANS", "equipment lent from this depot is not back", ["depotId"]);
  if (t.openStockTakes > 0)
    throw new DomainError("DEPOT_HAS_OPEN_STOCK_TAKE", "a stock-take is open at this depot", ["depotId"]);
}
