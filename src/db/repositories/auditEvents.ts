import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import { auditEvents } from "../schema/index.js";

export type AuditEventRow = typeof auditEvents.$inferSelect;

export interface AuditFilter {
  /** Counties the reader may read; the list is never wider than these. */
  counties: readonly number[];
  targetType?: string | undefined;
  targetId?: number | undefined;
  actorId?: number | undefined;
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** Newest first: `after` is the last (smallest) id the reader saw. */
export async function list(
  db: Executor,
  filter: AuditFilter,
  page: PageRequest,
): Promise<Page<AuditEventRow>> {
  if (filter.counties.length === 0) return { rows: [], hasNextPage: false };
  const rows = await db
    .select()
    .from(auditEvents)
    .where(
      and(
        sql`${auditEvents.countyId} = any(${`{${filter.counties.join(",")}}`}::bigint[])`,
        filter.targetType !== undefined ? eq(auditEvents.targetType, filter.targetType) : undefined,
        filter.targetId !== undefined ? eq(auditEvents.targetId, filter.targetId) : undefined,
        filter.actorId !== undefined ? eq(auditEvents.actorId, filter.actorId) : undefined,
        filter.action !== undefined ? eq(auditEvents.action, filter.action) : undefined,
        filter.from !== undefined ? gte(auditEvents.occurredAt, filter.from) : undefined,
        filter.to !== undefined ? lt(auditEvents.occurredAt, filter.to) : undefined,
        page.afterId !== null ? lt(auditEvents.id, page.afterId) : undefined,
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(page.first + 1);
  return toPage(rows, page.first);
}
