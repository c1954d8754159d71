import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { RegionLevel } from "../../domain/region/region.js";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys, rowsOf } from "../keys.js";
import { regionNeighbours, regionPaths, regions } from "../schema/index.js";
import { type Page, type PageRequest, toPage } from "./page.js";

export type RegionRow = typeof regions.$inferSelect;
export type NeighbourRow = typeof regionNeighbours.$inferSelect;

export interface NewRegion {
  level: RegionLevel;
  divisionCode: string;
  nameZh: string;
  nameEn: string;
  population: number;
}

/** A county is the root of its own tree and of its own shard: its county_id is its id. */
export async function insertCounty(db: Executor, region: NewRegion): Promise<RegionRow> {
  const [{ id }] = (await db
    .execute<{ id: string }>(sql`select nextval(pg_get_serial_sequence('regions', 'id'))::text as id`)
    .then(rowsOf)) as [{ id: string }];
  const countyId = Number(id);
  const [row] = await db
    .insert(regions)
    .values({ ...region, id: countyId, countyId, parentId: null })
    .returning();
  await db.insert(regionPaths).values({ countyId, ancestorId: countyId, descendantId: countyId, depth: 0 });
  return row!;
}

/** Inserts a region under its parent and extends the closure table in the same statement batch. */
export async function insertChildRegion(
  db: Executor,
  parent: CountyKey,
  region: NewRegion,
): Promise<RegionRow> {
  const [row] = await db
    .insert(regions)
    .values({ ...region, countyId: parent.countyId, parentId: parent.id })
    .returning();
  await db.execute(sql`
    insert into region_paths (county_id, ancestor_id, descendant_id, depth)
    select county_id, ancestor_id, ${row!.id}::bigint, depth + 1 from region_paths
     where county_id = ${parent.countyId} and descendant_id = ${parent.id}
    union all select ${parent.countyId}::bigint, ${row!.id}::bigint, ${row!.id}::bigint, 0`);
  return row!;
}

export async function linkNeighbours(
  db: Executor,
  countyId: number,
  a: number,
  b: number,
  travelMinutes: number,
): Promise<void> {
  await db.insert(regionNeighbours).values([
    { countyId, regionId: a, neighbourId: b, travelMinutes },
    { countyId, regionId: b, neighbourId: a, travelMinutes },
  ]);
}

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

/** Any number will do, as long as nothing else takes the same transaction-level advisory lock. */
const DIVISION_CODE_LOCK = 7_340_001;

/**
 * Regions carrying a division code, after waiting for any other transaction that is about to claim one: a division
 * code is unique across counties, which no index can say (each county's rows are keyed by county), so two
 * simultaneous claims of one code (two `init`s of a county, two new townships) take turns and the second sees the
 * first. The lock ends with the transaction.
 */
export async function claimDivisionCode(db: Executor, divisionCode: string): Promise<RegionRow[]> {
  await db.execute(sql`select pg_advisory_xact_lock(${DIVISION_CODE_LOCK})`);
  return findByDivisionCode(db, divisionCode);
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

export async function update(
  db: Executor,
  key: CountyKey,
  patch: Partial<Pick<RegionRow, "nameZh" | "nameEn" | "population">>,
): Promise<RegionRow> {
  const [row] = await db
    .update(regions)
    .set(patch)
    .where(inKeys(regions.countyId, regions.id, [key]))
    .returning();
  return row!;
}

export async function lock(db: Executor, key: CountyKey): Promise<RegionRow | null> {
  const [row] = await db
    .select()
    .from(regions)
    .where(inKeys(regions.countyId, regions.id, [key]))
    .for("update");
  return row ?? null;
}

/** Regions of one county with these ids, locked in id order (both ends of a mutual-aid link). */
export function lockMany(db: Executor, countyId: number, ids: readonly number[]): Promise<RegionRow[]> {
  return db
    .select()
    .from(regions)
    .where(and(eq(regions.countyId, countyId), inArray(regions.id, [...ids])))
    .orderBy(asc(regions.id))
    .for("update");
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

/** Sets the travel time of a link in both directions, creating it when new. */
export async function setLink(
  db: Executor,
  countyId: number,
  a: number,
  b: number,
  travelMinutes: number,
): Promise<void> {
  await db
    .insert(regionNeighbours)
    .values([
      { countyId, regionId: a, neighbourId: b, travelMinutes },
      { countyId, regionId: b, neighbourId: a, travelMinutes },
    ])
    .onConflictDoUpdate({
      target: [regionNeighbours.countyId, regionNeighbours.regionId, regionNeighbours.neighbourId],
      set: { travelMinutes },
    });
}

export async function unlink(db: Executor, countyId: number, a: number, b: number): Promise<void> {
  await db
    .delete(regionNeighbours)
    .where(
      and(
        eq(regionNeighbours.countyId, countyId),
        sql`(${regionNeighbours.regionId}, ${regionNeighbours.neighbourId}) in ((${a}::bigint, ${b}::bigint), (${b}::bigint, ${a}::bigint))`,
      ),
    );
}
