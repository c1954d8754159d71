import { hashPassword } from "../../auth/passwords.js";
import * as userWrites from "../../db/repositories/users.writes.js";
import { type AppDeps, inTransaction } from "../deps.js";

/**
 * Gives the demo county's people one shared, published password, so whoever runs `npm start` can sign in to the
 * console as any of them (README: 演示账号). Only ever after the demo county was loaded, which production never
 * does (config.ts); a real county's people get theirs from `admin init`, `createUser` or `resetPassword`.
 * One hash for everyone: scrypt costs about 85 ms, and a demo password protects nothing.
 */
export async function giveDemoPasswords(
  deps: AppDeps,
  usernames: readonly string[],
  password: string,
): Promise<number> {
  const passwordHash = await hashPassword(password);
  return inTransaction(deps, (tx) => userWrites.givePasswordWhereNone(tx, usernames, passwordHash));
}
