import { and, asc, eq, sql } from "drizzle-orm";
import type { Quantity } from "../../domain/shared/quantity.js";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys, rowsOf } from "../keys.js";
import { callUpLines, callUps } from "../schema/index.js";
import type { CallUpLineRow, CallUpRow } from "./callUps.js";

export type NewCallUp = Omit<
  typeof callUps.$inferInsert,
  "id" | "closedAt" | "cancelledAt" | "cancelledBy" | "cancelReason"
>;

/** Any number will do, as long as nothing else takes the same transaction-level advisory lock. */
const CALL_UP_NUMBER_LOCK = 7_340_020;

/**
 * The county's next running number of call-ups in a year, after waiting for any other transaction about to take
 * one: two call-ups of one county, even of different agreements, never draw the same number. The lock ends with
 * the transaction, and is keyed by county so other counties do not wait.
 */
export async function nextNumberIn(db: Executor, countyId: number, prefix: string): Promise<number> {
  await db.execute(sql`select pg_advisory_xact_lock(${CALL_UP_NUMBER_LOCK}, ${countyId}::int)`);
  const [row] = rowsOf<{ last: string | null }>(
    await db.execute(sql`
      select max(substring(number from ${prefix.length + 1}::int)::int)::text as last
        from call_ups where county_id = ${countyId}::bigint and starts_with(number, ${prefix})`),
  );
  return Number(row?.last ?? 0) + 1;
}

export async function insert(
  db: Executor,
  c: NewCallUp,
  lines: readonly { itemId: number; quantity: Quantity }[],
): Promise<{ callUp: CallUpRow; lines: CallUpLineRow[] }> {
  const [callUp] = await db.insert(callUps).values(c).returning();
  const written = await db
    .insert(callUpLines)
    .values(lines.map((l) => ({ countyId: c.countyId, callUpId: callUp!.id, ...l })))
    .returning();
  return { callUp: callUp!, lines: written.sort((a, b) => a.itemId - b.itemId) };
}

/** Locks a call-up and its lines (in item order) for a delivery or a cancellation. */
export async function lock(
  db: Executor,
  key: CountyKey,
): Promise<{ callUp: CallUpRow; lines: CallUpLineRow[] } | null> {
  const [callUp] = await db
    .select()
    .from(callUps)
    .where(inKeys(callUps.countyId, callUps.id, [key]))
    .for("update");
  if (!callUp) return null;
  const lines = await db
    .select()
    .from(callUpLines)
    .where(and(eq(callUpLines.countyId, key.countyId), eq(callUpLines.callUpId, key.id)))
    .orderBy(asc(callUpLines.itemId))
    .for("update");
  return { callUp, lines };
}

export async function setDelivered(
  db: Executor,
  key: CountyKey,
  itemId: number,
  delivered: Quantity,
): Promise<CallUpLineRow> {
  const [row] = await db
    .update(callUpLines)
    .set({ deliveredQuantity: delivered })
    .where(
      and(
        eq(callUpLines.countyId, key.countyId),
        eq(callUpLines.callUpId, key.id),
        eq(callUpLines.itemId, itemId),
      ),
    )
    .returning();
  return row!;
}

export async function close(db: Executor, key: CountyKey, at: Date): Promise<CallUpRow> {
  const [row] = await db
    .update(callUps)
    .set({ closedAt: at })
    .where(inKeys(callUps.countyId, callUps.id, [key]))
    .returning();
  return row!;
}

export async function cancel(
  db: Executor,
  key: CountyKey,
  by: { userId: number; at: Date; reason: string },
): Promise<CallUpRow> {
  const [row] = await db
    .update(callUps)
    .set({ cancelledAt: by.at, cancelledBy: by.userId, cancelReason: by.reason })
    .where(inKeys(callUps.countyId, callUps.id, [key]))
    .returning();
  return row!;
}
