import { and, eq, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { inKeys } from "../keys.js";
import { depots, type lots, type movements, regionPaths } from "../schema/index.js";
import type { ReadScope } from "../../domain/custody/policy.js";

/**
 * The read scope as SQL over a depot's columns: inside a granted subtree (through the closure table) or one of
 * the actor's own depots. A depot outside it is indistinguishable from one that does not exist.
 */
export function depotInScope(
  scope: ReadScope,
  cols: { countyId: AnyPgColumn; id: AnyPgColumn; regionId: AnyPgColumn },
): SQL {
  const parts: SQL[] = [];
  if (scope.subtrees.length > 0) {
    parts.push(
      inSubtrees(
        cols,
        scope.subtrees.map((s) => ({ countyId: s.countyId, id: s.regionId })),
      ),
    );
  }
  if (scope.depots.length > 0) {
    parts.push(
      inKeys(
        cols.countyId,
        cols.id,
        scope.depots.map((d) => ({ countyId: d.countyId, id: d.depotId })),
      ),
    );
  }
  return parts.length === 0 ? sql`false` : sql`(${sql.join(parts, sql` or `)})`;
}

/**
 * Depots whose region lies under one of `roots`. A county's own region has id = county_id, and its subtree is the
 * whole county: that root is said as a plain county_id test, which the planner can serve from any county-first
 * index, instead of a semi-join through the closure table that hides how much of the county it keeps.
 */
export function inSubtrees(
  cols: { countyId: AnyPgColumn; regionId: AnyPgColumn },
  roots: readonly { countyId: number; id: number }[],
): SQL {
  const counties = roots.filter((r) => r.id === r.countyId);
  const below = roots.filter((r) => r.id !== r.countyId);
  const parts: SQL[] = [];
  if (counties.length > 0) {
    parts.push(
      sql`${cols.countyId} in (${sql.join(
        counties.map((c) => sql`${c.countyId}::bigint`),
        sql`, `,
      )})`,
    );
  }
  if (below.length > 0) {
    parts.push(
      sql`(${cols.countyId}, ${cols.regionId}) in (select ${regionPaths.countyId}, ${regionPaths.descendantId} from ${regionPaths} where ${inKeys(regionPaths.countyId, regionPaths.ancestorId, below)})`,
    );
  }
  return parts.length === 0 ? sql`false` : sql`(${sql.join(parts, sql` or `)})`;
}

/** A lot or ledger line joined to its depot, for custody (depotInScope) and for the depot's names. */
export const sameDepot = (t: typeof lots | typeof movements) =>
  and(eq(depots.countyId, t.countyId), eq(depots.id, t.depotId));
