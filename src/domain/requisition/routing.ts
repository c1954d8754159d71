import type { RegionLevel } from "../region/region.js";
import { DomainError } from "../shared/errors.js";

export interface RouteFacts {
  requester: { id: number; level: RegionLevel; countyId: number };
  supplier: { id: number; level: RegionLevel; countyId: number };
  /** Whether the two regions have a mutual-aid link. */
  neighbours: boolean;
}

/**
 * Custody rule 6 (docs/custody-rules.md): a township asks its neighbours (mutual-aid links) or its county; anything else goes through the
 * county by escalation, never directly.
 */
export function assertRoute(f: RouteFacts): void {
  const refuse = (why: string) => {
    throw new DomainError("ROUTE_NOT_ALLOWED", why, ["supplyingRegionId"]);
  };
  if (f.requester.countyId !== f.supplier.countyId) refuse("requests across counties go through the county");
  if (f.requester.level !== "TOWNSHIP")
    refuse("requests are made by a township office; villages ask their township");
  if (f.requester.id === f.supplier.id) refuse("a township cannot request from itself");
  if (f.supplier.level === "COUNTY") return;
  if (f.supplier.level === "TOWNSHIP" && f.neighbours) return;
  refuse("a township asks its neighbours or the county; other townships only through the county (escalate)");
}
