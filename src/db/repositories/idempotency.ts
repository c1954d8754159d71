import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { idempotencyKeys } from "../schema/index.js";

export interface IdempotencyClaim {
  countyId: number;
  userId: number;
  key: string;
  operation: string;
  requestHash: string;
}

const where = (c: Pick<IdempotencyClaim, "countyId" | "userId" | "key">) =>
  and(
    eq(idempotencyKeys.countyId, c.countyId),
    eq(idempotencyKeys.userId, c.userId),
    eq(idempotencyKeys.key, c.key),
  );

/**
 * Claims a key inside the caller's transaction. A concurrent claim of the same key waits on the unique index
 * until this transaction ends, then finds the stored response (or, after a rollback, claims it itself).
 */
export async function claim(db: Executor, c: IdempotencyClaim): Promise<boolean> {
  const rows = await db
    .insert(idempotencyKeys)
    .values({ ...c, response: sql`'null'::jsonb` })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  return rows.length === 1;
}

export async function find(db: Executor, c: Pick<IdempotencyClaim, "countyId" | "userId" | "key">) {
  const [row] = await db.select().from(idempotencyKeys).where(where(c));
  return row ?? null;
}

export async function saveResponse(db: Executor, c: IdempotencyClaim, response: unknown): Promise<void> {
  await db.update(idempotencyKeys).set({ response }).where(where(c));
}
