import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import type { WriteOffRequestRow } from "./writeOffRequests.js";
import { writeOffRequests } from "../schema/index.js";

export async function insert(
  db: Executor,
  request: Omit<typeof writeOffRequests.$inferInsert, "id" | "status">,
): Promise<WriteOffRequestRow> {
  const [row] = await db.insert(writeOffRequests).values(request).returning();
  return row!;
}

export async function lock(db: Executor, key: CountyKey): Promise<WriteOffRequestRow | null> {
  const [row] = await db
    .select()
    .from(writeOffRequests)
    .where(inKeys(writeOffRequests.countyId, writeOffRequests.id, [key]))
    .for("update");
  return row ?? null;
}

export async function decide(
  db: Executor,
  key: CountyKey,
  decision: {
    status: "CONFIRMED" | "REJECTED";
    decidedBy: number;
    decidedAt: Date;
    movementId: number | null;
  },
): Promise<WriteOffRequestRow> {
  const [row] = await db
    .update(writeOffRequests)
    .set(decision)
    .where(inKeys(writeOffRequests.countyId, writeOffRequests.id, [key]))
    .returning();
  return row!;
}
