import {
  coverageRatio,
  coverageStatus,
  type CoverageStatus,
  lineageIn,
  spareOf,
} from "../../domain/coverage/coverage.js";
import { effectiveNorm, type NormRule, requiredQuantity } from "../../domain/coverage/norm.js";
import { travelMinutesFrom } from "../../domain/region/travel.js";
import type { CalendarDate } from "../../domain/shared/calendar.js";
import { add, fromDb, type Quantity } from "../../domain/shared/quantity.js";
import * as coverage from "../../db/repositories/coverage.js";
import * as expiry from "../../db/repositories/expiry.js";
import * as norms from "../../db/repositories/norms.js";
import * as regions from "../../db/repositories/regions.js";
import { unitScales } from "../catalogue.js";
import type { AppDeps } from "../deps.js";

export interface CoverageLine {
  regionId: number;
  itemId: number;
  /** Null when the region has no norm for the item (a map cell can still show its stock). */
  required: Quantity | null;
  onHand: Quantity;
  usable: Quantity;
  expiringWithin30Days: Quantity;
  ratio: number | null;
  status: CoverageStatus | null;
  /** Agreement reserves: stock a distributor delivers on call, not counted as usable. */
  callable: Quantity;
  callUpLeadHours: number | null;
  /** Usable at the region's own depots, not rolled up. */
  ownUsable: Quantity;
}

export interface NeighbourOffer {
  regionId: number;
  itemId: number;
  travelMinutes: number;
  quantity: Quantity;
}

/** Everything a coverage answer needs about a county, loaded once: a constant number of statements. */
export interface CountyCoverage {
  regions: Map<number, expiry.CountyRegion>;
  rules: NormRule[];
  itemIds: number[];
  links: { from: number; to: number; minutes: number }[];
  line(regionId: number, itemId: number): CoverageLine;
}

export async function loadCountyCoverage(
  deps: AppDeps,
  countyId: number,
  /**
   * The regions to sum for: named ones, every region of a level, a region and those within `minutes` of it over
   * mutual-aid links, or all of the county.
   */
  regionIds:
    readonly number[] | { level: expiry.CountyRegion["level"] } | { around: number; minutes: number } | "ALL",
  itemIds: readonly number[] | null,
  asOf: CalendarDate,
): Promise<CountyCoverage> {
  const db = deps.database.db;
  const [countyRegions, rules, links, normed] = await Promise.all([
    expiry.countyRegions(db, countyId),
    norms.rulesOfCounty(db, countyId),
    regions.linksOfCounty(db, countyId),
    itemIds ? Promise.resolve([...itemIds]) : coverage.normedItems(db, countyId),
  ]);
  const wanted =
    regionIds === "ALL"
      ? countyRegions.map((r) => r.id)
      : "level" in regionIds
        ? countyRegions.filter((r) => r.level === regionIds.level).map((r) => r.id)
        : "around" in regionIds
          ? withinReach(regionIds.around, regionIds.minutes, links)
          : [...regionIds];
  const [figures, agreed, scaleOf] = await Promise.all([
    coverage.figures(db, countyId, wanted, normed, asOf),
    coverage.agreedFigures(db, countyId, wanted, normed, asOf),
    unitScales(deps, db, normed),
  ]);
  const agreedByKey = new Map(agreed.map((a) => [`${a.regionId}:${a.itemId}`, a]));
  const regionMap = new Map(countyRegions.map((r) => [r.id, r]));
  const byKey = new Map(figures.map((f) => [`${f.regionId}:${f.itemId}`, f]));
  return {
    regions: regionMap,
    rules,
    itemIds: normed,
    links: links.map((l) => ({ from: l.regionId, to: l.neighbourId, minutes: l.travelMinutes })),
    line(regionId, itemId) {
      const region = regionMap.get(regionId)!;
      const f = byKey.get(`${regionId}:${itemId}`);
      const rule = effectiveNorm(region, itemId, rules);
      const required = rule ? requiredQuantity(rule, region.population, scaleOf.get(itemId) ?? 3) : null;
      const usable = fromDb(f?.usable ?? "0");
      return {
        regionId,
        itemId,
        required,
        onHand: fromDb(f?.onHand ?? "0"),
        usable,
        expiringWithin30Days: fromDb(f?.expiring30 ?? "0"),
        ratio: required === null ? null : coverageRatio(usable, required),
        status: required === null ? null : coverageStatus(usable, required),
        ...callable(f, agreedByKey.get(`${regionId}:${itemId}`)),
        ownUsable: fromDb(f?.ownUsable ?? "0"),
      };
    },
  };
}

/** Agreement reserves on call: uncontracted agreement depots' lots and contracts valid on the day, together. */
function callable(
  f: coverage.CoverageFigures | undefined,
  a: coverage.AgreedFigures | undefined,
): { callable: Quantity; callUpLeadHours: number | null } {
  const hours = [f?.callUpLeadHours, a?.leadHours].filter((h): h is number => h != null);
  return {
    callable: add(fromDb(f?.callable ?? "0"), fromDb(a?.callable ?? "0")),
    callUpLeadHours: hours.length > 0 ? Math.min(...hours) : null,
  };
}

function withinReach(
  origin: number,
  minutes: number,
  links: readonly { regionId: number; neighbourId: number; travelMinutes: number }[],
): number[] {
  const reach = travelMinutesFrom(
    origin,
    links.map((l) => ({ from: l.regionId, to: l.neighbourId, minutes: l.travelMinutes })),
  );
  return [...reach].filter(([, m]) => m <= minutes).map(([id]) => id);
}

/** Lines of one region: every item that has a norm there. */
export function regionLines(c: CountyCoverage, regionId: number): CoverageLine[] {
  return c.itemIds.map((itemId) => c.line(regionId, itemId)).filter((l) => l.required !== null);
}

/** Neighbours within reach and what each could lend of an item above its own norm. */
export function neighbourOffers(
  c: CountyCoverage,
  regionId: number,
  itemId: number,
  maxMinutes: number,
): NeighbourOffer[] {
  const reach = travelMinutesFrom(regionId, c.links);
  return [...reach]
    .filter(([id, minutes]) => id !== regionId && minutes <= maxMinutes)
    .sort(([a, ma], [b, mb]) => ma - mb || a - b)
    .map(([id, minutes]) => {
      const l = c.line(id, itemId);
      return { regionId: id, itemId, travelMinutes: minutes, quantity: spareOf(c.regions.get(id)!.level, l) };
    })
    .filter((o) => o.quantity > 0n);
}

/**
 * The nearest region (by travel over links from the gap's township) that could lend the item, by the same rule as
 * neighbourOffers (spareOf); outside the gap's own lineage, villages aside. Ties: the larger spare, then by id.
 */
export function nearestSurplus(c: CountyCoverage, regionId: number, itemId: number): NeighbourOffer | null {
  const from = c.regions.get(regionId)!.townshipId;
  const reach = from === null ? new Map<number, number>() : travelMinutesFrom(from, c.links);
  const own = lineageIn(c.regions, regionId);
  const best = [...c.regions.values()]
    .filter((r) => r.id !== regionId && r.level !== "VILLAGE" && !own.includes(r.id))
    .map((r) => ({
      r,
      spare: spareOf(r.level, c.line(r.id, itemId)),
      minutes: r.townshipId === null ? null : (reach.get(r.townshipId) ?? null),
    }))
    .filter((x) => x.spare > 0n)
    .sort(
      (a, b) =>
        (a.minutes ?? Infinity) - (b.minutes ?? Infinity) || Number(b.spare - a.spare) || a.r.id - b.r.id,
    )[0];
  return best
    ? { regionId: best.r.id, itemId, travelMinutes: best.minutes ?? 0, quantity: best.spare }
    : null;
}
