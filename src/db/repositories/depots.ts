import { and, asc, eq, gt, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys, rowsOf } from "../keys.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import { depotInScope } from "./scope.js";
import { depots } from "../schema/index.js";
import type { ReadScope } from "../../domain/custody/policy.js";
import type { DepotTies } from "../../domain/region/depotClosure.js";
import type { DepotKind } from "../../domain/region/region.js";
import { fromDb } from "../../domain/shared/quantity.js";

export type DepotRow = typeof depots.$inferSelect;

export async function findByCode(db: Executor, countyId: number, code: string): Promise<DepotRow | null> {
  const [row] = await db
    .select()
    .from(depots)
    .where(and(eq(depots.countyId, countyId), eq(depots.code, code)));
  return row ?? null;
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
    onHand: fromDb(row!.on_hand!),
    allocated: fromDb(row!.allocated!),
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

/** Which depots a page of `list` holds: in scope, the filter's, after the cursor. */
export function depotListWhere(scope: ReadScope, filter: DepotFilter, page: PageRequest): SQL | undefined {
  return and(
    depotInScope(scope, depots),
    filter.region
      ? sql`(${depots.countyId}, ${depots.regionId}) in (select county_id, descendant_id from region_paths where county_id = ${filter.region.countyId} and ancestor_id = ${filter.region.id})`
      : undefined,
    filter.kind ? eq(depots.kind, filter.kind) : undefined,
    page.afterId !== null ? gt(depots.id, page.afterId) : undefined,
  );
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
    .where(depotListWhere(scope, filter, page))
    .orderBy(asc(depots.id))
    .limit(page.first + 1);
  return toPage(rows, page.first);
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
