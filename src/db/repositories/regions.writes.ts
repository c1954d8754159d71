import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys, rowsOf } from "../keys.js";
import { findByDivisionCode, type RegionRow } from "./regions.js";
import { regionNeighbours, regionPaths, regions } from "../schema/index.js";
import type { RegionLevel } from "../../domain/region/region.js";

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
