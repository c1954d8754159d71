import { and, asc, eq, getTableColumns, gt, isNull, lte, or } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import { depotHandovers, depotKeepers, users } from "../schema/index.js";

export type AssignmentRow = typeof depotKeepers.$inferSelect;

export type HandoverRow = typeof depotHandovers.$inferSelect;

/** A keeper assignment with the person, for reads: who kept a depot, from when until when. */
export type KeeperRow = typeof users.$inferSelect & {
  countyId: number;
  depotId: number;
  assignedAt: Date;
  until: Date | null;
};

/**
 * Keepers of each depot: current ones, or every assignment ever (`includePast`), or those keeping it at an
 * instant (`asOf`: assigned by then and not yet ended).
 */
export function findKeepers(
  db: Executor,
  keys: readonly CountyKey[],
  opts: { includePast?: boolean; asOf?: Date | null } = {},
): Promise<KeeperRow[]> {
  const when = opts.asOf
    ? and(
        lte(depotKeepers.assignedAt, opts.asOf),
        or(isNull(depotKeepers.until), gt(depotKeepers.until, opts.asOf)),
      )
    : opts.includePast
      ? undefined
      : isNull(depotKeepers.until);
  return db
    .select({
      ...getTableColumns(users),
      countyId: depotKeepers.countyId,
      depotId: depotKeepers.depotId,
      assignedAt: depotKeepers.assignedAt,
      until: depotKeepers.until,
    })
    .from(depotKeepers)
    .innerJoin(users, eq(users.id, depotKeepers.userId))
    .where(and(inKeys(depotKeepers.countyId, depotKeepers.depotId, keys), when))
    .orderBy(asc(depotKeepers.assignedAt), asc(depotKeepers.id));
}

export function handoversOf(db: Executor, keys: readonly CountyKey[]): Promise<HandoverRow[]> {
  return db
    .select()
    .from(depotHandovers)
    .where(inKeys(depotHandovers.countyId, depotHandovers.depotId, keys))
    .orderBy(asc(depotHandovers.at), asc(depotHandovers.id));
}
