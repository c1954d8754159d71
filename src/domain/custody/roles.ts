export const ROLES = ["KEEPER", "TOWNSHIP_OFFICER", "COUNTY_OFFICER", "AUDITOR", "COUNTY_ADMIN"] as const;
export type Role = (typeof ROLES)[number];
