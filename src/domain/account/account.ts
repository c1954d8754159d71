import type { Role } from "../custody/roles.js";
import type { RegionLevel } from "../region/region.js";
import { DomainError } from "../shared/errors.js";

/** Long enough to resist guessing offline, short enough that hashing it stays cheap. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

/** Length is the rule (NIST 800-63B): no composition rules, which push people to predictable substitutions. */
export function checkPassword(password: string, field: readonly string[]): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
    throw new DomainError(
      "WEAK_PASSWORD",
      `a password has ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`,
      field,
    );
  }
}

/** Five failed sign-ins within a minute lock a (username, client address) pair for fifteen minutes. */
export const SIGN_IN_LOCK = { failures: 5, windowSeconds: 60, lockMinutes: 15 } as const;

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export function checkUsername(username: string): void {
  if (!USERNAME_PATTERN.test(username)) {
    throw new DomainError(
      "INVALID_INPUT",
      "a username has 2 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
      ["username"],
    );
  }
}

/** An administrator never changes their own standing: another administrator must (four-eyes on access). */
export function refuseSelfAdministration(
  actorId: number,
  targetId: number,
  message = "an administrator cannot change their own account or grants; ask another administrator",
): void {
  if (actorId === targetId) throw new DomainError("SELF_ADMINISTRATION", message, ["userId"]);
}

/**
 * A county always keeps one active administrator: otherwise nobody could manage its people again without
 * going to the database. `activeAdmins` are the ids of the county's enabled users holding COUNTY_ADMIN there.
 */
export function refuseLosingLastAdministrator(
  activeAdmins: readonly number[],
  targetId: number,
  losesAdministration: boolean,
): void {
  if (losesAdministration && activeAdmins.length === 1 && activeAdmins[0] === targetId) {
    throw new DomainError(
      "LAST_ADMINISTRATOR",
      "this is the county's last active administrator; make someone else administrator first",
      ["userId"],
    );
  }
}

/**
 * Which region a role may be held over: county-wide roles over the county itself, a township office over a
 * township, a keeper over any region (their depots are assigned separately).
 */
export function checkGrantScope(role: Role, level: RegionLevel): void {
  const fits =
    role === "KEEPER" ? true : role === "TOWNSHIP_OFFICER" ? level === "TOWNSHIP" : level === "COUNTY";
  if (!fits) {
    throw new DomainError(
      "INVALID_INPUT",
      role === "TOWNSHIP_OFFICER"
        ? "a township office is granted over a township"
        : `${role} is granted over the county itself`,
      ["regionId"],
    );
  }
}
