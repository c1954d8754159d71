import { type Quantity, sub, ZERO } from "../shared/quantity.js";
import { effectiveNorm, type NormRule, type RegionFacts, requiredQuantity } from "./norm.js";

export interface RegionShortfall {
  regionId: number;
  itemId: number;
  required: Quantity;
  usable: Quantity;
  short: Quantity;
}

/** Every (region, item) whose usable stock is below its norm, with how much is missing. */
export function shortfalls(input: {
  regions: readonly RegionFacts[];
  itemIds: readonly number[];
  rules: readonly NormRule[];
  unitScale: (itemId: number) => number;
  usable: (regionId: number, itemId: number) => Quantity | undefined;
}): RegionShortfall[] {
  const out: RegionShortfall[] = [];
  for (const region of input.regions) {
    for (const itemId of input.itemIds) {
      const rule = effectiveNorm(region, itemId, input.rules);
      if (!rule) continue;
      const required = requiredQuantity(rule, region.population, input.unitScale(itemId));
      const usable = input.usable(region.id, itemId) ?? ZERO;
      if (usable < required)
        out.push({ regionId: region.id, itemId, required, usable, short: sub(required, usable) });
    }
  }
  return out;
}
