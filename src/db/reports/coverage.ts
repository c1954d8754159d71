import { sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { bigintArray, rowsOf } from "../keys.js";
import { calledByAgreementItem, remainingSql } from "../repositories/callUpPredicates.js";
import { lotExpiresWithin, lotUnallocated, lotUsable } from "../repositories/lotPredicates.js";
import type { CalendarDate } from "../../domain/shared/calendar.js";
import { fromDb, type Quantity } from "../../domain/shared/quantity.js";

export interface CoverageFigures {
  regionId: number;
  itemId: number;
  onHand: Quantity;
  usable: Quantity;
  expiring30: Quantity;
  callable: Quantity;
  callUpLeadHours: number | null;
  /** Usable at the region's own depots only, not rolled up: what a county warehouse holds for everyone. */
  ownUsable: Quantity;
}

/**
 * Stock figures of each region's whole subtree per item, in one statement for any number of regions and items.
 * Usable is serviceable, unexpired on `asOf` and unallocated (stock in transit is on no one's hand). Agreement
 * reserves are a distributor's stock on call: reported apart as callable, never as usable. Where an agreement
 * contract books a depot, the contract is what counts (agreedFigures), so that depot's lots are left out here;
 * an agreement-reserve depot without any contract on file still counts by its lots.
 */
export async function figures(
  db: Executor,
  countyId: number,
  regionIds: readonly number[],
  itemIds: readonly number[],
  asOf: CalendarDate,
): Promise<CoverageFigures[]> {
  if (regionIds.length === 0 || itemIds.length === 0) return [];
  const usableLot = lotUsable("l", asOf);
  const free = lotUnallocated("l");
  const uncontracted = sql`not exists (select 1 from agreements a where a.county_id = d.county_id and a.depot_id = d.id)`;
  const rows = rowsOf<Record<string, string | null>>(
    await db.execute(sql`
      select p.ancestor_id::text as region_id, l.item_id::text as item_id,
        coalesce(sum(l.on_hand) filter (where d.kind <> 'AGREEMENT_RESERVE'), 0)::text as on_hand,
        coalesce(sum(${free}) filter (where d.kind <> 'AGREEMENT_RESERVE' and ${usableLot}), 0)::text as usable,
        coalesce(sum(${free}) filter (where d.kind <> 'AGREEMENT_RESERVE'
          and ${lotExpiresWithin("l", asOf, 30)}), 0)::text as expiring30,
        coalesce(sum(${free}) filter (where d.kind = 'AGREEMENT_RESERVE' and ${usableLot}
          and ${uncontracted}), 0)::text as callable,
        min(d.call_up_lead_hours) filter (where d.kind = 'AGREEMENT_RESERVE' and ${usableLot}
          and ${uncontracted})::text as lead_hours,
        coalesce(sum(${free}) filter (where p.depth = 0 and d.kind <> 'AGREEMENT_RESERVE'
          and ${usableLot}), 0)::text as own_usable
      from region_paths p
      join depots d on d.county_id = p.county_id and d.region_id = p.descendant_id
      join lots l on l.county_id = d.county_id and l.depot_id = d.id
      where p.county_id = ${countyId} and p.ancestor_id = any(${bigintArray(regionIds)}) and l.item_id = any(${bigintArray(itemIds)})
      group by p.ancestor_id, l.item_id`),
  );
  return rows.map((r) => ({
    regionId: Number(r.region_id),
    itemId: Number(r.item_id),
    onHand: fromDb(r.on_hand!),
    usable: fromDb(r.usable!),
    expiring30: fromDb(r.expiring30!),
    callable: fromDb(r.callable!),
    callUpLeadHours: r.lead_hours === null ? null : Number(r.lead_hours),
    ownUsable: fromDb(r.own_usable!),
  }));
}

/** Which items have a norm anywhere in the county (the rows a coverage report has). */
export async function normedItems(db: Executor, countyId: number): Promise<number[]> {
  const rows = rowsOf<{ item_id: string }>(
    await db.execute(
      sql`select distinct item_id::text from reserve_norms where county_id = ${countyId} order by 1`,
    ),
  );
  return rows.map((r) => Number(r.item_id));
}

export interface AgreedFigures {
  regionId: number;
  itemId: number;
  callable: Quantity;
  leadHours: number;
}

/**
 * What agreement contracts valid on `asOf` oblige distributors to deliver on call, per region subtree and item,
 * with the shortest lead time among them. An agreement that has not begun, has lapsed or was ended counts nothing.
 * What was already called up is no longer on call (`remainingSql`): delivered, it is stock at the destination
 * depot (counted by `figures`); outstanding, it is on its way and counted nowhere until it arrives.
 */
export async function agreedFigures(
  db: Executor,
  countyId: number,
  regionIds: readonly number[],
  itemIds: readonly number[],
  asOf: CalendarDate,
): Promise<AgreedFigures[]> {
  if (regionIds.length === 0 || itemIds.length === 0) return [];
  const rows = rowsOf<Record<string, string>>(
    await db.execute(sql`
      select p.ancestor_id::text as region_id, al.item_id::text as item_id,
        sum(${remainingSql(sql`al.quantity`, sql`c.called`)})::text as callable,
        min(a.lead_hours)::text as lead_hours
      from region_paths p
      join agreements a on a.county_id = p.county_id and a.region_id = p.descendant_id
      join agreement_lines al on al.county_id = a.county_id and al.agreement_id = a.id
      left join (${calledByAgreementItem(countyId)}) c
        on c.county_id = al.county_id and c.agreement_id = al.agreement_id and c.item_id = al.item_id
      where p.county_id = ${countyId} and p.ancestor_id = any(${bigintArray(regionIds)})
        and al.item_id = any(${bigintArray(itemIds)})
        and a.valid_from <= ${asOf}::date and a.valid_until >= ${asOf}::date
        and (a.ended_at is null or (a.ended_at at time zone 'Asia/Shanghai')::date > ${asOf}::date)
      group by p.ancestor_id, al.item_id`),
  );
  return rows.map((r) => ({
    regionId: Number(r.region_id),
    itemId: Number(r.item_id),
    callable: fromDb(r.callable!),
    leadHours: Number(r.lead_hours),
  }));
}
