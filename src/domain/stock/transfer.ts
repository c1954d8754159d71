import type { DepotFacts } from "../custody/policy.js";
import { DomainError } from "../shared/errors.js";

/** The township a depot belongs to (its own region or its village's parent); null for a county-level depot. */
function townshipOf(depot: DepotFacts): number | null {
  if (depot.regionLevel === "COUNTY") return null;
  // the lineage runs nearest first and ends at the county: the township is the one just below it
  return depot.regionLineage[depot.regionLineage.length - 2] ?? null;
}

/**
 * A transfer (调库) moves stock between depots of one holder without a requisition: among a township's own depots
 * (镇库 → 村存放点, or back) or among the county's depots. Stock crossing from one township to another, or
 * between a township and the county, is a requisition (rule 6).
 */
export function assertTransferRoute(from: DepotFacts, to: DepotFacts): void {
  if (from.countyId === to.countyId && from.depotId === to.depotId) {
    throw new DomainError("INVALID_INPUT", "stock is transferred to another depot", ["toDepotId"]);
  }
  const sameHolder =
    from.countyId === to.countyId &&
    (from.regionLevel === "COUNTY") === (to.regionLevel === "COUNTY") &&
    townshipOf(from) === townshipOf(to);
  if (!sameHolder) {
    throw new DomainError(
      "ROUTE_NOT_ALLOWED",
      "a transfer stays within one township's depots or among the county's; other moves are requisitions",
      ["toDepotId"],
    );
  }
}
