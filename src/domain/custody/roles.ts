export const ROLES = ["KEEPER", "TOWNSHIP_OFFICER", "COUNTY_OFFICER", "AUDITOR"] as const;
export type Role = (typeof ROLES)[number];
