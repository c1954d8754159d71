import { and, asc, eq, isNull } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import type { AssignmentRow, HandoverRow } from "./depotKeepers.js";
import { depotHandovers, depotKeepers } from "../schema/index.js";

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

export async function insertHandover(
  db: Executor,
  h: Omit<typeof depotHandovers.$inferInsert, "id">,
): Promise<HandoverRow> {
  const [row] = await db.insert(depotHandovers).values(h).returning();
  return row!;
}
