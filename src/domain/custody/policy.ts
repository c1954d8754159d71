import type { RegionLevel } from "../region/region.js";
import type { Actor, DepotRef, RegionRef } from "./actor.js";

/**
 * What an actor may read, as data the repositories turn into WHERE clauses: every region subtree an officer
 * or auditor holds, and the depots a keeper keeps. Keepers read their own depots only.
 */
export interface ReadScope {
  /** Regions whose whole subtree (depots included) the actor may read. */
  subtrees: RegionRef[];
  /** Single depots the actor may read. */
  depots: DepotRef[];
  /** Counties in which the actor may read the region tree itself (public administrative data). */
  counties: number[];
}

export function readScope(actor: Actor): ReadScope {
  return {
    subtrees: actor.grants
      .filter((g) => g.role !== "KEEPER")
      .map(({ countyId, regionId }) => ({ countyId, regionId })),
    depots: [...actor.keptDepots],
    counties: [...new Set(actor.grants.map((g) => g.countyId))],
  };
}

/** The facts about a depot that custody decisions need, loaded inside the deciding transaction. */
export interface DepotFacts {
  countyId: number;
  depotId: number;
  regionId: number;
  regionLevel: RegionLevel;
  /** The depot's region and all its ancestors, nearest first. */
  regionLineage: readonly number[];
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

/**
 * Custody rule 1 (docs/custody-rules.md): a keeper changes stock only at depots assigned to them; a township office at its own
 * township's depots (the township and its villages); the county at county-level depots. Auditors only read.
 */
export function decideStockChange(actor: Actor, depot: DepotFacts): Decision {
  for (const grant of actor.grants) {
    if (grant.countyId !== depot.countyId) continue;
    switch (grant.role) {
      case "KEEPER":
        if (actor.keptDepots.some((d) => d.countyId === depot.countyId && d.depotId === depot.depotId))
          return allow;
        break;
      case "TOWNSHIP_OFFICER":
        if (depot.regionLevel !== "COUNTY" && depot.regionLineage.includes(grant.regionId)) return allow;
        break;
      case "COUNTY_OFFICER":
        if (depot.regionLevel === "COUNTY" && depot.regionId === grant.regionId) return allow;
        break;
      case "AUDITOR":
      case "COUNTY_ADMIN":
        break;
    }
  }
  return deny(denialReason(actor, depot));
}

/** Why an actor is no custodian of a depot, said by the strongest role they hold in its county. */
function denialReason(actor: Actor, depot: DepotFacts): string {
  const roles = new Set(actor.grants.filter((g) => g.countyId === depot.countyId).map((g) => g.role));
  if (roles.has("COUNTY_OFFICER") && depot.regionLevel !== "COUNTY")
    return "the county changes stock only at county-level depots; this depot is in the custody of its township";
  if (roles.has("TOWNSHIP_OFFICER"))
    return "a township office changes stock only at its own township's depots";
  if (roles.has("KEEPER")) return "a keeper changes stock only at the depots assigned to them";
  if (roles.has("AUDITOR")) return "auditors read, they do not change stock";
  return "not a custodian of this depot";
}

/**
 * Custody rule 1, administration: a county's administrator manages its people, places, catalogue and agreements,
 * and nothing else; an administrator of another county is told nothing (the caller answers NOT_FOUND).
 */
export function decideAdministration(actor: Actor, countyId: number): Decision {
  return actor.grants.some((g) => g.role === "COUNTY_ADMIN" && g.countyId === countyId)
    ? allow
    : deny("not an administrator of this county");
}

/**
 * Custody rule 1, opening the books (建账): the county's administrator records the opening balances of a 台账
 * import at any depot of the county, as receipts with source OPENING_BALANCE and nothing else; a custodian may too.
 */
export function decideOpeningBalance(actor: Actor, depot: DepotFacts): Decision {
  if (decideAdministration(actor, depot.countyId).allowed) return allow;
  return decideStockChange(actor, depot);
}

/**
 * Reserve norms (储备定额) are the county's to set: a county officer over the county itself. The county's
 * administrator sets them only while opening its books (a 台账 import), as with opening balances.
 */
export function decideNormSetting(actor: Actor, countyId: number, openingBooks: boolean): Decision {
  const countyOfficer = actor.grants.some(
    (g) => g.role === "COUNTY_OFFICER" && g.countyId === countyId && g.regionId === countyId,
  );
  if (countyOfficer || (openingBooks && decideAdministration(actor, countyId).allowed)) return allow;
  return deny("norms are set by the county");
}

/**
 * Calling up an agreement reserve (协议储备调用), and cancelling a call-up, are the county's: a county officer over
 * the county itself. A township asks the county (custody rule 6); it does not call on distributors itself.
 */
export function decideCallUp(actor: Actor, countyId: number): Decision {
  return actor.grants.some(
    (g) => g.role === "COUNTY_OFFICER" && g.countyId === countyId && g.regionId === countyId,
  )
    ? allow
    : deny("agreement reserves are called up by the county");
}

/** Whether a depot is inside the actor's read scope. */
export function canReadDepot(actor: Actor, depot: DepotFacts): boolean {
  const scope = readScope(actor);
  return (
    scope.depots.some((d) => d.countyId === depot.countyId && d.depotId === depot.depotId) ||
    scope.subtrees.some((s) => s.countyId === depot.countyId && depot.regionLineage.includes(s.regionId))
  );
}

/**
 * Whether the actor may read figures rolled up over a whole region (readiness, coverage): only a role held over
 * that region or one of its ancestors. Keepers see their depots, not their township's totals.
 */
export function coversRegion(
  actor: Actor,
  region: { countyId: number; regionLineage: readonly number[] },
): boolean {
  return readScope(actor).subtrees.some(
    (s) => s.countyId === region.countyId && region.regionLineage.includes(s.regionId),
  );
}

/**
 * Coverage is read by those over the region (county officers and auditors the whole county, a township office its
 * subtree) and by a keeper for the region their depot belongs to.
 */
export function canReadCoverage(
  actor: Actor,
  region: { countyId: number; regionId: number; regionLineage: readonly number[] },
  keptDepotRegions: readonly RegionRef[],
): boolean {
  return (
    coversRegion(actor, region) ||
    keptDepotRegions.some((r) => r.countyId === region.countyId && r.regionId === region.regionId)
  );
}

/**
 * Counties whose administration log the actor may read: those where it audits, runs civil affairs or administers
 * (custody rule 7, docs/custody-rules.md). Township offices and keepers read stock, not who changed the set-up.
 */
export function auditLogCounties(actor: Actor): number[] {
  return [
    ...new Set(
      actor.grants
        .filter((g) => g.role === "AUDITOR" || g.role === "COUNTY_OFFICER" || g.role === "COUNTY_ADMIN")
        .map((g) => g.countyId),
    ),
  ];
}

/**
 * Counties whose vehicles on call (应急运力) the actor reads: every county it works in, in any role. Transport is
 * one county-wide pool on disaster day (a township loads a truck that stands by in its neighbour), and the keeper
 * who dispatches is the one who names the truck.
 */
export function vehicleCounties(actor: Actor): number[] {
  return [...new Set(actor.grants.map((g) => g.countyId))];
}

/** The facts about a region that emergency decisions need, loaded inside the deciding transaction. */
export interface RegionFacts {
  countyId: number;
  regionId: number;
  regionLevel: RegionLevel;
  /** The region and all its ancestors, nearest first. */
  regionLineage: readonly number[];
}

/**
 * Declaring and ending an emergency (应急响应, 先处置后补手续): a township office for its own township (and its
 * villages), a county officer for any region of the county. Keepers, auditors and administrators do not.
 */
export function decideEmergency(actor: Actor, region: RegionFacts): Decision {
  for (const grant of actor.grants) {
    if (grant.countyId !== region.countyId) continue;
    if (grant.role === "COUNTY_OFFICER" && grant.regionId === region.countyId) return allow;
    if (
      grant.role === "TOWNSHIP_OFFICER" &&
      region.regionLevel !== "COUNTY" &&
      region.regionLineage.includes(grant.regionId)
    )
      return allow;
  }
  return deny(
    actor.grants.some((g) => g.countyId === region.countyId && g.role === "TOWNSHIP_OFFICER")
      ? "a township office declares and ends emergencies only for its own township"
      : "emergencies are declared by a township office or the county",
  );
}

/**
 * Paperwork owed after an emergency (补办手续) is approved or contested by the office that owes it: the township
 * office of that township, or a county officer for what the county owes.
 */
export function decidePaperwork(actor: Actor, owedBy: RegionFacts): Decision {
  const office = owedBy.regionLevel === "COUNTY" ? "COUNTY_OFFICER" : "TOWNSHIP_OFFICER";
  return actor.grants.some(
    (g) => g.role === office && g.countyId === owedBy.countyId && g.regionId === owedBy.regionId,
  )
    ? allow
    : deny("paperwork is done by the office that owes it");
}
