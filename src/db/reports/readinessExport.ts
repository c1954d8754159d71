import { type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, rowsOf } from "../keys.js";
import { loanOverdueOn } from "../repositories/requisitions.js";
import {
  lotExpired,
  lotExpiresWithin,
  lotUnallocated,
  serviceDay,
  testRunOverdue,
} from "../repositories/lotPredicates.js";
import type { ReadinessFinding } from "../../domain/readiness/finding.js";
import type { CalendarDate } from "../../domain/shared/calendar.js";
import { fromDb, type Quantity } from "../../domain/shared/quantity.js";

/**
 * Readiness as a list to work through (战备状况): one row per lot, unit, loan or depot that needs someone, with the
 * names a person reads beside it. The same rules as the readiness figures (src/db/reports/readiness.ts).
 */
export interface FindingRow {
  finding: ReadinessFinding;
  /** The lot, loan or depot the row is about: the keyset position within its finding. */
  id: number;
  regionNameZh: string;
  regionNameEn: string;
  divisionCode: string;
  depotCode: string;
  depotNameZh: string;
  depotNameEn: string;
  itemCode: string | null;
  itemNameZh: string | null;
  itemNameEn: string | null;
  unitNameZh: string | null;
  unitNameEn: string | null;
  unitScale: number | null;
  lotCode: string | null;
  serialNumber: string | null;
  quantity: Quantity | null;
  /** Expiry; last test run (or receipt); due date; last count (null: never counted). */
  day: string | null;
  /** Loans: the depot that borrowed. */
  borrowerCode: string | null;
}

export interface FindingOptions {
  asOf: CalendarDate;
  expiringWithinDays: number;
  staleAfterDays: number;
  /** Days emergency paperwork may stay open (EMERGENCY_PAPERWORK_DAYS). */
  paperworkDays: number;
}

// open depots of the region's subtree: a closed depot holds nothing and is counted by no one
const inSubtree = (region: CountyKey): SQL =>
  sql`d.closed_at is null and d.county_id = ${region.countyId}::bigint and d.region_id in (
    select descendant_id from region_paths where county_id = ${region.countyId}::bigint and ancestor_id = ${region.id}::bigint)`;

const placeColumns = sql`rg.name_zh as region_name_zh, rg.name_en as region_name_en, rg.division_code,
  d.code as depot_code, d.name_zh as depot_name_zh, d.name_en as depot_name_en`;

const itemColumns = sql`i.code as item_code, i.name_zh as item_name_zh, i.name_en as item_name_en,
  u.name_zh as unit_name_zh, u.name_en as unit_name_en, u.scale as unit_scale`;

const lotJoins = sql`from lots l
  join depots d on d.county_id = l.county_id and d.id = l.depot_id
  join regions rg on rg.county_id = d.county_id and rg.id = d.region_id
  join items i on i.id = l.item_id
  join units u on u.code = i.unit_code`;

/** One finding's statement for the rows after `afterId`, `limit` of them in id order. */
function statementFor(finding: ReadinessFinding, region: CountyKey, o: FindingOptions): SQL {
  const lotRows = (quantity: SQL, day: SQL, condition: SQL) => sql`
    select l.id, ${placeColumns}, ${itemColumns}, l.lot_code, l.serial_number,
           ${quantity}::text as quantity, ${day}::text as day, null as borrower_code
      ${lotJoins}
     where ${inSubtree(region)} and ${condition}`;
  switch (finding) {
    case "EXPIRED":
      return lotRows(
        lotUnallocated("l"),
        sql`l.expires_on`,
        sql`${lotUnallocated("l")} > 0 and ${lotExpired("l", o.asOf)}`,
      );
    case "EXPIRING":
      return lotRows(
        lotUnallocated("l"),
        sql`l.expires_on`,
        sql`${lotUnallocated("l")} > 0 and ${lotExpiresWithin("l", o.asOf, o.expiringWithinDays)}`,
      );
    case "TEST_OVERDUE":
      return lotRows(
        sql`l.on_hand`,
        sql`coalesce(l.last_test_run_on, l.received_on)`,
        sql`l.on_hand > 0 and i.tracking_mode = 'SERIAL' and i.test_run_interval_days is not null
            and ${testRunOverdue("l", "i", o.asOf)}`,
      );
    case "LOAN_OVERDUE":
      return overdueLoans(region, o.asOf);
    case "STALE_COUNT":
      return staleDepots(region, o);
    case "PAPERWORK_OVERDUE":
      return overduePaperwork(region, o);
  }
}

/**
 * Paperwork an emergency issue left open past its days, listed under the depot the line went out of, with the
 * quantity issued and the day it was opened.
 */
function overduePaperwork(region: CountyKey, o: FindingOptions): SQL {
  const openedOn = serviceDay(sql`w.opened_at`);
  return sql`
    select w.id, ${placeColumns}, ${itemColumns}, l.lot_code, l.serial_number,
           (-m.quantity)::text as quantity, ${openedOn}::text as day, null as borrower_code
      from emergency_paperwork w
      join movements m on m.county_id = w.county_id and m.id = w.movement_id
      join lots l on l.county_id = m.county_id and l.id = m.lot_id
      join depots d on d.county_id = m.county_id and d.id = m.depot_id
      join regions rg on rg.county_id = d.county_id and rg.id = d.region_id
      join items i on i.id = m.item_id
      join units u on u.code = i.unit_code
     where ${inSubtree(region)} and w.status = 'OPEN' and ${openedOn} < ${o.asOf}::date - ${o.paperworkDays}::int`;
}

/** Open loans past their due day, listed under the lending depot; the borrower beside it. */
function overdueLoans(region: CountyKey, asOf: CalendarDate): SQL {
  return sql`
    select lo.id, ${placeColumns}, ${itemColumns}, null as lot_code, null as serial_number,
           (lo.quantity - lo.returned_quantity)::text as quantity, lo.due_on::text as day, b.code as borrower_code
      from loans lo
      join requisition_lines rl on rl.county_id = lo.county_id and rl.id = lo.requisition_line_id
      join requisitions rq on rq.county_id = rl.county_id and rq.id = rl.requisition_id
      join depots d on d.county_id = lo.county_id and d.id = lo.lender_depot_id
      join depots b on b.county_id = rq.county_id and b.id = rq.destination_depot_id
      join regions rg on rg.county_id = d.county_id and rg.id = d.region_id
      join items i on i.id = rl.item_id
      join units u on u.code = i.unit_code
     where ${loanOverdueOn("lo", asOf)} and lo.county_id = ${region.countyId}::bigint
       and ((${inSubtree(region)}) or (b.closed_at is null and b.region_id in (
             select descendant_id from region_paths where county_id = ${region.countyId}::bigint and ancestor_id = ${region.id}::bigint)))`;
}

/** Depots without a submitted stock-take in the `staleAfterDays` before `asOf`, with their last count. */
function staleDepots(region: CountyKey, o: FindingOptions): SQL {
  return sql`
    select d.id, ${placeColumns}, null as item_code, null as item_name_zh, null as item_name_en,
           null as unit_name_zh, null as unit_name_en, null as unit_scale, null as lot_code, null as serial_number,
           null as quantity, c.counted_on::text as day, null as borrower_code
      from depots d
      join regions rg on rg.county_id = d.county_id and rg.id = d.region_id
      left join lateral (
        select max(${serviceDay(sql`st.submitted_at`)}) as counted_on from stock_takes st
         where st.county_id = d.county_id and st.depot_id = d.id and st.status = 'SUBMITTED'
           and ${serviceDay(sql`st.submitted_at`)} <= ${o.asOf}::date) c on true
     where ${inSubtree(region)}
       and (c.counted_on is null or c.counted_on < ${o.asOf}::date - ${o.staleAfterDays}::int)`;
}

const FINDING_ORDER: readonly ReadinessFinding[] = [
  "EXPIRED",
  "EXPIRING",
  "TEST_OVERDUE",
  "LOAN_OVERDUE",
  "STALE_COUNT",
  "PAPERWORK_OVERDUE",
];

/**
 * Every finding of a region's subtree on `asOf`, finding after finding, each in id order and keyset-paged: memory
 * stays bounded by the batch however many lots are expired, one statement per batch.
 */
export async function* streamReadinessFindings(
  db: Executor,
  region: CountyKey,
  options: FindingOptions,
  batchSize = 2000,
): AsyncGenerator<FindingRow[]> {
  for (const finding of FINDING_ORDER) {
    let afterId = 0;
    for (;;) {
      const statement = sql`select * from (${statementFor(finding, region, options)}) f
        where f.id > ${afterId}::bigint order by f.id limit ${batchSize}::int`;
      const rows = rowsOf<Record<string, string | number | null>>(await db.execute(statement)).map((r) =>
        findingRow(finding, r),
      );
      if (rows.length > 0) yield rows;
      if (rows.length < batchSize) break;
      afterId = rows[rows.length - 1]!.id;
    }
  }
}

function findingRow(finding: ReadinessFinding, r: Record<string, string | number | null>): FindingRow {
  const text = (k: string) => (r[k] === null || r[k] === undefined ? null : String(r[k]));
  return {
    finding,
    id: Number(r.id),
    regionNameZh: String(r.region_name_zh),
    regionNameEn: String(r.region_name_en),
    divisionCode: String(r.division_code),
    depotCode: String(r.depot_code),
    depotNameZh: String(r.depot_name_zh),
    depotNameEn: String(r.depot_name_en),
    itemCode: text("item_code"),
    itemNameZh: text("item_name_zh"),
    itemNameEn: text("item_name_en"),
    unitNameZh: text("unit_name_zh"),
    unitNameEn: text("unit_name_en"),
    unitScale: r.unit_scale === null ? null : Number(r.unit_scale),
    lotCode: text("lot_code"),
    serialNumber: text("serial_number"),
    quantity: r.quantity === null ? null : fromDb(String(r.quantity)),
    day: text("day"),
    borrowerCode: text("borrower_code"),
  };
}
