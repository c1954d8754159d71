import type { DepotFacts } from "../../domain/custody/policy.js";
import { DomainError } from "../../domain/shared/errors.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import * as catalogue from "../../db/repositories/catalogue.js";
import * as depots from "../../db/repositories/depots.js";
import * as regions from "../../db/repositories/regions.js";

/** A depot and the facts custody needs about it; an unknown depot is NOT_FOUND on the given field. */
export async function loadDepotFacts(
  tx: Executor,
  key: CountyKey,
  field: string[],
): Promise<{ depot: depots.DepotRow; facts: DepotFacts }> {
  const [depot] = await depots.findByKeys(tx, [key]);
  if (!depot) throw new DomainError("NOT_FOUND", "depot not found", field);
  const regionKey = { countyId: depot.countyId, id: depot.regionId };
  const [[region], lineages] = await Promise.all([
    regions.findByKeys(tx, [regionKey]),
    regions.findLineages(tx, [regionKey]),
  ]);
  return {
    depot,
    facts: {
      countyId: depot.countyId,
      depotId: depot.id,
      regionId: depot.regionId,
      regionLevel: region!.level,
      regionLineage: lineages.get(`${depot.countyId}:${depot.regionId}`) ?? [depot.regionId],
    },
  };
}

export async function loadItemFacts(tx: Executor, itemId: number, field: string[]) {
  const [item] = await catalogue.findItemsByIds(tx, [itemId]);
  if (!item) throw new DomainError("NOT_FOUND", "item not found", field);
  const [unit] = await catalogue.findUnits(tx, [item.unitCode]);
  return { item, unit: unit! };
}
