import { and, asc, eq, gt, ilike, inArray, isNull, or, sql } from "drizzle-orm";
import type { Actor } from "../../domain/custody/actor.js";
import type { Role } from "../../domain/custody/roles.js";
import type { Executor } from "../client.js";
import { depotKeepers, roleGrants, users } from "../schema/index.js";
import { type Page, type PageRequest, toPage } from "./page.js";

export type UserRow = typeof users.$inferSelect;
export type GrantRow = typeof roleGrants.$inferSelect;

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

/** Drivers hand json back parsed, unless the value arrives as text. */
const parseJson = <T>(v: T | string): T => (typeof v === "string" ? (JSON.parse(v) as T) : v);

/** The actor behind a token: identity, grants and kept depots, or null for an unknown username. */
export async function loadActor(
  db: Executor,
  username: string,
): Promise<{ user: UserRow; actor: Actor } | null> {
  // one statement, not three: every request pays for this before its own work
  const [row] = await db
    .select({
      user: users,
      grants: sql<[number, Role, number][]>`coalesce((
        select json_agg(json_build_array(g.county_id, g.role, g.region_id) order by g.county_id, g.role, g.region_id)
          from ${roleGrants} g where g.user_id = ${users.id}), '[]')`,
      // "users"."id" spelled out: drizzle renders ${users.id} unqualified, which inside this subquery would
      // mean depot_keepers.id; only current assignments give custody
      kept: sql<[number, number][]>`coalesce((
        select json_agg(json_build_array(k.county_id, k.depot_id) order by k.depot_id)
          from ${depotKeepers} k where k.user_id = "users"."id" and k.until is null), '[]')`,
    })
    .from(users)
    .where(eq(users.username, username));
  if (!row) return null;
  const { user } = row;
  return {
    user,
    actor: {
      userId: user.id,
      username: user.username,
      grants: parseJson(row.grants).map(([countyId, role, regionId]) => ({ countyId, role, regionId })),
      keptDepots: parseJson(row.kept).map(([countyId, depotId]) => ({ countyId, depotId })),
    },
  };
}

export async function findById(db: Executor, id: number): Promise<UserRow | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
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

export interface UserFilter {
  countyIds: readonly number[];
  search?: string | undefined;
  includeDisabled: boolean;
}

/** Users of the given counties (home county), by id. */
export async function list(db: Executor, filter: UserFilter, page: PageRequest): Promise<Page<UserRow>> {
  if (filter.countyIds.length === 0) return { rows: [], hasNextPage: false };
  const pattern = filter.search ? `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await db
    .select()
    .from(users)
    .where(
      and(
        inArray(users.homeCountyId, [...filter.countyIds]),
        filter.includeDisabled ? undefined : isNull(users.disabledAt),
        pattern
          ? or(
              ilike(users.username, pattern),
              ilike(users.displayName, pattern),
              ilike(users.organisation, pattern),
            )
          : undefined,
        page.afterId !== null ? gt(users.id, page.afterId) : undefined,
      ),
    )
    .orderBy(asc(users.id))
    .limit(page.first + 1);
  return toPage(rows, page.first);
}
