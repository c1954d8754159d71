import { and, eq } from "drizzle-orm";
import type { ReadScope } from "../../domain/custody/policy.js";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import { depots, lots, writeOffRequests } from "../schema/index.js";
import { depotInScope } from "./scope.js";

export type WriteOffRequestRow = typeof writeOffRequests.$inferSelect;

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

export function findByKeys(db: Executor, keys: readonly CountyKey[]): Promise<WriteOffRequestRow[]> {
  return db
    .select()
    .from(writeOffRequests)
    .where(inKeys(writeOffRequests.countyId, writeOffRequests.id, keys));
}

export async function findVisible(
  db: Executor,
  scope: ReadScope,
  keys: readonly CountyKey[],
): Promise<WriteOffRequestRow[]> {
  const rows = await db
    .select({ request: writeOffRequests })
    .from(writeOffRequests)
    .innerJoin(lots, and(eq(lots.countyId, writeOffRequests.countyId), eq(lots.id, writeOffRequests.lotId)))
    .innerJoin(depots, and(eq(depots.countyId, lots.countyId), eq(depots.id, lots.depotId)))
    .where(and(inKeys(writeOffRequests.countyId, writeOffRequests.id, keys), depotInScope(scope, depots)));
  return rows.map((r) => r.request);
}
