import type { RegionLevel } from "../region/region.js";
import type { Quantity } from "../shared/quantity.js";

export const NORM_BASES = ["ABSOLUTE", "PER_THOUSAND_RESIDENTS"] as const;
export type NormBasis = (typeof NORM_BASES)[number];

/** A reserve norm (储备定额) as set: for one region, or for every region of a level. */
export interface NormRule {
  itemId: number;
  regionId: number | null;
  level: RegionLevel | null;
  basis: NormBasis;
  quantity: Quantity;
  reserveFloor: Quantity;
}

export interface RegionFacts {
  id: number;
  level: RegionLevel;
  population: number;
}

/** A region's own norm wins over the norm of its level. */
export function effectiveNorm(
  region: RegionFacts,
  itemId: number,
  rules: readonly NormRule[],
): NormRule | null {
  const forItem = rules.filter((r) => r.itemId === itemId);
  return (
    forItem.find((r) => r.regionId === region.id) ??
    forItem.find((r) => r.regionId === null && r.level === region.level) ??
    null
  );
}

const THOUSANDTHS_PER_UNIT = 1000n;

/** Rounds up to the unit's precision: half a generator short is one generator short. */
function ceilToScale(q: bigint, scale: number): bigint {
  const step = THOUSANDTHS_PER_UNIT / 10n ** BigInt(scale);
  return ((q + step - 1n) / step) * step;
}

/** What a region must hold of an item: absolute, or per 1,000 residents, rounded up to the unit's precision. */
export function requiredQuantity(rule: NormRule, population: number, unitScale: number): Quantity {
  if (rule.basis === "ABSOLUTE") return rule.quantity;
  return ceilToScale((rule.quantity * BigInt(population) + 999n) / 1000n, unitScale) as Quantity;
}
