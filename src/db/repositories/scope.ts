import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { ReadScope } from "../../domain/custody/policy.js";
import { inKeys } from "../keys.js";
import { regionPaths } from "../schema/index.js";

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
    const roots = inKeys(
      regionPaths.countyId,
      regionPaths.ancestorId,
      scope.subtrees.map((s) => ({ countyId: s.countyId, id: s.regionId })),
    );
    parts.push(
      sql`(${cols.countyId}, ${cols.regionId}) in (select ${regionPaths.countyId}, ${regionPaths.descendantId} from ${regionPaths} where ${roots})`,
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
