import { sql } from "drizzle-orm";
import type { CalendarDate } from "../../domain/shared/calendar.js";
import type { Executor } from "../client.js";
import { bigintArray, rowsOf } from "../keys.js";
import { lotExpiresWithin, lotUnallocated, lotUsable } from "./lotPredicates.js";

export interface CoverageFigures {
  regionId: number;
  itemId: number;
  onHand: string;
  usable: string;
  expiring30: string;
  callable: string;
  callUpLeadHours: number | null;
  /** Usable at the region's own depots only, not rolled up: what a county warehouse holds for everyone. */
  ownUsable: string;
}

/**
 * Stock figures of each region's whole subtree per item, in one statement for any number of regions and items.
 * Usable is serviceable, unexpired on `asOf` and unallocated (stock in transit is on no one's hand). Agreement
 * reserves are a distributor's stock on call: reported apart as callable, never as usable.
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
  const rows = rowsOf<Record<string, string | null>>(
    await db.execute(sql`
      select p.ancestor_id::text as region_id, l.item_id::text as item_id,
        coalesce(sum(l.on_hand) filter (where d.kind <> 'AGREEMENT_RESERVE'), 0)::text as on_hand,
        coalesce(sum(${free}) filter (where d.kind <> 'AGREEMENT_RESERVE' and ${usableLot}), 0)::text as usable,
        coalesce(sum(${free}) filter (where d.kind <> 'AGREEMENT_RESERVE'
          and ${lotExpiresWithin("l", asOf, 30)}), 0)::text as expiring30,
        coalesce(sum(${free}) filter (where d.kind = 'AGREEMENT_RESERVE' and ${usableLot}), 0)::text as callable,
        min(d.call_up_lead_hours) filter (where d.kind = 'AGREEMENT_RESERVE' and ${usableLot})::text as lead_hours,
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
    onHand: r.on_hand!,
    usable: r.usable!,
    expiring30: r.expiring30!,
    callable: r.callable!,
    callUpLeadHours: r.lead_hours === null ? null : Number(r.lead_hours),
    ownUsable: r.own_usable!,
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
