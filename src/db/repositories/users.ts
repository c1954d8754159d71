import { asc, eq, inArray } from "drizzle-orm";
import type { Actor } from "../../domain/custody/actor.js";
import type { Role } from "../../domain/custody/roles.js";
import type { Executor } from "../client.js";
import { depotKeepers, roleGrants, users } from "../schema/index.js";

export type UserRow = typeof users.$inferSelect;
export type GrantRow = typeof roleGrants.$inferSelect;

export async function insert(
  db: Executor,
  user: { username: string; displayName: string; organisation: string },
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

export async function findByUsername(db: Executor, username: string): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.username, username));
  return row ?? null;
}

export function findByIds(db: Executor, ids: readonly number[]): Promise<UserRow[]> {
  return db
    .select()
    .from(users)
    .where(inArray(users.id, [...ids]));
}

export function findGrants(db: Executor, userIds: readonly number[]): Promise<GrantRow[]> {
  return db
    .select()
    .from(roleGrants)
    .where(inArray(roleGrants.userId, [...userIds]))
    .orderBy(asc(roleGrants.countyId), asc(roleGrants.role), asc(roleGrants.regionId));
}

/** The actor behind a token: identity, grants and kept depots, or null for an unknown username. */
export async function loadActor(
  db: Executor,
  username: string,
): Promise<{ user: UserRow; actor: Actor } | null> {
  const user = await findByUsername(db, username);
  if (!user) return null;
  const [grants, kept] = await Promise.all([
    findGrants(db, [user.id]),
    db
      .select({ countyId: depotKeepers.countyId, depotId: depotKeepers.depotId })
      .from(depotKeepers)
      .where(eq(depotKeepers.userId, user.id))
      .orderBy(asc(depotKeepers.depotId)),
  ]);
  return {
    user,
    actor: {
      userId: user.id,
      username: user.username,
      grants: grants.map(({ countyId, role, regionId }) => ({ countyId, role, regionId })),
      keptDepots: kept,
    },
  };
}
