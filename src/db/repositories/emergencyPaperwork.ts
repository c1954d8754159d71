import { and, asc, eq, gt, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import { serviceDay } from "./lotPredicates.js";
import { inSubtrees } from "./scope.js";
import { emergencyPaperwork } from "../schema/index.js";
import type { ReadScope } from "../../domain/custody/policy.js";
import type { PaperworkStatus } from "../../domain/emergency/emergency.js";
import { addDays, type CalendarDate } from "../../domain/shared/calendar.js";

export type PaperworkRow = typeof emergencyPaperwork.$inferSelect;

/**
 * Who reads paperwork: whoever holds a role over the region that owes it or above it (that township's office, the
 * county, auditors). Keepers do not: the paperwork is their office's.
 */
export const paperworkInScope = (scope: ReadScope): SQL =>
  inSubtrees(
    { countyId: emergencyPaperwork.countyId, regionId: emergencyPaperwork.owedByRegionId },
    scope.subtrees.map((s) => ({ countyId: s.countyId, id: s.regionId })),
  );

/**
 * OPEN and opened more than `days` days before `today` in the county's calendar, as `isPaperworkOverdue` in the
 * domain says it.
 */
export const paperworkOverdue = (today: CalendarDate, days: number): SQL =>
  sql`(${emergencyPaperwork.status} = 'OPEN' and ${serviceDay(sql`${emergencyPaperwork.openedAt}`)} < ${addDays(today, -days)}::date)`;

export function findVisibleByKeys(
  db: Executor,
  scope: ReadScope,
  keys: readonly CountyKey[],
): Promise<PaperworkRow[]> {
  return db
    .select()
    .from(emergencyPaperwork)
    .where(and(inKeys(emergencyPaperwork.countyId, emergencyPaperwork.id, keys), paperworkInScope(scope)));
}

export interface PaperworkFilter {
  status?: PaperworkStatus | undefined;
  /** Only overdue paperwork, judged on this day with this many days allowed. */
  overdue?: { today: CalendarDate; days: number } | undefined;
  emergency?: CountyKey | undefined;
}

/** The paperwork the viewer reads, oldest first. */
export async function list(
  db: Executor,
  scope: ReadScope,
  filter: PaperworkFilter,
  page: PageRequest,
): Promise<Page<PaperworkRow>> {
  const rows = await db
    .select()
    .from(emergencyPaperwork)
    .where(
      and(
        paperworkInScope(scope),
        filter.status ? eq(emergencyPaperwork.status, filter.status) : undefined,
        filter.overdue ? paperworkOverdue(filter.overdue.today, filter.overdue.days) : undefined,
        filter.emergency
          ? and(
              eq(emergencyPaperwork.countyId, filter.emergency.countyId),
              eq(emergencyPaperwork.emergencyId, filter.emergency.id),
            )
          : undefined,
        page.afterId !== null ? gt(emergencyPaperwork.id, page.afterId) : undefined,
      ),
    )
    .orderBy(asc(emergencyPaperwork.id))
    .limit(page.first + 1);
  return toPage(rows, page.first);
}
