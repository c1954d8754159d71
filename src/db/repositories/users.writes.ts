import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Executor } from "../client.js";
import type { UserRow } from "./users.js";
import { roleGrants, users } from "../schema/index.js";
import type { Role } from "../../domain/custody/roles.js";

export async function insert(
  db: Executor,
  user: {
    username: string;
    displayName: string;
    organisation: string;
    phone?: string;
    homeCountyId?: number | null;
    passwordHash?: string | null;
    mustChangePassword?: boolean;
  },
): Promise<UserRow> {
  const [row] = await db.insert(users).values(user).returning();
  return row!;
}

export async function grant(
  db: Executor,
  g: { countyId: number; userId: number; role: Role; regionId: number },
): Promise<void> {
  await db.insert(roleGrants).values(g).onConflictDoNothing();
}

/** Locks the user's row for a change decided in this transaction. */
export async function lockById(db: Executor, id: number): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).for("update");
  return row ?? null;
}

export type UserChange = Partial<
  Pick<
    UserRow,
    | "displayName"
    | "organisation"
    | "phone"
    | "passwordHash"
    | "passwordChangedAt"
    | "passwordSessionId"
    | "mustChangePassword"
    | "disabledAt"
    | "disabledReason"
  >
>;

export async function update(db: Executor, id: number, change: UserChange): Promise<UserRow> {
  const [row] = await db.update(users).set(change).where(eq(users.id, id)).returning();
  return row!;
}

export async function revokeGrant(
  db: Executor,
  g: { countyId: number; userId: number; role: Role; regionId: number },
): Promise<boolean> {
  const rows = await db
    .delete(roleGrants)
    .where(
      and(
        eq(roleGrants.countyId, g.countyId),
        eq(roleGrants.userId, g.userId),
        eq(roleGrants.role, g.role),
        eq(roleGrants.regionId, g.regionId),
      ),
    )
    .returning({ userId: roleGrants.userId });
  return rows.length > 0;
}

/**
 * The enabled holders of COUNTY_ADMIN in a county, their grant rows locked: two administrators disabling each
 * other at once must not both succeed and leave the county with none.
 */
export async function lockActiveAdministrators(db: Executor, countyId: number): Promise<number[]> {
  const rows = await db
    .select({ userId: roleGrants.userId })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(
      and(eq(roleGrants.countyId, countyId), eq(roleGrants.role, "COUNTY_ADMIN"), isNull(users.disabledAt)),
    )
    .orderBy(asc(roleGrants.userId))
    .for("update", { of: roleGrants });
  return [...new Set(rows.map((r) => r.userId))];
}

/** One password hash for every named person who has none yet; answers how many were given it. */
export async function givePasswordWhereNone(
  db: Executor,
  usernames: readonly string[],
  passwordHash: string,
): Promise<number> {
  if (usernames.length === 0) return 0;
  const rows = await db
    .update(users)
    .set({ passwordHash, mustChangePassword: false })
    .where(and(inArray(users.username, [...usernames]), isNull(users.passwordHash)))
    .returning({ id: users.id });
  return rows.length;
}
