import { DomainError } from "../shared/errors.js";
import type { RegionLevel } from "./region.js";

/**
 * Significant digits of a statistical division code (统计用区划代码) per level: the county's first 6, a township's
 * first 9, a village's all 12. The rest of a stored code is zeros.
 */
const SIGNIFICANT: Record<RegionLevel, number> = { COUNTY: 6, TOWNSHIP: 9, VILLAGE: 12 };

/**
 * The 12-digit code of a new region at `level` under a parent with `parentCode`. The code may be given as its
 * significant digits or as all 12; it must begin with the parent's significant digits, add its own part (not all
 * zeros) and end in zeros.
 */
export function childDivisionCode(level: RegionLevel, parentCode: string, given: string): string {
  const field = ["divisionCode"];
  const own = SIGNIFICANT[level];
  const code = given.trim();
  if (!/^\d+$/.test(code) || (code.length !== own && code.length !== 12)) {
    throw new DomainError("INVALID_INPUT", `a ${level.toLowerCase()} code has ${own} or 12 digits`, field);
  }
  const full = code.padEnd(12, "0");
  const parentLength = level === "VILLAGE" ? SIGNIFICANT.TOWNSHIP : SIGNIFICANT.COUNTY;
  const ownPart = full.slice(parentLength, own);
  if (
    !full.startsWith(parentCode.slice(0, parentLength)) ||
    /^0+$/.test(ownPart) ||
    /[^0]/.test(full.slice(own))
  ) {
    throw new DomainError(
      "DIVISION_CODE_NOT_UNDER_PARENT",
      `the code must extend ${parentCode.slice(0, parentLength)} by ${own - parentLength} digits of its own`,
      field,
    );
  }
  return full;
}
