import { and, asc, eq, getTableColumns, gt, isNull, lte, or, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys, rowsOf } from "../keys.js";
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

export async function assign(db: Executor, depot: CountyKey, userId: number, at?: Date): Promise<void> {
  await db
    .insert(depotKeepers)
    .values({ countyId: depot.countyId, depotId: depot.id, userId, ...(at ? { assignedAt: at } : {}) })
    .onConflictDoNothing();
}

/** The current assignments of a depot, locked: assignment changes about one depot are serialised. */
export function lockCurrent(db: Executor, depot: CountyKey): Promise<AssignmentRow[]> {
  return db
    .select()
    .from(depotKeepers)
    .where(
      and(
        eq(depotKeepers.countyId, depot.countyId),
        eq(depotKeepers.depotId, depot.id),
        isNull(depotKeepers.until),
      ),
    )
    .orderBy(asc(depotKeepers.id))
    .for("update");
}

/** Ends an assignment: the row stays, with the instant custody ended. */
export async function end(db: Executor, assignment: CountyKey, at: Date): Promise<void> {
  await db
    .update(depotKeepers)
    .set({ until: at })
    .where(and(inKeys(depotKeepers.countyId, depotKeepers.id, [assignment]), isNull(depotKeepers.until)));
}

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

export async function insertHandover(
  db: Executor,
  h: Omit<typeof depotHandovers.$inferInsert, "id">,
): Promise<HandoverRow> {
  const [row] = await db.insert(depotHandovers).values(h).returning();
  return row!;
}

export function handoversOf(db: Executor, keys: readonly CountyKey[]): Promise<HandoverRow[]> {
  return db
    .select()
    .from(depotHandovers)
    .where(inKeys(depotHandovers.countyId, depotHandovers.depotId, keys))
    .orderBy(asc(depotHandovers.at), asc(depotHandovers.id));
}

/** On hand per item at a depot by the books, every condition counted: what a handover hands over. */
export async function onHandByItem(
  db: Executor,
  depot: CountyKey,
): Promise<{ itemId: number; onHand: string }[]> {
  const rows = rowsOf<{ item_id: string; on_hand: string }>(
    await db.execute(sql`
    select item_id::text as item_id, sum(on_hand)::text as on_hand from lots
     where county_id = ${depot.countyId} and depot_id = ${depot.id} and on_hand > 0
     group by item_id order by item_id`),
  );
  return rows.map((r) => ({ itemId: Number(r.item_id), onHand: r.on_hand }));
}
