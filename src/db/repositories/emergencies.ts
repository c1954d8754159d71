import { and, asc, eq, gt, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys, keyRows } from "../keys.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import { inSubtrees } from "./scope.js";
import { depots, emergencies, regionPaths } from "../schema/index.js";
import type { ReadScope } from "../../domain/custody/policy.js";

export type EmergencyRow = typeof emergencies.$inferSelect;

/**
 * Who sees an emergency: whoever reads a region it touches. An office or auditor over its region or above it
 * (the county sees a township's), one under it (a township office sees the county's, which covers it), and the
 * keepers of depots it covers. A township office does not see another township's.
 */
export function emergencyInScope(scope: ReadScope): SQL {
  const roots = scope.subtrees.map((s) => ({ countyId: s.countyId, id: s.regionId }));
  const parts: SQL[] = [];
  if (roots.length > 0) {
    parts.push(inSubtrees(emergencies, roots));
    parts.push(
      sql`(${emergencies.countyId}, ${emergencies.regionId}) in (select ${regionPaths.countyId}, ${regionPaths.ancestorId} from ${regionPaths} where (${regionPaths.countyId}, ${regionPaths.descendantId}) in (${keyRows(roots)}))`,
    );
  }
  if (scope.depots.length > 0) {
    const kept = scope.depots.map((d) => ({ countyId: d.countyId, id: d.depotId }));
    parts.push(
      sql`(${emergencies.countyId}, ${emergencies.regionId}) in (select ${regionPaths.countyId}, ${regionPaths.ancestorId} from ${regionPaths} join ${depots} on ${depots.countyId} = ${regionPaths.countyId} and ${depots.regionId} = ${regionPaths.descendantId} where ${inKeys(depots.countyId, depots.id, kept)})`,
    );
  }
  return parts.length === 0 ? sql`false` : sql`(${sql.join(parts, sql` or `)})`;
}

/** Active at `at`: not ended, and open-ended or not yet past `until` (as `isActive` in the domain). */
export const emergencyActiveAt = (at: Date) =>
  and(isNull(emergencies.endedAt), or(isNull(emergencies.until), gt(emergencies.until, at)));

export function findVisibleByKeys(
  db: Executor,
  scope: ReadScope,
  keys: readonly CountyKey[],
): Promise<EmergencyRow[]> {
  return db
    .select()
    .from(emergencies)
    .where(and(inKeys(emergencies.countyId, emergencies.id, keys), emergencyInScope(scope)));
}

export interface EmergencyFilter {
  /** Only those active at this instant. */
  activeAt?: Date | undefined;
  /** Only those covering this region: declared for it or for a region above it. */
  covering?: CountyKey | undefined;
}

/** Emergencies the viewer sees, in the order they were declared. */
export async function list(
  db: Executor,
  scope: ReadScope,
  filter: EmergencyFilter,
  page: PageRequest,
): Promise<Page<EmergencyRow>> {
  const rows = await db
    .select()
    .from(emergencies)
    .where(
      and(
        emergencyInScope(scope),
        filter.activeAt ? emergencyActiveAt(filter.activeAt) : undefined,
        filter.covering
          ? sql`(${emergencies.countyId}, ${emergencies.regionId}) in (select ${regionPaths.countyId}, ${regionPaths.ancestorId} from ${regionPaths} where ${inKeys(regionPaths.countyId, regionPaths.descendantId, [filter.covering])})`
          : undefined,
        page.afterId !== null ? gt(emergencies.id, page.afterId) : undefined,
      ),
    )
    .orderBy(asc(emergencies.id))
    .limit(page.first + 1);
  return toPage(rows, page.first);
}

/** An emergency row with the region (of those asked) that it covers. */
export interface CoveringRow {
  coveredRegionId: number;
  emergency: EmergencyRow;
}

/** For each region asked, the visible emergencies active at `at` that cover it; one statement for a page. */
export async function activeCovering(
  db: Executor,
  scope: ReadScope,
  regions: readonly CountyKey[],
  at: Date,
): Promise<CoveringRow[]> {
  if (regions.length === 0) return [];
  return db
    .select({ coveredRegionId: regionPaths.descendantId, emergency: emergencies })
    .from(emergencies)
    .innerJoin(
      regionPaths,
      and(eq(regionPaths.countyId, emergencies.countyId), eq(regionPaths.ancestorId, emergencies.regionId)),
    )
    .where(
      and(
        inKeys(regionPaths.countyId, regionPaths.descendantId, regions),
        emergencyActiveAt(at),
        emergencyInScope(scope),
      ),
    )
    .orderBy(asc(emergencies.id));
}
