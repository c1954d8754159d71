import { and, eq, isNull, lt, ne, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { rowsOf } from "../keys.js";
import type { FailurePair, SessionRow } from "./sessions.js";
import { sessions, signInFailures } from "../schema/index.js";

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
