import { and, asc, eq, getTableColumns, gt, sql } from "drizzle-orm";
import type { ReadScope } from "../../domain/custody/policy.js";
import type { DepotKind, RegionLevel } from "../../domain/region/region.js";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import { depotKeepers, depots, regionPaths, regions, users } from "../schema/index.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import { depotInScope } from "./scope.js";

export type DepotRow = typeof depots.$inferSelect;
export type NewDepot = Omit<typeof depots.$inferInsert, "id" | "createdAt">;

export async function insert(db: Executor, depot: NewDepot): Promise<DepotRow> {
  const [row] = await db.insert(depots).values(depot).returning();
  return row!;
}

export async function assignKeeper(db: Executor, depot: CountyKey, userId: number): Promise<void> {
  await db
    .insert(depotKeepers)
    .values({ countyId: depot.countyId, depotId: depot.id, userId })
    .onConflictDoNothing();
}

export function findByKeys(db: Executor, keys: readonly CountyKey[]): Promise<DepotRow[]> {
  return db
    .select()
    .from(depots)
    .where(inKeys(depots.countyId, depots.id, keys));
}

/** A depot with where it stands: what custody decides on. */
export interface PlacedDepot {
  depot: DepotRow;
  regionLevel: RegionLevel;
  /** The depot's region and its ancestors, nearest first. */
  lineage: number[];
}

/** A depot, the level of its region and the region's ancestors, in one statement (every command asks it). */
export async function findPlaced(db: Executor, key: CountyKey): Promise<PlacedDepot | null> {
  const [row] = await db
    .select({
      depot: depots,
      regionLevel: regions.level,
      lineage: sql<
        string | null
      >`(select string_agg(${regionPaths.ancestorId}::text, ',' order by ${regionPaths.depth})
        from ${regionPaths}
        where ${regionPaths.countyId} = ${depots.countyId} and ${regionPaths.descendantId} = ${depots.regionId})`,
    })
    .from(depots)
    .innerJoin(regions, and(eq(regions.countyId, depots.countyId), eq(regions.id, depots.regionId)))
    .where(inKeys(depots.countyId, depots.id, [key]));
  if (!row) return null;
  return {
    depot: row.depot,
    regionLevel: row.regionLevel,
    lineage: (row.lineage ?? String(row.depot.regionId)).split(",").map(Number),
  };
}

/** Same as findByKeys, limited to what the scope may read. */
export function findVisibleByKeys(
  db: Executor,
  scope: ReadScope,
  keys: readonly CountyKey[],
): Promise<DepotRow[]> {
  return db
    .select()
    .from(depots)
    .where(and(inKeys(depots.countyId, depots.id, keys), depotInScope(scope, depots)));
}

export type KeeperRow = typeof users.$inferSelect & { countyId: number; depotId: number };

export function findKeepers(db: Executor, keys: readonly CountyKey[]): Promise<KeeperRow[]> {
  return db
    .select({
      ...getTableColumns(users),
      countyId: depotKeepers.countyId,
      depotId: depotKeepers.depotId,
    })
    .from(depotKeepers)
    .innerJoin(users, eq(users.id, depotKeepers.userId))
    .where(inKeys(depotKeepers.countyId, depotKeepers.depotId, keys))
    .orderBy(asc(users.username));
}

export interface DepotFilter {
  region?: CountyKey | undefined;
  kind?: DepotKind | undefined;
}

export async function list(
  db: Executor,
  scope: ReadScope,
  filter: DepotFilter,
  page: PageRequest,
): Promise<Page<DepotRow>> {
  const rows = await db
    .select()
    .from(depots)
    .where(
      and(
        depotInScope(scope, depots),
        filter.region
          ? sql`(${depots.countyId}, ${depots.regionId}) in (select county_id, descendant_id from region_paths where county_id = ${filter.region.countyId} and ancestor_id = ${filter.region.id})`
          : undefined,
        filter.kind ? eq(depots.kind, filter.kind) : undefined,
        page.afterId !== null ? gt(depots.id, page.afterId) : undefined,
      ),
    )
    .orderBy(asc(depots.id))
    .limit(page.first + 1);
  return toPage(rows, page.first);
}

/** Serialises commands about one depot as a whole (opening a stock-take). */
export async function lock(db: Executor, key: CountyKey): Promise<DepotRow | null> {
  const [row] = await db
    .select()
    .from(depots)
    .where(inKeys(depots.countyId, depots.id, [key]))
    .for("update");
  return row ?? null;
}
