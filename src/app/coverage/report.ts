import {
  type CountyCoverage,
  type CoverageFigures,
  coverageLine,
  withinReach,
} from "../../domain/coverage/lending.js";
import { effectiveNorm, requiredQuantity } from "../../domain/coverage/norm.js";
import type { RegionLevel } from "../../domain/region/region.js";
import type { CalendarDate } from "../../domain/shared/calendar.js";
import { add, ZERO } from "../../domain/shared/quantity.js";
import * as coverage from "../../db/reports/coverage.js";
import * as norms from "../../db/repositories/reserveNorms.js";
import * as regions from "../../db/repositories/regions.js";
import { unitScales } from "../catalogue.js";
import type { AppDeps } from "../deps.js";
import { regionItemKey } from "../../domain/shared/keys.js";

/** Everything a coverage answer needs about a county, loaded once: a constant number of statements. */
export async function loadCountyCoverage(
  deps: AppDeps,
  countyId: number,
  /**
   * The regions to sum for: named ones, every region of a level, a region and those within `minutes` of it over
   * mutual-aid links, or all of the county.
   */
  regionIds: readonly number[] | { level: RegionLevel } | { around: number; minutes: number } | "ALL",
  itemIds: readonly number[] | null,
  asOf: CalendarDate,
): Promise<CountyCoverage> {
  const db = deps.database.db;
  const [countyRegions, rules, links, normed] = await Promise.all([
    regions.countyRegions(db, countyId),
    norms.rulesOfCounty(db, countyId),
    regions.linksOfCounty(db, countyId),
    itemIds ? Promise.resolve([...itemIds]) : coverage.normedItems(db, countyId),
  ]);
  const travelLinks = links.map((l) => ({ from: l.regionId, to: l.neighbourId, minutes: l.travelMinutes }));
  const wanted =
    regionIds === "ALL"
      ? countyRegions.map((r) => r.id)
      : "level" in regionIds
        ? countyRegions.filter((r) => r.level === regionIds.level).map((r) => r.id)
        : "around" in regionIds
          ? withinReach(regionIds.around, regionIds.minutes, travelLinks)
          : [...regionIds];
  const [figures, agreed, scaleOf] = await Promise.all([
    coverage.figures(db, countyId, wanted, normed, asOf),
    coverage.agreedFigures(db, countyId, wanted, normed, asOf),
    unitScales(deps, db, normed),
  ]);
  const agreedByKey = new Map(agreed.map((a) => [regionItemKey(a), a]));
  const regionMap = new Map(countyRegions.map((r) => [r.id, r]));
  const byKey = new Map(figures.map((f) => [regionItemKey(f), f]));
  return {
    regions: regionMap,
    itemIds: normed,
    links: travelLinks,
    line(regionId, itemId) {
      const region = regionMap.get(regionId)!;
      const rule = effectiveNorm(region, itemId, rules);
      const required = rule ? requiredQuantity(rule, region.population, scaleOf.get(itemId) ?? 3) : null;
      const key = regionItemKey({ regionId, itemId });
      return coverageLine(regionId, itemId, required, exact(byKey.get(key), agreedByKey.get(key)));
    },
  };
}

/**
 * The statements' figures for one line, zero where nothing is recorded; agreement reserves on call are the uncontracted agreement depots'
 * lots and the contracts valid on the day, together.
 */
function exact(
  f: coverage.CoverageFigures | undefined,
  a: coverage.AgreedFigures | undefined,
): CoverageFigures {
  const hours = [f?.callUpLeadHours, a?.leadHours].filter((h): h is number => h != null);
  return {
    onHand: f?.onHand ?? ZERO,
    usable: f?.usable ?? ZERO,
    expiringWithin30Days: f?.expiring30 ?? ZERO,
    ownUsable: f?.ownUsable ?? ZERO,
    callable: add(f?.callable ?? ZERO, a?.callable ?? ZERO),
    callUpLeadHours: hours.length > 0 ? Math.min(...hours) : null,
  };
}
