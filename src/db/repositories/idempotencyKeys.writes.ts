import { sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type IdempotencyClaim, whereKey } from "./idempotencyKeys.js";
import { idempotencyKeys } from "../schema/index.js";

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

export async function saveResponse(db: Executor, c: IdempotencyClaim, response: unknown): Promise<void> {
  await db.update(idempotencyKeys).set({ response }).where(whereKey(c));
}
