import { and, asc, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { bigintArray, type CountyKey, inKeys, rowsOf } from "../keys.js";
import type { DepotRow } from "./depots.js";
import { lotUnallocated, lotUsable } from "./lotPredicates.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import { depotInScope, sameDepot } from "./scope.js";
import { depots, lots } from "../schema/index.js";
import type { ReadScope } from "../../domain/custody/policy.js";
import type { CalendarDate } from "../../domain/shared/calendar.js";
import { fromDb, type Quantity } from "../../domain/shared/quantity.js";
import type { LotCondition } from "../../domain/stock/lot.js";

export type LotRow = typeof lots.$inferSelect;

export interface LotFilter {
  depot?: CountyKey | undefined;
  itemId?: number | undefined;
  condition?: LotCondition | undefined;
  /** Lots whose expiry date is before this day. */
  expiringBefore?: string | undefined;
  serialNumber?: string | undefined;
}

/** Which lots a page of `listLots` holds: the scope's depots, the filter, after the cursor (lots joined to depots). */
export function lotListWhere(scope: ReadScope, filter: LotFilter, page: PageRequest): SQL | undefined {
  return and(
    depotInScope(scope, depots),
    filter.depot
      ? and(eq(lots.countyId, filter.depot.countyId), eq(lots.depotId, filter.depot.id))
      : undefined,
    filter.itemId !== undefined ? eq(lots.itemId, filter.itemId) : undefined,
    filter.condition ? eq(lots.condition, filter.condition) : undefined,
    filter.expiringBefore ? lt(lots.expiresOn, filter.expiringBefore) : undefined,
    filter.serialNumber ? eq(lots.serialNumber, filter.serialNumber) : undefined,
    page.afterId !== null ? gte(lots.id, page.afterId + 1) : undefined,
  );
}

/** Lots the scope may read, in a stable order. */
export async function listLots(
  db: Executor,
  scope: ReadScope,
  filter: LotFilter,
  page: PageRequest,
): Promise<Page<{ lot: LotRow; depot: DepotRow }>> {
  // the depot is joined for custody anyway; handing it back spares the page a statement for its depots
  const rows = await db
    .select({ lot: lots, depot: depots })
    .from(lots)
    .innerJoin(depots, sameDepot(lots))
    .where(lotListWhere(scope, filter, page))
    .orderBy(asc(lots.id))
    .limit(page.first + 1);
  return toPage(rows, page.first);
}

/** Lots by key, limited to depots the scope may read; others are as absent as missing ones. */
export async function findVisibleLotsByKeys(
  db: Executor,
  scope: ReadScope,
  keys: readonly CountyKey[],
): Promise<LotRow[]> {
  const rows = await db
    .select({ lot: lots })
    .from(lots)
    .innerJoin(depots, and(eq(depots.countyId, lots.countyId), eq(depots.id, lots.depotId)))
    .where(and(inKeys(lots.countyId, lots.id, keys), depotInScope(scope, depots)));
  return rows.map((r) => r.lot);
}

export function findLotsByKeys(db: Executor, keys: readonly CountyKey[]): Promise<LotRow[]> {
  return db
    .select()
    .from(lots)
    .where(inKeys(lots.countyId, lots.id, keys));
}

export async function serialNumbersTaken(
  db: Executor,
  countyId: number,
  itemId: number,
  serials: readonly string[],
): Promise<string[]> {
  if (serials.length === 0) return [];
  // a unit is on the books while a lot holds it or it is on the road; an emptied lot only keeps the number on record
  const rows = await db
    .select({ serial: lots.serialNumber })
    .from(lots)
    .where(
      and(
        eq(lots.countyId, countyId),
        eq(lots.itemId, itemId),
        inArray(lots.serialNumber, [...serials]),
        sql`(${lots.onHand} > 0 or exists (select 1 from allocations a where a.county_id = ${lots.countyId}
              and a.lot_id = ${lots.id} and a.dispatched_at is not null and a.released_at is null))`,
      ),
    );
  return [...new Set(rows.map((r) => r.serial!))];
}

/** On hand per item at a depot by the books, every condition counted: what a handover hands over. */
export async function onHandByItem(
  db: Executor,
  depot: CountyKey,
): Promise<{ itemId: number; onHand: string }[]> {
  const rows = rowsOf<{ item_id: string; on_hand: string }>(
    await db.execute(sql`
    select item_id::text as item_id, sum(on_hand)::text as on_hand from lots
     where county_id = ${depot.countyId} and depot_id = ${depot.id} and on_hand > 0
     group by item_id order by item_id`),
  );
  return rows.map((r) => ({ itemId: Number(r.item_id), onHand: r.on_hand }));
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
): Promise<{ regionId: number; itemId: number; usable: Quantity }[]> {
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
  return rows.map((r) => ({
    regionId: Number(r.region_id),
    itemId: Number(r.item_id),
    usable: fromDb(r.usable!),
  }));
}
