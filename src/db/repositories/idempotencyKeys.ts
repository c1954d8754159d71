import { and, eq } from "drizzle-orm";
import type { Executor } from "../client.js";
import { idempotencyKeys } from "../schema/index.js";

export interface IdempotencyClaim {
  countyId: number;
  userId: number;
  key: string;
  operation: string;
  requestHash: string;
}

export const whereKey = (c: Pick<IdempotencyClaim, "countyId" | "userId" | "key">) =>
  and(
    eq(idempotencyKeys.countyId, c.countyId),
    eq(idempotencyKeys.userId, c.userId),
    eq(idempotencyKeys.key, c.key),
  );

export async function find(db: Executor, c: Pick<IdempotencyClaim, "countyId" | "userId" | "key">) {
  const [row] = await db.select().from(idempotencyKeys).where(whereKey(c));
  return row ?? null;
}
