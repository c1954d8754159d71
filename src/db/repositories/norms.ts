import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { NormRule } from "../../domain/coverage/norm.js";
import { fromDb } from "../../domain/shared/quantity.js";
import type { Executor } from "../client.js";
import { reserveNorms, stockLevels } from "../schema/index.js";

export type NormRow = typeof reserveNorms.$inferSelect;

export async function insert(
  db: Executor,
  norm: Omit<typeof reserveNorms.$inferInsert, "id">,
): Promise<NormRow> {
  const [row] = await db.insert(reserveNorms).values(norm).returning();
  return row!;
}

/** Every norm of a county (for some items): a county has a few hundred at most. */
export async function rulesOfCounty(
  db: Executor,
  countyId: number,
  itemIds?: readonly number[],
): Promise<NormRule[]> {
  const rows = await db
    .select()
    .from(reserveNorms)
    .where(
      and(
        eq(reserveNorms.countyId, countyId),
        itemIds ? inArray(reserveNorms.itemId, [...itemIds]) : undefined,
      ),
    )
    .orderBy(asc(reserveNorms.id));
  return rows.map((r) => ({
    itemId: r.itemId,
    regionId: r.regionId,
    level: r.level,
    basis: r.basis,
    quantity: fromDb(r.quantity),
    reserveFloor: fromDb(r.reserveFloor),
  }));
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
        reserveFloor: norm.reserveFloor ?? "0",
        setBy: norm.setBy,
        setAt: norm.setAt ?? new Date(),
      },
    })
    .returning();
  return row!;
}

/** The safety stock a depot keeps of an item, on the depot-item row the allocation rules read. */
export async function setDepotFloor(
  db: Executor,
  countyId: number,
  depotId: number,
  itemId: number,
  floor: string,
): Promise<void> {
  await db
    .insert(stockLevels)
    .values({ countyId, depotId, itemId, reserveFloor: floor })
    .onConflictDoUpdate({
      target: [stockLevels.countyId, stockLevels.depotId, stockLevels.itemId],
      set: { reserveFloor: floor },
    });
}
