import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../client.js";
import { reserveNorms } from "../schema/index.js";
import type { NormRule } from "../../domain/coverage/norm.js";

export type NormRow = typeof reserveNorms.$inferSelect;

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
    quantity: r.quantity,
    reserveFloor: r.reserveFloor,
  }));
}
