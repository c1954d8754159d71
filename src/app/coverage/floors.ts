import type { CoverageRegion } from "../../domain/coverage/lending.js";
import { effectiveNorm } from "../../domain/coverage/norm.js";
import type { Executor } from "../../db/client.js";
import * as depots from "../../db/repositories/depots.js";
import * as norms from "../../db/repositories/reserveNorms.js";
import * as regions from "../../db/repositories/regions.js";
import * as stockLevelWrites from "../../db/repositories/stockLevels.writes.js";

/**
 * Writes each region's reserve floor for an item onto the region's own depot, where issues and allocation enforce
 * it (custody rule 3, docs/custody-rules.md). `affects` limits which regions a changed norm reaches.
 */
export async function applyFloors(
  tx: Executor,
  countyId: number,
  itemId: number,
  affects: (region: CoverageRegion) => boolean = () => true,
): Promise<void> {
  const [countyRegions, rules, receiving] = await Promise.all([
    regions.countyRegions(tx, countyId),
    norms.rulesOfCounty(tx, countyId, [itemId]),
    depots.receivingDepots(tx, countyId),
  ]);
  for (const region of countyRegions) {
    const rule = effectiveNorm(region, itemId, rules);
    const depotId = receiving.get(region.id);
    if (!rule || depotId === undefined || !affects(region)) continue;
    await stockLevelWrites.setDepotFloor(tx, countyId, depotId, itemId, rule.reserveFloor);
  }
}
