import type { Role } from "./roles.js";

export interface RegionRef {
  countyId: number;
  regionId: number;
}

export interface DepotRef {
  countyId: number;
  depotId: number;
}

export interface Grant extends RegionRef {
  role: Role;
}

/** Who is acting, as the custody policy sees them: identity, grants and the depots they keep. */
export interface Actor {
  userId: number;
  username: string;
  grants: readonly Grant[];
  keptDepots: readonly DepotRef[];
}

export const hasRole = (actor: Actor, ...roles: Role[]): boolean =>
  actor.grants.some((g) => roles.includes(g.role));
