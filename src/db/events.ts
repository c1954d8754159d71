import { sql } from "drizzle-orm";
import type { Executor } from "./client.js";

/**
 * The one LISTEN/NOTIFY channel every service process on the database shares. One channel with the topic in the
 * payload: postgres.js quotes channel names and PGlite does not (unquoted names fold to lower case), so the name
 * is lower case to mean the same on both (decision 47).
 */
export const EVENTS_CHANNEL = "reserve_events";

/** PostgreSQL refuses a payload of 8000 bytes or more; events carry ids, never rows, so this is far off. */
const MAX_PAYLOAD_BYTES = 7999;

/**
 * Tells every listening process of `payload` when, and only if, the executor's transaction commits: NOTIFY is
 * delivered at COMMIT and dropped on rollback, so a refused or undone command tells no one.
 */
export async function notify(tx: Executor, ...payloads: object[]): Promise<void> {
  if (payloads.length === 0) return;
  const texts = payloads.map((p) => JSON.stringify(p));
  for (const text of texts) {
    if (Buffer.byteLength(text, "utf8") > MAX_PAYLOAD_BYTES)
      throw new Error(`event payload of ${Buffer.byteLength(text, "utf8")} bytes is over NOTIFY's limit`);
  }
  // many notices, one statement: the overdue check tells every loan it marked at once
  const calls = texts.map((text) => sql`pg_notify(${EVENTS_CHANNEL}, ${text})`);
  await tx.execute(sql`select ${sql.join(calls, sql`, `)}`);
}
