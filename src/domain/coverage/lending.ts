import type { RegionLevel } from "../region/region.js";
import { type Link, travelMinutesFrom } from "../region/travel.js";
import type { Quantity } from "../shared/quantity.js";
import { coverageRatio, coverageStatus, type CoverageStatus, lineageIn, spareOf } from "./coverage.js";

/** A region as coverage reads it: where it hangs, how many live there, and the township it lies in. */
export interface CoverageRegion {
  id: number;
  parentId: number | null;
  level: RegionLevel;
  population: number;
  /** Itself for a township, its township for a village, none for the county. */
  townshipId: number | null;
}

/** One region's coverage of one item, its whole subtree summed. */
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

/** What another region could lend of an item, and how far away it is. */
export interface NeighbourOffer {
  regionId: number;
  itemId: number;
  travelMinutes: number;
  quantity: Quantity;
}

/** A county's regions, mutual-aid links, the items with a norm and every region's line for an item. */
export interface CountyCoverage {
  regions: ReadonlyMap<number, CoverageRegion>;
  itemIds: readonly number[];
  links: readonly Link[];
  line(regionId: number, itemId: number): CoverageLine;
}

/** Regions within `minutes` of `origin` over mutual-aid links, itself included. */
export function withinReach(origin: number, minutes: number, links: readonly Link[]): number[] {
  return [...travelMinutesFrom(origin, links)].filter(([, m]) => m <= minutes).map(([id]) => id);
}

/** Lines of one region: every item that has a norm there. */
export function regionLines(c: CountyCoverage, regionId: number): CoverageLine[] {
  return c.itemIds.map((itemId) => c.line(regionId, itemId)).filter((l) => l.required !== null);
}

/** Whether `regionId` is `rootId` or lies below it. */
export function inSubtreeOf(c: CountyCoverage, rootId: number, regionId: number): boolean {
  return lineageIn(c.regions, regionId).includes(rootId);
}

/** Neighbours within reach, nearest first, and what each could lend of an item (spareOf). */
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

/** A region's stock of an item as the statements sum it, in exact quantities. */
export interface CoverageFigures {
  onHand: Quantity;
  usable: Quantity;
  expiringWithin30Days: Quantity;
  ownUsable: Quantity;
  callable: Quantity;
  callUpLeadHours: number | null;
}

/** A region's line for an item: its figures measured against the norm it must hold (null when none applies). */
export function coverageLine(
  regionId: number,
  itemId: number,
  required: Quantity | null,
  f: CoverageFigures,
): CoverageLine {
  return {
    regionId,
    itemId,
    required,
    ...f,
    ratio: required === null ? null : coverageRatio(f.usable, required),
    status: required === null ? null : coverageStatus(f.usable, required),
  };
}
