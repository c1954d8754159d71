import { and, asc, eq, gt, gte, isNull, lte, or, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import { agreementLines, agreements } from "../schema/index.js";
import type { CalendarDate } from "../../domain/shared/calendar.js";

export type AgreementRow = typeof agreements.$inferSelect;

export type AgreementLineRow = typeof agreementLines.$inferSelect;

export async function findByContractNo(
  db: Executor,
  countyId: number,
  contractNo: string,
): Promise<AgreementRow | null> {
  const [row] = await db
    .select()
    .from(agreements)
    .where(and(eq(agreements.countyId, countyId), eq(agreements.contractNo, contractNo)));
  return row ?? null;
}

export function findByKeys(db: Executor, keys: readonly CountyKey[]): Promise<AgreementRow[]> {
  return db
    .select()
    .from(agreements)
    .where(inKeys(agreements.countyId, agreements.id, keys));
}

export function linesOf(db: Executor, keys: readonly CountyKey[]): Promise<AgreementLineRow[]> {
  return db
    .select()
    .from(agreementLines)
    .where(inKeys(agreementLines.countyId, agreementLines.agreementId, keys))
    .orderBy(asc(agreementLines.itemId));
}

/**
 * Valid on a day: begun, not past its end date, and not ended early by then (an agreement ended today no longer
 * counts today; looking back, it counted on the days before).
 */
const validOn = (day: CalendarDate) =>
  and(
    lte(agreements.validFrom, day),
    gte(agreements.validUntil, day),
    or(
      isNull(agreements.endedAt),
      sql`(${agreements.endedAt} at time zone 'Asia/Shanghai')::date > ${day}::date`,
    ),
  );

export interface AgreementFilter {
  counties: number[];
  /** Only agreements of this region's subtree. */
  region?: CountyKey | undefined;
  validOn?: CalendarDate | undefined;
}

export async function list(
  db: Executor,
  filter: AgreementFilter,
  page: PageRequest,
): Promise<Page<AgreementRow>> {
  if (filter.counties.length === 0) return { rows: [], hasNextPage: false };
  const rows = await db
    .select()
    .from(agreements)
    .where(
      and(
        sql`${agreements.countyId} = any(${`{${filter.counties.join(",")}}`}::bigint[])`,
        filter.region
          ? sql`(${agreements.countyId}, ${agreements.regionId}) in (select county_id, descendant_id from region_paths where county_id = ${filter.region.countyId} and ancestor_id = ${filter.region.id})`
          : undefined,
        filter.validOn ? validOn(filter.validOn) : undefined,
        page.afterId !== null ? gt(agreements.id, page.afterId) : undefined,
      ),
    )
    .orderBy(asc(agreements.id))
    .limit(page.first + 1);
  return toPage(rows, page.first);
}
