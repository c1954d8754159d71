import { type TokenSettings, signSessionToken } from "../../auth/tokens.js";
import {
  hashPassword,
  newRefreshToken,
  tokenHash,
  verifyAgainstDummy,
  verifyPassword,
} from "../../auth/passwords.js";
import { actorCacheOf } from "../../db/actorCache.js";
import type { Executor } from "../../db/client.js";
import * as auditWrites from "../../db/repositories/auditEvents.writes.js";
import * as sessionWrites from "../../db/repositories/sessions.writes.js";
import * as sessions from "../../db/repositories/sessions.js";
import * as userWrites from "../../db/repositories/users.writes.js";
import * as users from "../../db/repositories/users.js";
import { checkPassword, SIGN_IN_LOCK } from "../../domain/account/account.js";
import { DomainError } from "../../domain/shared/errors.js";
import { type AppDeps, inTransaction } from "../deps.js";

/** Refresh tokens live 30 days from their last use; each use replaces them. */
const REFRESH_DAYS = 30;

export interface SessionResult {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  mustChangePassword: boolean;
  user: users.UserRow;
}

const invalid = () => new DomainError("INVALID_CREDENTIALS", "wrong username or password", null);
const expired = () =>
  new DomainError("SESSION_EXPIRED", "this session has ended; sign in again", ["refreshToken"]);

/**
 * signIn: the same INVALID_CREDENTIALS, in about the same time, whether the username is unknown, has no password
 * (it signs in through the identity provider), is disabled or the password is wrong. Failures are written in
 * their own transaction, so they count even though the answer is a refusal, and they count in every process.
 */
export async function signIn(
  deps: AppDeps,
  tokens: TokenSettings,
  input: { username: string; password: string },
  clientAddress: string,
): Promise<SessionResult> {
  const db = deps.database.db;
  const pair = { username: input.username.trim().toLowerCase(), clientAddress };
  if (await sessions.isLocked(db, pair, deps.clock(), SIGN_IN_LOCK)) throw tooMany();
  const user = await users.findByUsername(db, pair.username);
  const matches =
    user?.passwordHash && input.password.length <= 1024
      ? await verifyPassword(input.password, user.passwordHash)
      : await verifyAgainstDummy(input.password.slice(0, 1024));
  if (!matches || !user || user.disabledAt) {
    await sessionWrites.recordFailure(db, pair, deps.clock());
    throw invalid();
  }
  return openSession(deps, tokens, user, null, (tx, now) => sessionWrites.forgetFailures(tx, pair, now));
}

const tooMany = () =>
  new DomainError(
    "TOO_MANY_ATTEMPTS",
    `too many failed sign-ins; try again in ${SIGN_IN_LOCK.lockMinutes} minutes`,
    null,
  );

async function openSession(
  deps: AppDeps,
  tokens: TokenSettings,
  user: users.UserRow,
  familyId: number | null,
  also: (tx: Executor, now: Date) => Promise<void>,
): Promise<SessionResult> {
  const refreshToken = newRefreshToken();
  const now = deps.clock();
  const refreshTokenExpiresAt = new Date(now.getTime() + REFRESH_DAYS * 86_400_000);
  const session = await inTransaction(deps, async (tx) => {
    await also(tx, now);
    return sessionWrites.insert(tx, {
      userId: user.id,
      familyId,
      tokenHash: tokenHash(refreshToken),
      createdAt: now,
      expiresAt: refreshTokenExpiresAt,
    });
  });
  const access = await signSessionToken(tokens, user.username, session.familyId, now);
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken,
    refreshTokenExpiresAt,
    mustChangePassword: user.mustChangePassword,
    user,
  };
}

type Rotation = { ok: users.UserRow; familyId: number } | { refused: true };

/**
 * refreshSession: the token is exchanged for a new one of the same family. A token already exchanged is a copy
 * somebody kept: the family is revoked (the revocation commits) and the answer is SESSION_EXPIRED, so the thief
 * and the owner both have to sign in again, and only the owner can.
 */
export async function refreshSession(
  deps: AppDeps,
  tokens: TokenSettings,
  input: { refreshToken: string },
): Promise<SessionResult> {
  const rotation = await inTransaction<Rotation>(deps, async (tx) => {
    const now = deps.clock();
    const session = await sessionWrites.lockByTokenHash(tx, tokenHash(input.refreshToken));
    if (!session || session.revokedAt || session.expiresAt <= now) return { refused: true };
    if (session.replacedAt) {
      await sessionWrites.revokeFamily(tx, session.familyId, now);
      return { refused: true };
    }
    const user = await users.findById(tx, session.userId);
    if (!user || user.disabledAt) {
      await sessionWrites.revokeFamily(tx, session.familyId, now);
      return { refused: true };
    }
    await sessionWrites.markReplaced(tx, session.id, now);
    return { ok: user, familyId: session.familyId };
  });
  if ("refused" in rotation) throw expired();
  return openSession(deps, tokens, rotation.ok, rotation.familyId, async () => {});
}

/** signOut: the refresh token's whole family ends; its access tokens run out within their minutes. */
export async function signOut(deps: AppDeps, input: { refreshToken: string }): Promise<boolean> {
  const ended = await inTransaction(deps, async (tx) => {
    const session = await sessionWrites.lockByTokenHash(tx, tokenHash(input.refreshToken));
    if (!session || session.revokedAt) return false;
    await sessionWrites.revokeFamily(tx, session.familyId, deps.clock());
    return true;
  });
  if (!ended) throw expired();
  return true;
}

/**
 * changePassword: the signed-in user proves the current password. Every other session ends, and access tokens
 * issued before now are refused except those of the session that made the change (users.password_session_id).
 * Wrong current passwords count toward the sign-in lock, so this is no side door for guessing.
 */
export async function changePassword(
  deps: AppDeps,
  viewer: PasswordChanger,
  input: { currentPassword: string; newPassword: string },
): Promise<users.UserRow> {
  await assertMayChangePassword(deps, viewer, input);
  const passwordHash = await hashPassword(input.newPassword);
  const row = await inTransaction(deps, (tx) => recordPasswordChange(tx, deps.clock(), viewer, passwordHash));
  actorCacheOf(deps.database.db).clear();
  return row;
}

type PasswordChanger = { user: users.UserRow; sessionId: number | null; clientAddress: string };

async function assertMayChangePassword(
  deps: AppDeps,
  viewer: PasswordChanger,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const db = deps.database.db;
  const pair = { username: viewer.user.username, clientAddress: viewer.clientAddress };
  checkPassword(input.newPassword, ["newPassword"]);
  if (await sessions.isLocked(db, pair, deps.clock(), SIGN_IN_LOCK)) throw tooMany();
  const current = viewer.user.passwordHash;
  if (!current || !(await verifyPassword(input.currentPassword, current))) {
    await sessionWrites.recordFailure(db, pair, deps.clock());
    throw new DomainError("INVALID_CREDENTIALS", "the current password is wrong", ["currentPassword"]);
  }
  if (input.newPassword === input.currentPassword) {
    throw new DomainError("WEAK_PASSWORD", "the new password must differ from the current one", [
      "newPassword",
    ]);
  }
}

/** The new password, every other session ended, and the change on the county's audit trail. */
async function recordPasswordChange(
  tx: Executor,
  now: Date,
  viewer: PasswordChanger,
  passwordHash: string,
): Promise<users.UserRow> {
  const before = await userWrites.lockById(tx, viewer.user.id);
  const updated = await userWrites.update(tx, viewer.user.id, {
    passwordHash,
    passwordChangedAt: now,
    passwordSessionId: viewer.sessionId,
    mustChangePassword: false,
  });
  await sessionWrites.revokeUser(tx, viewer.user.id, now, viewer.sessionId);
  if (updated.homeCountyId !== null) {
    await auditWrites.append(tx, {
      countyId: updated.homeCountyId,
      actorId: updated.id,
      occurredAt: now,
      action: "changePassword",
      targetType: "User",
      targetId: updated.id,
      before: { mustChangePassword: before!.mustChangePassword },
      after: { mustChangePassword: false },
    });
  }
  return updated;
}
