import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys, rowsOf } from "../keys.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import { regionNeighbours, regionPaths, regions } from "../schema/index.js";
import type { CoverageRegion } from "../../domain/coverage/lending.js";
import type { RegionLevel } from "../../domain/region/region.js";

export type RegionRow = typeof regions.$inferSelect;

export type NeighbourRow = typeof regionNeighbours.$inferSelect;

export function findByKeys(db: Executor, keys: readonly CountyKey[]): Promise<RegionRow[]> {
  return db
    .select()
    .from(regions)
    .where(inKeys(regions.countyId, regions.id, keys));
}

export function findChildren(db: Executor, parents: readonly CountyKey[]): Promise<RegionRow[]> {
  return db
    .select()
    .from(regions)
    .where(inKeys(regions.countyId, regions.parentId, parents))
    .orderBy(asc(regions.id));
}

export function findNeighbours(db: Executor, keys: readonly CountyKey[]): Promise<NeighbourRow[]> {
  return db
    .select()
    .from(regionNeighbours)
    .where(inKeys(regionNeighbours.countyId, regionNeighbours.regionId, keys))
    .orderBy(asc(regionNeighbours.travelMinutes), asc(regionNeighbours.neighbourId));
}

/** Each region's ancestors including itself, nearest first. */
export async function findLineages(db: Executor, keys: readonly CountyKey[]): Promise<Map<string, number[]>> {
  const rows = await db
    .select()
    .from(regionPaths)
    .where(inKeys(regionPaths.countyId, regionPaths.descendantId, keys))
    .orderBy(asc(regionPaths.depth));
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const k = `${r.countyId}:${r.descendantId}`;
    out.set(k, [...(out.get(k) ?? []), r.ancestorId]);
  }
  return out;
}

export interface RegionFilter {
  counties: number[];
  level?: RegionLevel | undefined;
  parent?: CountyKey | undefined;
}

export async function list(db: Executor, filter: RegionFilter, page: PageRequest): Promise<Page<RegionRow>> {
  if (filter.counties.length === 0) return { rows: [], hasNextPage: false };
  const rows = await db
    .select()
    .from(regions)
    .where(
      and(
        inArray(regions.countyId, filter.counties),
        filter.level ? eq(regions.level, filter.level) : undefined,
        filter.parent
          ? and(eq(regions.countyId, filter.parent.countyId), eq(regions.parentId, filter.parent.id))
          : undefined,
        page.afterId !== null ? gt(regions.id, page.afterId) : undefined,
      ),
    )
    .orderBy(asc(regions.id))
    .limit(page.first + 1);
  return toPage(rows, page.first);
}

export function findByDivisionCode(db: Executor, divisionCode: string): Promise<RegionRow[]> {
  return db.select().from(regions).where(eq(regions.divisionCode, divisionCode));
}

/** Whether any county has been set up yet (start-up seeds the demo county into an empty database). */
export async function anyExists(db: Executor): Promise<boolean> {
  const rows = await db.select({ id: regions.id }).from(regions).limit(1);
  return rows.length > 0;
}

export function linksOfCounty(db: Executor, countyId: number): Promise<NeighbourRow[]> {
  return db.select().from(regionNeighbours).where(eq(regionNeighbours.countyId, countyId));
}

/** The region and every region below it, in a stable order. */
export async function listSubtree(
  db: Executor,
  root: CountyKey,
  page: PageRequest,
): Promise<Page<RegionRow>> {
  const rows = await db
    .select()
    .from(regions)
    .where(
      and(
        eq(regions.countyId, root.countyId),
        sql`${regions.id} in (select descendant_id from region_paths where county_id = ${root.countyId} and ancestor_id = ${root.id})`,
        page.afterId !== null ? gt(regions.id, page.afterId) : undefined,
      ),
    )
    .orderBy(asc(regions.id))
    .limit(page.first + 1);
  return toPage(rows, page.first);
}

export async function findLink(
  db: Executor,
  countyId: number,
  a: number,
  b: number,
): Promise<NeighbourRow | null> {
  const [row] = await db
    .select()
    .from(regionNeighbours)
    .where(
      and(
        eq(regionNeighbours.countyId, countyId),
        eq(regionNeighbours.regionId, a),
        eq(regionNeighbours.neighbourId, b),
      ),
    );
  return row ?? null;
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
