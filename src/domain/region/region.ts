/** County (县) > township (乡镇/街道) > village (村/社区). */
export const REGION_LEVELS = ["COUNTY", "TOWNSHIP", "VILLAGE"] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** The level a region's children must have; villages have none. */
export function childLevel(level: RegionLevel): RegionLevel | null {
  return level === "COUNTY" ? "TOWNSHIP" : level === "TOWNSHIP" ? "VILLAGE" : null;
}

export const DEPOT_KINDS = [
  "COUNTY_WAREHOUSE",
  "TOWNSHIP_DEPOT",
  "VILLAGE_POINT",
  "AGENT_STORAGE",
  "AGREEMENT_RESERVE",
] as const;
export type DepotKind = (typeof DEPOT_KINDS)[number];
