import { hashPassword, oneTimePassword } from "../../auth/passwords.js";
import type { Executor } from "../../db/client.js";
import * as sessionWrites from "../../db/repositories/sessions.writes.js";
import * as userWrites from "../../db/repositories/users.writes.js";
import * as users from "../../db/repositories/users.js";
import {
  checkUsername,
  refuseLosingLastAdministrator,
  refuseSelfAdministration,
} from "../../domain/account/account.js";
import type { Actor } from "../../domain/custody/actor.js";
import { DomainError } from "../../domain/shared/errors.js";
import type { AppDeps } from "../deps.js";
import { adminCommand, type Audit } from "./command.js";
import { requireText } from "../stock/facts.js";
import { requiredName } from "./fields.js";

/** What the administration log keeps of a person: never a hash, a password or a token. */
export const auditedUser = (u: users.UserRow) => ({
  username: u.username,
  displayName: u.displayName,
  organisation: u.organisation,
  phone: u.phone,
  homeCountyId: u.homeCountyId,
  disabledAt: u.disabledAt,
  disabledReason: u.disabledReason,
  mustChangePassword: u.mustChangePassword,
});

const notFound = () => new DomainError("NOT_FOUND", "no such user", ["userId"]);

/** The county a user belongs to, read before the command so it can check its administrator. */
export async function countyOfUser(deps: AppDeps, userId: number): Promise<number> {
  const user = await users.findById(deps.database.db, userId);
  if (!user || user.homeCountyId === null) throw notFound();
  return user.homeCountyId;
}

/** The user locked for the change, or NOT_FOUND when it is not a user of this county. */
export async function lockUserOf(tx: Executor, countyId: number, userId: number): Promise<users.UserRow> {
  const user = await userWrites.lockById(tx, userId);
  if (!user || user.homeCountyId !== countyId) throw notFound();
  return user;
}

export interface NewUserInput {
  countyId: number;
  username: string;
  displayName: string;
  organisation: string;
  phone?: string | null | undefined;
  idempotencyKey?: string | null | undefined;
}

/**
 * createUser: a person of the county, with a one-time password answered once (never stored in the idempotency
 * record: a replay answers the user without it). With an identity provider configured, people sign in there
 * and get no password here.
 */
export async function createUser(
  deps: AppDeps,
  actor: Actor,
  input: NewUserInput,
  opts: { passwordless: boolean },
): Promise<{ user: users.UserRow; oneTimePassword: string | null }> {
  const { username, fields } = newUserFields(input);
  const password = opts.passwordless ? null : oneTimePassword();
  const passwordHash = password === null ? null : await hashPassword(password);
  let created = false;
  const { userId } = await adminCommand(
    deps,
    actor,
    "createUser",
    input.countyId,
    input,
    {},
    async (tx, _now, audit) => {
      const row = await insertUser(tx, audit, {
        username,
        ...fields,
        homeCountyId: input.countyId,
        passwordHash,
        mustChangePassword: password !== null,
      });
      created = true;
      return { userId: row.id };
    },
  );
  return {
    user: (await users.findById(deps.database.db, userId))!,
    oneTimePassword: created ? password : null,
  };
}

/** The username as stored (trimmed, lower case) and the names a person must have. */
function newUserFields(input: NewUserInput) {
  const username = input.username.trim().toLowerCase();
  checkUsername(username);
  const fields = {
    displayName: requiredName(input.displayName, "displayName", "a display name"),
    organisation: requiredName(input.organisation, "organisation", "an organisation"),
    phone: (input.phone ?? "").trim().slice(0, 40),
  };
  return { username, fields };
}

async function insertUser(tx: Executor, audit: Audit, row: Parameters<typeof userWrites.insert>[1]) {
  if (await users.findByUsername(tx, row.username)) {
    throw new DomainError("DUPLICATE", "this username is taken", ["username"]);
  }
  const inserted = await userWrites.insert(tx, row).catch(duplicateUsername);
  await audit({ targetType: "User", targetId: inserted.id, before: null, after: auditedUser(inserted) });
  return inserted;
}

/** Two administrators creating one username at once: the unique index decides, and the loser hears DUPLICATE. */
function duplicateUsername(e: unknown): never {
  const err = e as { code?: string; cause?: { code?: string } };
  if (err.code === "23505" || err.cause?.code === "23505") {
    throw new DomainError("DUPLICATE", "this username is taken", ["username"]);
  }
  throw e;
}

export async function updateUser(
  deps: AppDeps,
  actor: Actor,
  input: {
    userId: number;
    displayName?: string | null | undefined;
    organisation?: string | null | undefined;
    phone?: string | null | undefined;
    idempotencyKey?: string | null | undefined;
  },
): Promise<users.UserRow> {
  const countyId = await countyOfUser(deps, input.userId);
  const change: userWrites.UserChange = {};
  if (input.displayName != null)
    change.displayName = requiredName(input.displayName, "displayName", "a display name");
  if (input.organisation != null)
    change.organisation = requiredName(input.organisation, "organisation", "an organisation");
  if (input.phone != null) change.phone = input.phone.trim().slice(0, 40);
  return adminCommand(
    deps,
    actor,
    "updateUser",
    countyId,
    input,
    { actors: true },
    async (tx, _now, audit) => {
      const before = await lockUserOf(tx, countyId, input.userId);
      const after = await userWrites.update(tx, before.id, change);
      await audit({
        targetType: "User",
        targetId: after.id,
        before: auditedUser(before),
        after: auditedUser(after),
      });
      return after.id;
    },
  ).then(reload(deps));
}

const reload = (deps: AppDeps) => async (userId: number) => (await users.findById(deps.database.db, userId))!;

/**
 * disableUser: the person can no longer sign in, every session ends, and their tokens stop at their next
 * request here (the viewer copy is dropped) and within ACTOR_CACHE_SECONDS elsewhere. An administrator may
 * disable themselves, but never the county's last active administrator.
 */
export async function disableUser(
  deps: AppDeps,
  actor: Actor,
  input: { userId: number; reason: string; idempotencyKey?: string | null | undefined },
): Promise<users.UserRow> {
  const countyId = await countyOfUser(deps, input.userId);
  const reason = requireText(input.reason, "reason", "a reason");
  return adminCommand(
    deps,
    actor,
    "disableUser",
    countyId,
    input,
    { actors: true },
    async (tx, now, audit) => {
      const admins = await userWrites.lockActiveAdministrators(tx, countyId);
      if (!admins.includes(actor.userId)) throw new DomainError("NOT_FOUND", "no such county", null);
      const before = await lockUserOf(tx, countyId, input.userId);
      if (before.disabledAt) return before.id;
      refuseLosingLastAdministrator(admins, before.id, true);
      const after = await userWrites.update(tx, before.id, { disabledAt: now, disabledReason: reason });
      await sessionWrites.revokeUser(tx, before.id, now);
      await audit({
        targetType: "User",
        targetId: after.id,
        before: auditedUser(before),
        after: auditedUser(after),
      });
      return after.id;
    },
  ).then(reload(deps));
}

export async function enableUser(
  deps: AppDeps,
  actor: Actor,
  input: { userId: number; idempotencyKey?: string | null | undefined },
): Promise<users.UserRow> {
  const countyId = await countyOfUser(deps, input.userId);
  return adminCommand(
    deps,
    actor,
    "enableUser",
    countyId,
    input,
    { actors: true },
    async (tx, _now, audit) => {
      const before = await lockUserOf(tx, countyId, input.userId);
      if (!before.disabledAt) return before.id;
      const after = await userWrites.update(tx, before.id, { disabledAt: null, disabledReason: null });
      await audit({
        targetType: "User",
        targetId: after.id,
        before: auditedUser(before),
        after: auditedUser(after),
      });
      return after.id;
    },
  ).then(reload(deps));
}

/**
 * resetPassword: a new one-time password, every session and token of the person ended. Like createUser's, the
 * password is answered once: a replay of the same idempotency key answers the user without it, and the
 * administrator resets again with a new key.
 */
export async function resetPassword(
  deps: AppDeps,
  actor: Actor,
  input: { userId: number; idempotencyKey?: string | null | undefined },
): Promise<{ user: users.UserRow; oneTimePassword: string | null }> {
  const countyId = await countyOfUser(deps, input.userId);
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  let reset = false;
  const userId = await adminCommand(
    deps,
    actor,
    "resetPassword",
    countyId,
    input,
    { actors: true },
    async (tx, now, audit) => {
      const after = await setOneTimePassword(tx, actor, { countyId, userId: input.userId }, passwordHash, {
        now,
        audit,
      });
      reset = true;
      return after.id;
    },
  );
  return { user: await reload(deps)(userId), oneTimePassword: reset ? password : null };
}

/** Someone else's password replaced by a one-time one, every session of theirs ended, and the reset audited. */
async function setOneTimePassword(
  tx: Executor,
  actor: Actor,
  who: { countyId: number; userId: number },
  passwordHash: string,
  at: { now: Date; audit: Audit },
): Promise<users.UserRow> {
  const before = await lockUserOf(tx, who.countyId, who.userId);
  refuseSelfAdministration(actor.userId, before.id, "change your own password with changePassword");
  const after = await userWrites.update(tx, before.id, {
    passwordHash,
    passwordChangedAt: at.now,
    passwordSessionId: null,
    mustChangePassword: true,
  });
  await sessionWrites.revokeUser(tx, before.id, at.now);
  await at.audit({
    targetType: "User",
    targetId: after.id,
    before: auditedUser(before),
    after: { ...auditedUser(after), passwordReset: true },
  });
  return after;
}
