import { and, asc, desc, eq, lt, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import type { ReadScope } from "../../domain/custody/policy.js";
import {
  type AllocationRow,
  type DiscrepancyRow,
  lineOnItsRequisition,
  loanOverdueOn,
  type LoanRow,
  onItsLine,
  type RequisitionFilter,
  type RequisitionRow,
} from "./requisitions.js";
import { allocations, discrepancies, loans, lots, requisitionLines, requisitions } from "../schema/index.js";

/**
 * Requisitions as lists a viewer reads: scoped to the regions they hold a role over and the depots they keep,
 * batched for the GraphQL loaders. Writes and locks live in
 * requisitions.writes.ts.
 */
/** The read scope as the keys `visibleTo` takes. */
export const requisitionScope = (scope: ReadScope): { subtrees: CountyKey[]; depots: CountyKey[] } => ({
  subtrees: scope.subtrees.map((s) => ({ countyId: s.countyId, id: s.regionId })),
  depots: scope.depots.map((d) => ({ countyId: d.countyId, id: d.depotId })),
});

/** Requisitions a viewer may read: those touching a region they hold a role over, or a depot they keep. */
export function visibleTo(scope: { subtrees: CountyKey[]; depots: CountyKey[] }): SQL {
  const parts: SQL[] = [];
  if (scope.subtrees.length > 0) {
    const roots = sql.join(
      scope.subtrees.map((s) => sql`(${s.countyId}::bigint, ${s.id}::bigint)`),
      sql`, `,
    );
    const under = sql`(select county_id, descendant_id from region_paths where (county_id, ancestor_id) in (${roots}))`;
    parts.push(sql`(${requisitions.countyId}, ${requisitions.requestingRegionId}) in ${under}`);
    parts.push(sql`(${requisitions.countyId}, ${requisitions.supplyingRegionId}) in ${under}`);
  }
  if (scope.depots.length > 0) {
    const kept = sql.join(
      scope.depots.map((d) => sql`(${d.countyId}::bigint, ${d.id}::bigint)`),
      sql`, `,
    );
    parts.push(sql`(${requisitions.countyId}, ${requisitions.destinationDepotId}) in (${kept})`);
    parts.push(sql`exists (select 1 from requisition_lines rl join allocations a
      on a.county_id = rl.county_id and a.requisition_line_id = rl.id join lots l on l.county_id = a.county_id and l.id = a.lot_id
      where rl.county_id = ${requisitions.countyId} and rl.requisition_id = ${requisitions.id}
        and (l.county_id, l.depot_id) in (${kept}))`);
  }
  return parts.length === 0 ? sql`false` : sql`(${sql.join(parts, sql` or `)})`;
}

/** The requisition of `key` if the scope may read it (requisitions unaliased). */
export const visibleRequisitionWhere = (scope: ReadScope, key: CountyKey): SQL | undefined =>
  and(inKeys(requisitions.countyId, requisitions.id, [key]), visibleTo(requisitionScope(scope)));

export function findVisible(
  db: Executor,
  scope: { subtrees: CountyKey[]; depots: CountyKey[] },
  keys: readonly CountyKey[],
): Promise<RequisitionRow[]> {
  return db
    .select()
    .from(requisitions)
    .where(and(inKeys(requisitions.countyId, requisitions.id, keys), visibleTo(scope)));
}

/** Newest first. */
export async function list(
  db: Executor,
  scope: { subtrees: CountyKey[]; depots: CountyKey[] },
  filter: RequisitionFilter,
  page: PageRequest,
): Promise<Page<RequisitionRow>> {
  const regionCol =
    filter.direction === "INCOMING" ? requisitions.supplyingRegionId : requisitions.requestingRegionId;
  const byRegion = (region: CountyKey, col: typeof regionCol) =>
    sql`(${requisitions.countyId}, ${col}) in (select county_id, descendant_id from region_paths
          where county_id = ${region.countyId} and ancestor_id = ${region.id})`;
  const rows = await db
    .select()
    .from(requisitions)
    .where(
      and(
        visibleTo(scope),
        filter.region
          ? filter.direction
            ? byRegion(filter.region, regionCol)
            : sql`(${byRegion(filter.region, requisitions.requestingRegionId)} or ${byRegion(filter.region, requisitions.supplyingRegionId)})`
          : undefined,
        filter.status ? eq(requisitions.status, filter.status) : undefined,
        page.afterId !== null ? lt(requisitions.id, page.afterId) : undefined,
      ),
    )
    .orderBy(desc(requisitions.id))
    .limit(page.first + 1);
  return toPage(rows, page.first);
}

const depotUnder = (region: CountyKey, depotCol: SQL) =>
  sql`(${requisitions.countyId}, ${depotCol}) in (select d.county_id, d.id from depots d
        join region_paths p on p.county_id = d.county_id and p.descendant_id = d.region_id
       where p.county_id = ${region.countyId} and p.ancestor_id = ${region.id})`;

export interface InTransitRow {
  allocation: AllocationRow;
  requisitionId: number;
  destinationDepotId: number;
  lenderDepotId: number;
  itemId: number;
}

/**
 * Stock on the road: dispatched, not yet counted at the destination. It belongs to neither depot's available
 * stock (custody rule 5, docs/custody-rules.md). Filtered to a depot or a region's subtree, sending or receiving.
 */
export async function inTransit(
  db: Executor,
  scope: { subtrees: CountyKey[]; depots: CountyKey[] },
  filter: { region?: CountyKey | undefined; depot?: CountyKey | undefined },
  page: PageRequest,
): Promise<Page<InTransitRow & { id: number }>> {
  const rows = await db
    .select({
      allocation: allocations,
      requisitionId: requisitions.id,
      destinationDepotId: requisitions.destinationDepotId,
      lenderDepotId: lots.depotId,
      itemId: lots.itemId,
    })
    .from(allocations)
    .innerJoin(requisitionLines, onItsLine(allocations))
    .innerJoin(requisitions, lineOnItsRequisition)
    .innerJoin(lots, and(eq(lots.countyId, allocations.countyId), eq(lots.id, allocations.lotId)))
    .where(
      and(
        visibleTo(scope),
        sql`${allocations.dispatchedAt} is not null and ${allocations.releasedAt} is null`,
        filter.depot
          ? and(
              eq(requisitions.countyId, filter.depot.countyId),
              sql`(${requisitions.destinationDepotId} = ${filter.depot.id} or ${lots.depotId} = ${filter.depot.id})`,
            )
          : undefined,
        filter.region
          ? sql`(${depotUnder(filter.region, sql`${requisitions.destinationDepotId}`)} or ${depotUnder(filter.region, sql`${lots.depotId}`)})`
          : undefined,
        page.afterId !== null ? sql`${allocations.id} > ${page.afterId}` : undefined,
      ),
    )
    .orderBy(asc(allocations.id))
    .limit(page.first + 1);
  return toPage(
    rows.map((r) => ({ ...r, id: r.allocation.id })),
    page.first,
  );
}

export interface LoanListRow {
  loan: LoanRow;
  requisitionId: number;
  destinationDepotId: number;
}

/** Open loans seen from both sides: lent from, or borrowed into, the region's subtree; optionally only overdue. */
export async function listLoans(
  db: Executor,
  scope: { subtrees: CountyKey[]; depots: CountyKey[] },
  filter: { region?: CountyKey | undefined; overdueOn?: string | undefined },
  page: PageRequest,
): Promise<Page<LoanListRow & { id: number }>> {
  const rows = await db
    .select({
      loan: loans,
      requisitionId: requisitions.id,
      destinationDepotId: requisitions.destinationDepotId,
    })
    .from(loans)
    .innerJoin(requisitionLines, onItsLine(loans))
    .innerJoin(requisitions, lineOnItsRequisition)
    .where(
      and(
        visibleTo(scope),
        filter.overdueOn ? loanOverdueOn("loans", filter.overdueOn) : eq(loans.status, "OPEN"),
        filter.region
          ? sql`(${depotUnder(filter.region, sql`${requisitions.destinationDepotId}`)} or ${depotUnder(filter.region, sql`${loans.lenderDepotId}`)})`
          : undefined,
        page.afterId !== null ? sql`${loans.id} > ${page.afterId}` : undefined,
      ),
    )
    .orderBy(asc(loans.id))
    .limit(page.first + 1);
  return toPage(
    rows.map((r) => ({ ...r, id: r.loan.id })),
    page.first,
  );
}

/**
 * Open discrepancies (rejected or missing stock not yet settled) seen from both sides and by the county: on
 * requisitions the viewer may read, made by or to the region's subtree (rule 5).
 */
export async function openDiscrepancies(
  db: Executor,
  scope: { subtrees: CountyKey[]; depots: CountyKey[] },
  filter: { region?: CountyKey | undefined },
  page: PageRequest,
): Promise<Page<{ discrepancy: DiscrepancyRow; requisitionId: number; id: number }>> {
  const byRegion = (region: CountyKey, col: SQL) =>
    sql`(${requisitions.countyId}, ${col}) in (select county_id, descendant_id from region_paths
          where county_id = ${region.countyId} and ancestor_id = ${region.id})`;
  const rows = await db
    .select({ discrepancy: discrepancies, requisitionId: requisitions.id })
    .from(discrepancies)
    .innerJoin(requisitionLines, onItsLine(discrepancies))
    .innerJoin(requisitions, lineOnItsRequisition)
    .where(
      and(
        visibleTo(scope),
        sql`${discrepancies.settledAt} is null`,
        filter.region
          ? sql`(${byRegion(filter.region, sql`${requisitions.requestingRegionId}`)} or ${byRegion(filter.region, sql`${requisitions.supplyingRegionId}`)})`
          : undefined,
        page.afterId !== null ? sql`${discrepancies.id} > ${page.afterId}` : undefined,
      ),
    )
    .orderBy(asc(discrepancies.id))
    .limit(page.first + 1);
  return toPage(
    rows.map((r) => ({ ...r, id: r.discrepancy.id })),
    page.first,
  );
}
