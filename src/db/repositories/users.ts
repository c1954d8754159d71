import { and, asc, eq, gt, ilike, inArray, isNull, or, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import { depotKeepers, roleGrants, users } from "../schema/index.js";
import type { Actor } from "../../domain/custody/actor.js";
import type { Role } from "../../domain/custody/roles.js";

export type UserRow = typeof users.$inferSelect;

export type GrantRow = typeof roleGrants.$inferSelect;

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
