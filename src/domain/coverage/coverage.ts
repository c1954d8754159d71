import type { RegionLevel } from "../region/region.js";
import { type Quantity, sub } from "../shared/quantity.js";

export const COVERAGE_STATUSES = ["MET", "LOW", "CRITICAL", "NONE"] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];

/** MET at 100% of the norm or more, LOW from 50%, CRITICAL above nothing, NONE when nothing is usable. */
export function coverageStatus(usable: Quantity, required: Quantity): CoverageStatus {
  if (usable >= required) return "MET";
  if (usable * 2n >= required) return "LOW";
  return usable > 0n ? "CRITICAL" : "NONE";
}

/** usable ÷ required to four decimals, exactly (no float until the last step). */
export function coverageRatio(usable: Quantity, required: Quantity): number {
  if (required <= 0n) return 1;
  return Number((usable * 10_000n) / required) / 10_000;
}

/** What a region holds above its own norm and could lend without going short itself. */
export function lendable(usable: Quantity, required: Quantity | null): Quantity {
  const surplus = required === null ? usable : sub(usable, required);
  return (surplus > 0n ? surplus : 0n) as Quantity;
}

/**
 * What a region could lend of an item: one rule for coverage's neighbours and the gaps' nearest surplus
 * (docs/decisions.md 40). The county lends from its own warehouses, which hold for everyone; any other region what
 * it holds above its own norm, and all it holds when it has none.
 */
export function spareOf(
  level: RegionLevel,
  line: { usable: Quantity; required: Quantity | null; ownUsable: Quantity },
): Quantity {
  if (level === "COUNTY") return (line.ownUsable > 0n ? line.ownUsable : 0n) as Quantity;
  return lendable(line.usable, line.required);
}

/** A region and its ancestors, nearest first, from a map of regions by id. */
export function lineageIn(
  regions: ReadonlyMap<number, { id: number; parentId: number | null }>,
  regionId: number,
): number[] {
  const chain: number[] = [];
  for (let r = regions.get(regionId); r; r = r.parentId === null ? undefined : regions.get(r.parentId))
    chain.push(r.id);
  return chain;
}

/** Gaps worst first: the lowest share of the norm, then the largest shortfall, then by region and item. */
export function worstGapFirst(
  a: { ratio: number | null; required: Quantity | null; usable: Quantity; regionId: number; itemId: number },
  b: { ratio: number | null; required: Quantity | null; usable: Quantity; regionId: number; itemId: number },
): number {
  return (
    a.ratio! - b.ratio! ||
    Number(sub(b.required!, b.usable) - sub(a.required!, a.usable)) ||
    a.regionId - b.regionId ||
    a.itemId - b.itemId
  );
}
