import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "../client.js";
import type { NormRow } from "./reserveNorms.js";
import { reserveNorms } from "../schema/index.js";
import { ZERO } from "../../domain/shared/quantity.js";

export async function insert(
  db: Executor,
  norm: Omit<typeof reserveNorms.$inferInsert, "id">,
): Promise<NormRow> {
  const [row] = await db.insert(reserveNorms).values(norm).returning();
  return row!;
}

/** Sets a norm, replacing the one for the same item and scope (a region, or a level of the county). */
/** The norm of one scope (a region, or a level of the county) of an item, locked for the change about to replace it. */
export async function lockScope(
  db: Executor,
  scope: { countyId: number; itemId: number; regionId: number | null; level: NormRow["level"] },
): Promise<NormRow | null> {
  const [row] = await db
    .select()
    .from(reserveNorms)
    .where(
      and(
        eq(reserveNorms.countyId, scope.countyId),
        eq(reserveNorms.itemId, scope.itemId),
        scope.regionId === null ? isNull(reserveNorms.regionId) : eq(reserveNorms.regionId, scope.regionId),
        scope.level === null ? isNull(reserveNorms.level) : eq(reserveNorms.level, scope.level),
      ),
    )
    .for("update");
  return row ?? null;
}

export async function upsert(
  db: Executor,
  norm: Omit<typeof reserveNorms.$inferInsert, "id">,
): Promise<NormRow> {
  const [row] = await db
    .insert(reserveNorms)
    .values(norm)
    .onConflictDoUpdate({
      target: [reserveNorms.countyId, reserveNorms.itemId, reserveNorms.regionId, reserveNorms.level],
      set: {
        basis: norm.basis,
        quantity: norm.quantity,
        reserveFloor: norm.reserveFloor ?? ZERO,
        setBy: norm.setBy,
        setAt: norm.setAt ?? new Date(),
      },
    })
    .returning();
  return row!;
}
