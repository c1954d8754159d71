import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import type { RotationRow } from "./rotations.js";
import { rotations } from "../schema/index.js";

export async function insert(
  db: Executor,
  r: Omit<typeof rotations.$inferInsert, "id" | "status">,
): Promise<RotationRow> {
  const [row] = await db.insert(rotations).values(r).returning();
  return row!;
}

export async function lock(db: Executor, key: CountyKey): Promise<RotationRow | null> {
  const [row] = await db
    .select()
    .from(rotations)
    .where(inKeys(rotations.countyId, rotations.id, [key]))
    .for("update");
  return row ?? null;
}

export async function close(db: Executor, key: CountyKey, replacementLotId: number, at: Date): Promise<void> {
  await db
    .update(rotations)
    .set({ status: "CLOSED", replacementLotId, closedAt: at })
    .where(inKeys(rotations.countyId, rotations.id, [key]));
}
