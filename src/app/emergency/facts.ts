import type { Actor } from "../../domain/custody/actor.js";
import { type Decision, type RegionFacts, readScope } from "../../domain/custody/policy.js";
import { DomainError } from "../../domain/shared/errors.js";
import type { Executor } from "../../db/client.js";
import { type CountyKey, keyString } from "../../db/keys.js";
import * as regions from "../../db/repositories/regions.js";

/**
 * A region and its lineage, read inside the deciding transaction. Regions are the county's public set-up: anyone
 * working in the county reads them, and a region of another county (or none) is NOT_FOUND on `field`.
 */
export async function loadRegionFacts(
  tx: Executor,
  actor: Actor,
  key: CountyKey,
  field: string[],
): Promise<RegionFacts> {
  const notFound = new DomainError("NOT_FOUND", "region not found", field);
  if (!readScope(actor).counties.includes(key.countyId)) throw notFound;
  const [[region], lineages] = await Promise.all([
    regions.findByKeys(tx, [key]),
    regions.findLineages(tx, [key]),
  ]);
  if (!region) throw notFound;
  return {
    countyId: region.countyId,
    regionId: region.id,
    regionLevel: region.level,
    regionLineage: lineages.get(keyString(key)) ?? [region.id],
  };
}

/** A refusal by the policy about something the actor can see: FORBIDDEN, saying why (decision 38). */
export function assertAllowed(decision: Decision, field: string[]): void {
  if (!decision.allowed) throw new DomainError("FORBIDDEN", decision.reason, field);
}
