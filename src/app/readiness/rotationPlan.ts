import type { Actor } from "../../domain/custody/actor.js";
import { readScope } from "../../domain/custody/policy.js";
import { lineageIn } from "../../domain/coverage/coverage.js";
import { shortfalls } from "../../domain/coverage/shortfall.js";
import { travelMinutesFrom } from "../../domain/region/travel.js";
import { planRotation, type PlanItem, type RotationProposal } from "../../domain/rotation/plan.js";
import type { CalendarDate } from "../../domain/shared/calendar.js";
import { unallocatedOf } from "../../domain/stock/availability.js";
import type { CountyKey } from "../../db/keys.js";
import * as depots from "../../db/repositories/depots.js";
import * as expiry from "../../db/reports/expiry.js";
import * as lotReads from "../../db/repositories/lots.js";
import * as norms from "../../db/repositories/reserveNorms.js";
import * as regions from "../../db/repositories/regions.js";
import { itemsWithScale, scalesOf } from "../catalogue.js";
import type { AppDeps } from "../deps.js";
import { regionItemKey } from "../../domain/shared/keys.js";

/**
 * The rotation plan of a region's subtree on a day: what to do with each lot nearing expiry. Reads only, so it
 * runs outside a transaction; the same data and day always give the same plan.
 */
export async function rotationPlan(
  deps: AppDeps,
  actor: Actor,
  region: CountyKey,
  asOf: CalendarDate,
): Promise<RotationProposal[]> {
  const db = deps.database.db;
  const candidates = await expiry.rotationCandidates(db, readScope(actor), region, asOf);
  if (candidates.length === 0) return [];
  const itemIds = [...new Set(candidates.map((c) => c.lot.itemId))];
  const [catalogueRows, countyRegions, rules, usable, receiving, links] = await Promise.all([
    itemsWithScale(deps, db, itemIds),
    regions.countyRegions(db, region.countyId),
    norms.rulesOfCounty(db, region.countyId, itemIds),
    lotReads.usableByRegion(db, region.countyId, itemIds, asOf),
    depots.receivingDepots(db, region.countyId),
    regions.linksOfCounty(db, region.countyId),
  ]);
  const regionById = new Map(countyRegions.map((r) => [r.id, r]));
  const usableOf = new Map(usable.map((u) => [regionItemKey(u), u.usable]));
  const scaleOf = scalesOf(catalogueRows);
  const gaps = shortfalls({
    regions: countyRegions,
    itemIds,
    rules,
    unitScale: (itemId) => scaleOf.get(itemId) ?? 3,
    usable: (regionId, itemId) => usableOf.get(regionItemKey({ regionId, itemId })),
  }).flatMap((s) => {
    const depotId = receiving.get(s.regionId);
    return depotId === undefined
      ? []
      : [{ ...s, depotId, townshipId: regionById.get(s.regionId)?.townshipId ?? null }];
  });
  return planRotation({
    lots: candidates.map(({ lot, regionId }) => ({
      lotId: lot.id,
      depotId: lot.depotId,
      itemId: lot.itemId,
      expiresOn: lot.expiresOn as CalendarDate,
      available: unallocatedOf(lot),
      townshipId: regionById.get(regionId)?.townshipId ?? null,
      regionLineage: lineageIn(regionById, regionId),
    })),
    items: planItems(catalogueRows),
    shortfalls: gaps,
    travel: travelTimes(links),
    asOf,
  });
}

/** Travel minutes between two townships over mutual-aid links, each origin's distances worked out once. */
function travelTimes(
  links: readonly { regionId: number; neighbourId: number; travelMinutes: number }[],
): (from: number | null, to: number | null) => number | null {
  const graph = links.map((l) => ({ from: l.regionId, to: l.neighbourId, minutes: l.travelMinutes }));
  const distances = new Map<number, Map<number, number>>();
  return (from, to) => {
    if (from === null || to === null) return null;
    if (!distances.has(from)) distances.set(from, travelMinutesFrom(from, graph));
    return distances.get(from)!.get(to) ?? null;
  };
}

function planItems(catalogueRows: Awaited<ReturnType<typeof itemsWithScale>>): Map<number, PlanItem> {
  return new Map(
    [...catalogueRows.values()].map(({ item: i }) => [
      i.id,
      { itemId: i.id, category: i.category, returnable: i.returnable },
    ]),
  );
}
