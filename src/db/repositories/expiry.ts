import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import type { ReadScope } from "../../domain/custody/policy.js";
import type { CoverageRegion } from "../../domain/coverage/lending.js";
import type { RegionLevel } from "../../domain/region/region.js";
import type { CalendarDate } from "../../domain/shared/calendar.js";
import type { Executor } from "../client.js";
import { bigintArray, type CountyKey, rowsOf } from "../keys.js";
import { depots, items, lots } from "../schema/index.js";
import { inRotationWindow, lotExpiresWithin, lotUnallocated, lotUsable } from "./lotPredicates.js";
import { depotInScope, inSubtrees } from "./scope.js";
import type { DepotRow } from "./depots.js";
import type { LotRow } from "./stock.js";

const inSubtree = (region: CountyKey): SQL => inSubtrees(depots, [region]);

/** Keyset position in (expiry, id) order. */
export interface ExpiryCursor {
  expiresOn: string;
  id: number;
}

/** Serviceable lots of the region's subtree that expire from `asOf` to `asOf + within`, earliest first. */
export async function expiringLots(
  db: Executor,
  scope: ReadScope,
  region: CountyKey,
  asOf: CalendarDate,
  within: number,
  page: { first: number; after: ExpiryCursor | null },
): Promise<{ rows: { lot: LotRow; depot: DepotRow }[]; hasNextPage: boolean }> {
  // the depot is joined for custody anyway; handing it back saves the page a second statement for its depots
  const rows = await db
    .select({ lot: lots, depot: depots })
    .from(lots)
    .innerJoin(depots, and(eq(depots.countyId, lots.countyId), eq(depots.id, lots.depotId)))
    .where(
      and(
        depotInScope(scope, depots),
        inSubtree(region),
        lotExpiresWithin("lots", asOf, within),
        sql`${lots.onHand} > 0`,
        page.after
          ? sql`(${lots.expiresOn}, ${lots.id}) > (${page.after.expiresOn}::date, ${page.after.id}::bigint)`
          : undefined,
      ),
    )
    .orderBy(asc(lots.expiresOn), asc(lots.id))
    .limit(page.first + 1);
  return { rows: rows.slice(0, page.first), hasNextPage: rows.length > page.first };
}

export interface RotationCandidate {
  lot: LotRow;
  regionId: number;
}

/**
 * Lots of the subtree inside their item's rotation window on `asOf` (from `rotation_lead_days` before expiry to
 * expiry), serviceable and with unallocated stock: rotation never takes what a requisition holds.
 */
export async function rotationCandidates(
  db: Executor,
  scope: ReadScope,
  region: CountyKey,
  asOf: CalendarDate,
): Promise<RotationCandidate[]> {
  const rows = await db
    .select({ lot: lots, regionId: depots.regionId })
    .from(lots)
    .innerJoin(depots, and(eq(depots.countyId, lots.countyId), eq(depots.id, lots.depotId)))
    .innerJoin(items, eq(items.id, lots.itemId))
    .where(
      and(
        depotInScope(scope, depots),
        inSubtree(region),
        inRotationWindow("lots", "items", asOf),
        sql`${lotUnallocated("lots")} > 0`,
      ),
    )
    .orderBy(asc(lots.expiresOn), asc(lots.id));
  return rows;
}

/** Every region of a county with the township it lies in (itself for a township, none for the county). */
export async function countyRegions(db: Executor, countyId: number): Promise<CoverageRegion[]> {
  const rows = rowsOf<Record<string, string | null>>(
    await db.execute(sql`
      select r.id::text, r.parent_id::text, r.level::text, r.population::text, t.id::text as township_id
        from regions r
        left join region_paths p on p.county_id = r.county_id and p.descendant_id = r.id
          and p.ancestor_id in (select id from regions where county_id = ${countyId} and level = 'TOWNSHIP')
        left join regions t on t.county_id = p.county_id and t.id = p.ancestor_id
       where r.county_id = ${countyId} order by r.id`),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    parentId: r.parent_id === null ? null : Number(r.parent_id),
    level: r.level as RegionLevel,
    population: Number(r.population),
    townshipId: r.township_id === null ? null : Number(r.township_id),
  }));
}

/**
 * Usable stock (serviceable, unexpired on `asOf`, unallocated) of each region's subtree per item. Agreement
 * reserves are a distributor's stock on call, not the county's, so they do not count.
 */
export async function usableByRegion(
  db: Executor,
  countyId: number,
  itemIds: readonly number[],
  asOf: CalendarDate,
): Promise<{ regionId: number; itemId: number; usable: string }[]> {
  if (itemIds.length === 0) return [];
  const rows = rowsOf<Record<string, string>>(
    await db.execute(sql`
      select p.ancestor_id::text as region_id, l.item_id::text,
             sum(${lotUnallocated("l")})::text as usable
        from region_paths p
        join depots d on d.county_id = p.county_id and d.region_id = p.descendant_id and d.kind <> 'AGREEMENT_RESERVE'
        join lots l on l.county_id = d.county_id and l.depot_id = d.id
       where p.county_id = ${countyId}
         and l.item_id = any(${bigintArray(itemIds)})
         and ${lotUsable("l", asOf)}
       group by p.ancestor_id, l.item_id`),
  );
  return rows.map((r) => ({ regionId: Number(r.region_id), itemId: Number(r.item_id), usable: r.usable! }));
}

/** The depot that takes stock sent to a region: its own warehouse, township depot or village point. */
export async function receivingDepots(db: Executor, countyId: number): Promise<Map<number, number>> {
  const rows = await db
    .select({ regionId: depots.regionId, depotId: sql<string>`min(${depots.id})::text` })
    .from(depots)
    .where(
      and(
        eq(depots.countyId, countyId),
        sql`${depots.kind} in ('COUNTY_WAREHOUSE', 'TOWNSHIP_DEPOT', 'VILLAGE_POINT')`,
      ),
    )
    .groupBy(depots.regionId);
  return new Map(rows.map((r) => [r.regionId, Number(r.depotId)]));
}
