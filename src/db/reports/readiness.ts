import { type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, keyRows, rowsOf } from "../keys.js";
import { callUpLate, callUpOpen } from "../repositories/callUpPredicates.js";
import { paperworkOverdue } from "../repositories/emergencyPaperwork.js";
import {
  lotExpired,
  lotExpiresWithin,
  lotUnallocated,
  serviceDay,
  testRunOverdue,
} from "../repositories/lotPredicates.js";
import type { CalendarDate } from "../../domain/shared/calendar.js";
import { fromDb, type Quantity } from "../../domain/shared/quantity.js";

/**
 * Readiness figures per region, each over the region's whole subtree, for a page of regions at once: one
 * statement per figure whatever the number of regions or depots. Regions are the closure table's ancestors.
 */
/**
 * Open depots below each wanted region: (region_county_id, region_id, depot county, depot id). A closed depot
 * holds nothing and is counted by no one, so it is neither a depot to count nor stale data.
 */
const depotsBelow = (regions: readonly CountyKey[]): SQL => sql`
  select p.county_id, p.ancestor_id as region_id, d.id as depot_id
    from region_paths p
    join depots d on d.county_id = p.county_id and d.region_id = p.descendant_id
   where (p.county_id, p.ancestor_id) in (${keyRows(regions)}) and d.closed_at is null`;

export interface ItemQuantityRow {
  countyId: number;
  regionId: number;
  itemId: number;
  quantity: Quantity;
  lots: number;
}

async function itemQuantities(
  db: Executor,
  regions: readonly CountyKey[],
  condition: SQL,
): Promise<ItemQuantityRow[]> {
  if (regions.length === 0) return [];
  const rows = rowsOf<Record<string, string>>(
    await db.execute(sql`
      with below as (${depotsBelow(regions)})
      select b.county_id::text, b.region_id::text, l.item_id::text,
             sum(${lotUnallocated("l")})::text as quantity, count(*)::text as lots
        from below b join lots l on l.county_id = b.county_id and l.depot_id = b.depot_id
       where ${lotUnallocated("l")} > 0 and ${condition}
       group by b.county_id, b.region_id, l.item_id
       order by b.region_id, l.item_id`),
  );
  return rows.map((r) => ({
    countyId: Number(r.county_id),
    regionId: Number(r.region_id),
    itemId: Number(r.item_id),
    quantity: fromDb(r.quantity!),
    lots: Number(r.lots),
  }));
}

/** Expired stock on `asOf` (the free part of lots whose standing is EXPIRED), per region and item. */
export const expiredByRegion = (db: Executor, regions: readonly CountyKey[], asOf: CalendarDate) =>
  itemQuantities(db, regions, lotExpired("l", asOf));

/** Usable free stock that expires within `days` of `asOf` (a lot expiring on `asOf` is still usable). */
export const expiringByRegion = (
  db: Executor,
  regions: readonly CountyKey[],
  asOf: CalendarDate,
  days: number,
) => itemQuantities(db, regions, lotExpiresWithin("l", asOf, days));

export interface RegionCountRow {
  countyId: number;
  regionId: number;
  total: number;
  flagged: number;
}

export async function counts(db: Executor, statement: SQL): Promise<RegionCountRow[]> {
  const rows = rowsOf<Record<string, string>>(await db.execute(statement));
  return rows.map((r) => ({
    countyId: Number(r.county_id),
    regionId: Number(r.region_id),
    total: Number(r.total),
    flagged: Number(r.flagged),
  }));
}

/** Serialised units on hand (total) and those whose test run is overdue on `asOf` (flagged). */
export function testRunsByRegion(db: Executor, regions: readonly CountyKey[], asOf: CalendarDate) {
  if (regions.length === 0) return Promise.resolve([]);
  return counts(
    db,
    sql`
      with below as (${depotsBelow(regions)})
      select b.county_id, b.region_id, count(*) as total,
             count(*) filter (where ${testRunOverdue("l", "i", asOf)}) as flagged
        from below b
        join lots l on l.county_id = b.county_id and l.depot_id = b.depot_id
        join items i on i.id = l.item_id
       where l.on_hand > 0 and i.tracking_mode = 'SERIAL' and i.test_run_interval_days is not null
       group by b.county_id, b.region_id`,
  );
}

/**
 * Depots (total) and those without a submitted stock-take in the `staleAfterDays` before `asOf` (flagged): the
 * share counted in time is the reporting rate a resource census measures.
 */
export function staleDepotsByRegion(
  db: Executor,
  regions: readonly CountyKey[],
  asOf: CalendarDate,
  staleAfterDays: number,
) {
  if (regions.length === 0) return Promise.resolve([]);
  return counts(
    db,
    sql`
      with below as (${depotsBelow(regions)}),
      last_count as (
        select county_id, depot_id, max(${serviceDay(sql`submitted_at`)}) as counted_on
          from stock_takes
         where status = 'SUBMITTED' and ${serviceDay(sql`submitted_at`)} <= ${asOf}::date
         group by county_id, depot_id)
      select b.county_id, b.region_id, count(*) as total,
             count(*) filter (where c.counted_on is null
                                 or c.counted_on < ${asOf}::date - ${staleAfterDays}::int) as flagged
        from below b
        left join last_count c on c.county_id = b.county_id and c.depot_id = b.depot_id
       group by b.county_id, b.region_id`,
  );
}

/** Rotations out (total) and those still waiting for their replacement (flagged). */
export function rotationsByRegion(db: Executor, regions: readonly CountyKey[]) {
  if (regions.length === 0) return Promise.resolve([]);
  return counts(
    db,
    sql`
      with below as (${depotsBelow(regions)})
      select b.county_id, b.region_id, count(*) as total,
             count(*) filter (where r.status = 'OPEN' and r.replacement_required) as flagged
        from below b join rotations r on r.county_id = b.county_id and r.depot_id = b.depot_id
       group by b.county_id, b.region_id`,
  );
}

/**
 * Open loans of equipment (total) and overdue ones (flagged), seen from both sides: counted for the region of
 * the lending depot and for the region of the borrowing one.
 */
export function loansByRegion(db: Executor, regions: readonly CountyKey[], asOf: CalendarDate) {
  if (regions.length === 0) return Promise.resolve([]);
  return counts(
    db,
    sql`
      with below as (${depotsBelow(regions)}),
      open_loans as (
        select lo.county_id, lo.id, lo.due_on, lo.lender_depot_id, r.destination_depot_id
          from loans lo
          join requisition_lines rl on rl.county_id = lo.county_id and rl.id = lo.requisition_line_id
          join requisitions r on r.county_id = rl.county_id and r.id = rl.requisition_id
         where lo.status = 'OPEN')
      select b.county_id, b.region_id, count(distinct o.id) as total,
             count(distinct o.id) filter (where o.due_on < ${asOf}::date) as flagged
        from below b
        join open_loans o on o.county_id = b.county_id
         and (o.lender_depot_id = b.depot_id or o.destination_depot_id = b.depot_id)
       group by b.county_id, b.region_id`,
  );
}

/**
 * Open agreement call-ups (total) and late ones (flagged: past due at `at`, `callUpLate`), counted for the region
 * of the destination depot and every region above it: the county and the township that waits for the goods.
 */
export function callUpsByRegion(db: Executor, regions: readonly CountyKey[], at: Date) {
  if (regions.length === 0) return Promise.resolve([]);
  return counts(
    db,
    sql`
      with below as (${depotsBelow(regions)})
      select b.county_id, b.region_id, count(*) as total, count(*) filter (where ${callUpLate(at)}) as flagged
        from below b
        join call_ups cu on cu.county_id = b.county_id and cu.destination_depot_id = b.depot_id
       where ${callUpOpen}
       group by b.county_id, b.region_id`,
  );
}

/**
 * Agreement reserves in force on `asOf` whose contract ends within `days` days, per region subtree: contracts to
 * renew before the reserve silently lapses. Soonest first.
 */
export async function agreementsEndingByRegion(
  db: Executor,
  regions: readonly CountyKey[],
  asOf: CalendarDate,
  days: number,
): Promise<{ countyId: number; regionId: number; agreementId: number }[]> {
  if (regions.length === 0) return [];
  const rows = rowsOf<Record<string, string>>(
    await db.execute(sql`
      select p.county_id::text as county_id, p.ancestor_id::text as region_id, a.id::text as agreement_id
        from region_paths p
        join agreements a on a.county_id = p.county_id and a.region_id = p.descendant_id
       where (p.county_id, p.ancestor_id) in (${keyRows(regions)})
         and a.valid_from <= ${asOf}::date and a.valid_until >= ${asOf}::date
         and a.valid_until <= ${asOf}::date + ${days}::int
         and (a.ended_at is null or (a.ended_at at time zone 'Asia/Shanghai')::date > ${asOf}::date)
       order by a.valid_until, a.id`),
  );
  return rows.map((r) => ({
    countyId: Number(r.county_id),
    regionId: Number(r.region_id),
    agreementId: Number(r.agreement_id),
  }));
}

/**
 * Open emergency paperwork (total) and overdue paperwork (flagged: open more than `days` days after the day it was
 * opened), counted for the region that owes it and every region above it: the township's office and the county
 * both see what is owed.
 */
export function paperworkByRegion(
  db: Executor,
  regions: readonly CountyKey[],
  asOf: CalendarDate,
  days: number,
) {
  if (regions.length === 0) return Promise.resolve([]);
  return counts(
    db,
    sql`
      select p.county_id, p.ancestor_id as region_id, count(*) as total,
             count(*) filter (where ${paperworkOverdue(asOf, days)}) as flagged
        from region_paths p
        join emergency_paperwork on emergency_paperwork.county_id = p.county_id
                                and emergency_paperwork.owed_by_region_id = p.descendant_id
       where (p.county_id, p.ancestor_id) in (${keyRows(regions)}) and emergency_paperwork.status = 'OPEN'
       group by p.county_id, p.ancestor_id`,
  );
}
