import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { bigintArray, type CountyKey, keyRows, rowsOf } from "../keys.js";
import { runStatement, TableRows } from "../statements.js";
import { namedSums } from "./lotPredicates.js";
import { stockLevels } from "../schema/index.js";
import type { CalendarDate } from "../../domain/shared/calendar.js";
import { fromDb, type Quantity } from "../../domain/shared/quantity.js";

/** A depot's figures for one item on a day (GraphQL `StockLevel`): the `stock_levels` row with its lots' named sums. */
export interface StockLevelRow {
  countyId: number;
  depotId: number;
  itemId: number;
  onHand: Quantity;
  allocated: Quantity;
  quarantined: Quantity;
  damaged: Quantity;
  expired: Quantity;
  usable: Quantity;
  reserveFloor: Quantity;
  inTransit: Quantity;
}

/** One item at one depot: the key of a `stock_levels` row. */
export interface StockLevelKey {
  countyId: number;
  depotId: number;
  itemId: number;
}

/**
 * A stock level's key as one map key, county first. Branded like the domain's pair keys
 * (src/domain/shared/keys.ts), so a map of stock levels cannot be read with a key spelt by hand in another order.
 */
export type StockLevelKeyString = string & { readonly __key: "county:depot:item" };

export const stockLevelKeyString = (k: StockLevelKey): StockLevelKeyString =>
  `${k.countyId}:${k.depotId}:${k.itemId}` as StockLevelKeyString;

/** Dispatched, unreleased allocations on requisitions in transit, from the three tables `r`, `rl`, `a`. */
const IN_TRANSIT_JOIN = sql`requisitions r
      join requisition_lines rl on rl.county_id = r.county_id and rl.requisition_id = r.id
      join allocations a on a.county_id = rl.county_id and a.requisition_line_id = rl.id`;

const IN_TRANSIT_WHERE = sql`r.status = 'IN_TRANSIT' and a.dispatched_at is not null and a.released_at is null`;

/**
 * Per (depot, item), what is on the way to the depots of a CTE named `wanted`, found from the destination index:
 * few requisitions per depot.
 */
const INCOMING_TO_WANTED = sql`
      select r.county_id, r.destination_depot_id as depot_id, rl.item_id, sum(a.quantity) as in_transit
      from ${IN_TRANSIT_JOIN}
      where ${IN_TRANSIT_WHERE}
        and (r.county_id, r.destination_depot_id) in (select county_id, depot_id from wanted)
      group by 1, 2, 3`;

const STOCK_COLUMNS = sql`
           coalesce(t.on_hand, 0)::text as on_hand, coalesce(t.allocated, 0)::text as allocated,
           coalesce(t.quarantined, 0)::text as quarantined, coalesce(t.damaged, 0)::text as damaged,
           coalesce(t.expired, 0)::text as expired, coalesce(t.usable, 0)::text as usable,
           coalesce(s.reserve_floor, 0)::text as reserve_floor, coalesce(i.in_transit, 0)::text as in_transit`;

const toStock = (r: Record<string, string>): StockLevelRow => ({
  countyId: Number(r.county_id),
  depotId: Number(r.depot_id),
  itemId: Number(r.item_id),
  onHand: fromDb(r.on_hand!),
  allocated: fromDb(r.allocated!),
  quarantined: fromDb(r.quarantined!),
  damaged: fromDb(r.damaged!),
  expired: fromDb(r.expired!),
  usable: fromDb(r.usable!),
  reserveFloor: fromDb(r.reserve_floor!),
  inTransit: fromDb(r.in_transit!),
});

/**
 * Named quantities per item of one depot on a day, as a relation over the columns of an enclosing statement (the
 * loader below lateral-joins it per depot; the compiled read path per depot row): every item the depot holds,
 * expects or keeps a floor of (a norm before the stock arrives). Columns: item_id, the named sums, reserve_floor,
 * in_transit.
 */
export const depotStockRelation = (countyId: SQL, depotId: SQL, asOf: CalendarDate): SQL => sql`(
    with lot_totals as (
      select l.item_id, ${namedSums("l", asOf)}
      from lots l where l.county_id = ${countyId} and l.depot_id = ${depotId}
      group by l.item_id
    ),
    incoming as (
      select rl.item_id, sum(a.quantity) as in_transit
      from ${IN_TRANSIT_JOIN}
      where ${IN_TRANSIT_WHERE} and r.county_id = ${countyId} and r.destination_depot_id = ${depotId}
      group by rl.item_id
    ),
    floors as (
      select s.item_id, s.reserve_floor from stock_levels s
      where s.county_id = ${countyId} and s.depot_id = ${depotId}
    ),
    keys as (
      select item_id from lot_totals
      union select item_id from incoming
      union select item_id from floors where reserve_floor > 0
    )
    select k.item_id,
           coalesce(t.on_hand, 0) as on_hand, coalesce(t.allocated, 0) as allocated,
           coalesce(t.quarantined, 0) as quarantined, coalesce(t.damaged, 0) as damaged,
           coalesce(t.expired, 0) as expired, coalesce(t.usable, 0) as usable,
           coalesce(f.reserve_floor, 0) as reserve_floor, coalesce(i.in_transit, 0) as in_transit
    from keys k
    left join lot_totals t on t.item_id = k.item_id
    left join incoming i on i.item_id = k.item_id
    left join floors f on f.item_id = k.item_id)`;

/** Named quantities per depot and item on a given day, for many depots in one statement. */
export async function stockByDepots(
  db: Executor,
  depotKeys: readonly CountyKey[],
  asOf: CalendarDate,
): Promise<StockLevelRow[]> {
  if (depotKeys.length === 0) return [];
  const result = await db.execute(sql`
    select w.county_id::text as county_id, w.depot_id::text as depot_id, x.item_id::text as item_id,
           x.on_hand::text as on_hand, x.allocated::text as allocated, x.quarantined::text as quarantined,
           x.damaged::text as damaged, x.expired::text as expired, x.usable::text as usable,
           x.reserve_floor::text as reserve_floor, x.in_transit::text as in_transit
    from (${keyRows(depotKeys)}) w(county_id, depot_id)
    cross join lateral ${depotStockRelation(sql`w.county_id`, sql`w.depot_id`, asOf)} x
    order by w.depot_id, x.item_id`);
  return rowsOf<Record<string, string>>(result).map(toStock);
}

/**
 * The same quantities for chosen items at chosen depots, one row per pair asked (zeros where nothing is
 * recorded). Each pair is summed on its own through the (depot, item) indexes: a page of lots stays a few index
 * probes however large its depot.
 */
export async function stockByDepotItems(
  db: Executor,
  keys: readonly StockLevelKey[],
  asOf: CalendarDate,
): Promise<StockLevelRow[]> {
  if (keys.length === 0) return [];
  const column = (of: (k: StockLevelKey) => number) => bigintArray(keys.map(of));
  const result = await db.execute(sql`
    with wanted(county_id, depot_id, item_id) as (
      select * from unnest(${column((k) => k.countyId)}, ${column((k) => k.depotId)}, ${column((k) => k.itemId)})),
    incoming as (${INCOMING_TO_WANTED})
    select w.county_id::text as county_id, w.depot_id::text as depot_id, w.item_id::text as item_id,
           ${STOCK_COLUMNS}
    from wanted w
    cross join lateral (
      select ${namedSums("l", asOf)} from lots l
       where l.county_id = w.county_id and l.depot_id = w.depot_id and l.item_id = w.item_id) t
    left join incoming i on i.county_id = w.county_id and i.depot_id = w.depot_id and i.item_id = w.item_id
    left join stock_levels s on s.county_id = w.county_id and s.depot_id = w.depot_id and s.item_id = w.item_id`);
  return rowsOf<Record<string, string>>(result).map(toStock);
}

/** The depot-item balances the lots belong to. */
export const levelsOf = (
  rows: readonly { countyId: number; depotId: number; itemId: number }[],
): StockLevelKey[] => rows.map((l) => ({ countyId: l.countyId, depotId: l.depotId, itemId: l.itemId }));

const stockLevelRows = new TableRows(stockLevels);
const STOCK_LEVEL = `select ${stockLevelRows.list("s")} from stock_levels s
 where s.county_id = $1 and s.depot_id = $2 and s.item_id = $3`;

/** A depot's figures for one item (every issue reads its floor): written once, not built per call. */
export async function findStockLevel(db: Executor, depot: CountyKey, itemId: number) {
  const [row] = rowsOf<Record<string, unknown>>(
    await runStatement(db, STOCK_LEVEL, [depot.countyId, depot.id, itemId]),
  );
  return row ? stockLevelRows.decode(row) : null;
}

export function floorsOf(
  db: Executor,
  countyId: number,
  depotIds: readonly number[],
  itemIds: readonly number[],
) {
  if (depotIds.length === 0 || itemIds.length === 0) return Promise.resolve([]);
  return db
    .select({ depotId: stockLevels.depotId, itemId: stockLevels.itemId, floor: stockLevels.reserveFloor })
    .from(stockLevels)
    .where(
      and(
        eq(stockLevels.countyId, countyId),
        inArray(stockLevels.depotId, [...depotIds]),
        inArray(stockLevels.itemId, [...itemIds]),
      ),
    );
}

/**
 * One (depot, item)'s figures on a day as a one-row relation over the columns of an enclosing statement (the
 * compiled read path builds a stock page's answer in SQL): the same sums, in transit and floor as the loaders'.
 */
export const stockLevelRelation = (countyId: SQL, depotId: SQL, itemId: SQL, asOf: CalendarDate): SQL => sql`(
    select ${itemId} as item_id, t.on_hand, t.allocated, t.quarantined, t.damaged, t.expired, t.usable,
           coalesce((select s.reserve_floor from stock_levels s
                      where s.county_id = ${countyId} and s.depot_id = ${depotId} and s.item_id = ${itemId}), 0) as reserve_floor,
           coalesce((select sum(a.quantity) from ${IN_TRANSIT_JOIN}
                      where ${IN_TRANSIT_WHERE} and r.county_id = ${countyId} and r.destination_depot_id = ${depotId}
                        and rl.item_id = ${itemId}), 0) as in_transit
      from (select ${namedSums("l", asOf)} from lots l
             where l.county_id = ${countyId} and l.depot_id = ${depotId} and l.item_id = ${itemId}) t)`;
