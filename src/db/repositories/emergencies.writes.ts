import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { bigintArray, type CountyKey, inKeys, rowsOf } from "../keys.js";
import type { EmergencyRow } from "./emergencies.js";
import { emergencies, regions } from "../schema/index.js";

export type NewEmergency = Omit<
  typeof emergencies.$inferInsert,
  "id" | "number" | "endedAt" | "endedBy" | "endNote"
>;

/**
 * Declares an emergency under the county's next running number. The county's region row is held NO KEY UPDATE
 * until commit, so two declarations in one county take their numbers one after the other; foreign-key checks
 * (KEY SHARE) on the row are not held up by it.
 */
export async function insertNumbered(db: Executor, e: NewEmergency): Promise<EmergencyRow> {
  await db
    .select({ id: regions.id })
    .from(regions)
    .where(and(eq(regions.countyId, e.countyId), eq(regions.id, e.countyId)))
    .for("no key update");
  const [next] = rowsOf<{ number: string }>(
    await db.execute(
      sql`select (coalesce(max(${emergencies.number}), 0) + 1)::text as number from ${emergencies} where ${emergencies.countyId} = ${e.countyId}`,
    ),
  );
  const [row] = await db
    .insert(emergencies)
    .values({ ...e, number: Number(next!.number) })
    .returning();
  return row!;
}

/** Holds an emergency while it is ended: an issue under it (which holds it FOR SHARE) finishes first. */
export async function lock(db: Executor, key: CountyKey): Promise<EmergencyRow | null> {
  const [row] = await db
    .select()
    .from(emergencies)
    .where(inKeys(emergencies.countyId, emergencies.id, [key]))
    .for("no key update");
  return row ?? null;
}

/**
 * The emergencies not ended that are declared for one of these regions (a depot's lineage), held FOR SHARE until
 * the issue under them commits, so none is ended meanwhile.
 */
export function shareOpenFor(
  db: Executor,
  countyId: number,
  regionIds: readonly number[],
): Promise<EmergencyRow[]> {
  return db
    .select()
    .from(emergencies)
    .where(
      and(
        eq(emergencies.countyId, countyId),
        sql`${emergencies.regionId} = any(${bigintArray(regionIds)})`,
        isNull(emergencies.endedAt),
      ),
    )
    .orderBy(asc(emergencies.id))
    .for("share");
}

export async function end(
  db: Executor,
  key: CountyKey,
  by: { endedBy: number; endedAt: Date; endNote: string },
): Promise<EmergencyRow> {
  const [row] = await db
    .update(emergencies)
    .set(by)
    .where(inKeys(emergencies.countyId, emergencies.id, [key]))
    .returning();
  return row!;
}
