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
