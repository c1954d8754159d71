import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { ReadScope } from "../../domain/custody/policy.js";
import type { DepotKind, RegionLevel } from "../../domain/region/region.js";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys, rowsOf } from "../keys.js";
import { depots, regionPaths, regions } from "../schema/index.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import { depotInScope } from "./scope.js";

export type DepotRow = typeof depots.$inferSelect;
export type NewDepot = Omit<typeof depots.$inferInsert, "id" | "createdAt">;

export async function insert(db: Executor, depot: NewDepot): Promise<DepotRow> {
  const [row] = await db.insert(depots).values(depot).returning();
  return row!;
}

export type DepotPatch = Partial<
  Pick<
    DepotRow,
    "nameZh" | "nameEn" | "address" | "custodianOrg" | "latitude" | "longitude" | "callUpLeadHours" | "kind"
  >
>;

export async function update(db: Executor, key: CountyKey, patch: DepotPatch): Promise<DepotRow> {
  const [row] = await db
    .update(depots)
    .set(patch)
    .where(inKeys(depots.countyId, depots.id, [key]))
    .returning();
  return row!;
}

export async function close(db: Executor, key: CountyKey, at: Date, reason: string): Promise<DepotRow> {
  const [row] = await db
    .update(depots)
    .set({ closedAt: at, closedReason: reason })
    .where(inKeys(depots.countyId, depots.id, [key]))
    .returning();
  return row!;
}

export async function findByCode(db: Executor, countyId: number, code: string): Promise<DepotRow | null> {
  const [row] = await db
    .select()
    .from(depots)
    .where(and(eq(depots.countyId, countyId), eq(depots.code, code)));
  return row ?? null;
}

/** What still ties a depot to stock and work: each must be zero before it may close. */
export interface DepotTies {
  onHand: string;
  allocated: string;
  openRequisitions: number;
  openLoans: number;
  openStockTakes: number;
}

/** Everything that keeps a depot open, in one statement (called with the depot locked). */
export async function ties(db: Executor, key: CountyKey): Promise<DepotTies> {
  const [row] = rowsOf<Record<string, string>>(
    await db.execute(sql`
      select
        (select coalesce(sum(on_hand), 0)::text from lots where county_id = ${key.countyId} and depot_id = ${key.id}) as on_hand,
        (select coalesce(sum(allocated), 0)::text from lots where county_id = ${key.countyId} and depot_id = ${key.id}) as allocated,
        (select count(*)::text from requisitions where county_id = ${key.countyId} and destination_depot_id = ${key.id}
           and status not in ('REJECTED', 'RECEIVED', 'RETURNED', 'CLOSED', 'CANCELLED', 'ESCALATED')) as open_requisitions,
        (select count(*)::text from loans where county_id = ${key.countyId} and lender_depot_id = ${key.id}
           and status = 'OPEN') as open_loans,
        (select count(*)::text from stock_takes where county_id = ${key.countyId} and depot_id = ${key.id}
           and status = 'OPEN') as open_stock_takes`),
  );
  return {
    onHand: row!.on_hand!,
    allocated: row!.allocated!,
    openRequisitions: Number(row!.open_requisitions),
    openLoans: Number(row!.open_loans),
    openStockTakes: Number(row!.open_stock_takes),
  };
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

/** A depot, the level of its region and the region's ancestors, in one statement (every stock command asks it). */
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
    .where(inKeys(depots.countyId, depots.id, [key]))
    // a stock command holds its depot until it commits, so a closing cannot slip in between (lockForClosing)
    .for("key share", { of: depots });
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

/**
 * Serialises commands about one depot as a whole (opening a stock-take, changing the depot or its keepers). NO KEY
 * UPDATE, so stock commands, which hold the depot row in KEY SHARE (findPlaced), are not held up by it.
 */
export async function lock(db: Executor, key: CountyKey): Promise<DepotRow | null> {
  const [row] = await db
    .select()
    .from(depots)
    .where(inKeys(depots.countyId, depots.id, [key]))
    .for("no key update");
  return row ?? null;
}

/**
 * The lock a closing takes: FOR UPDATE waits for every stock command holding the row in KEY SHARE to finish, and
 * every stock command after it waits for the closing and then sees the depot closed.
 */
export async function lockForClosing(db: Executor, key: CountyKey): Promise<DepotRow | null> {
  const [row] = await db
    .select()
    .from(depots)
    .where(inKeys(depots.countyId, depots.id, [key]))
    .for("update");
  return row ?? null;
}
