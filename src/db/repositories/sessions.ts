import { and, eq, isNull, lt, ne, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { rowsOf } from "../keys.js";
import { sessions, signInFailures } from "../schema/index.js";

export type SessionRow = typeof sessions.$inferSelect;

/** A new session; the first of a family is its own family. */
export async function insert(
  db: Executor,
  s: { userId: number; familyId: number | null; tokenHash: string; createdAt: Date; expiresAt: Date },
): Promise<SessionRow> {
  const [{ id }] = rowsOf<{ id: string }>(
    await db.execute(sql`select nextval(pg_get_serial_sequence('sessions', 'id'))::text as id`),
  ) as [{ id: string }];
  const [row] = await db
    .insert(sessions)
    .values({ ...s, id: Number(id), familyId: s.familyId ?? Number(id) })
    .returning();
  return row!;
}

/** The session of a refresh token, locked: two refreshes with one token must not both rotate it. */
export async function lockByTokenHash(db: Executor, tokenHash: string): Promise<SessionRow | null> {
  const [row] = await db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash)).for("update");
  return row ?? null;
}

export async function markReplaced(db: Executor, id: number, at: Date): Promise<void> {
  await db.update(sessions).set({ replacedAt: at }).where(eq(sessions.id, id));
}

export async function revokeFamily(db: Executor, familyId: number, at: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: at })
    .where(and(eq(sessions.familyId, familyId), isNull(sessions.revokedAt)));
}

/** Ends every live session of a user, except the family `keepFamilyId` when given. */
export async function revokeUser(
  db: Executor,
  userId: number,
  at: Date,
  keepFamilyId: number | null = null,
): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: at })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        keepFamilyId === null ? undefined : ne(sessions.familyId, keepFamilyId),
      ),
    );
}

export interface FailurePair {
  username: string;
  clientAddress: string;
}

/**
 * Whether the pair is locked at `now`: some failure in the last `lockMinutes` closed a run of `failures`
 * failures within `windowSeconds`.
 */
export async function isLocked(
  db: Executor,
  pair: FailurePair,
  now: Date,
  rule: { failures: number; windowSeconds: number; lockMinutes: number },
): Promise<boolean> {
  const since = new Date(now.getTime() - (rule.lockMinutes * 60 + rule.windowSeconds) * 1000);
  const lockedSince = new Date(now.getTime() - rule.lockMinutes * 60_000);
  const rows = rowsOf<{ locked: boolean }>(
    await db.execute(sql`
      select exists (
        select 1 from (
          select failed_at, count(*) over (
                   order by failed_at range between ${`${rule.windowSeconds} seconds`}::interval preceding
                   and current row) as n
            from ${signInFailures}
           where username = ${pair.username} and client_address = ${pair.clientAddress}
             and failed_at > ${since.toISOString()}::timestamptz and failed_at <= ${now.toISOString()}::timestamptz
        ) w where n >= ${rule.failures} and failed_at > ${lockedSince.toISOString()}::timestamptz
      ) as locked`),
  );
  return rows[0]?.locked === true;
}

export async function recordFailure(db: Executor, pair: FailurePair, at: Date): Promise<void> {
  await db.insert(signInFailures).values({ ...pair, failedAt: at });
}

/** A successful sign-in forgets the pair's failures; failures older than a day are nobody's concern. */
export async function forgetFailures(db: Executor, pair: FailurePair, now: Date): Promise<void> {
  await db
    .delete(signInFailures)
    .where(
      and(eq(signInFailures.username, pair.username), eq(signInFailures.clientAddress, pair.clientAddress)),
    );
  await db.delete(signInFailures).where(lt(signInFailures.failedAt, new Date(now.getTime() - 86_400_000)));
}
