import { createDepot } from "../../src/app/admin/depots.js";
import { createUser } from "../../src/app/admin/people.js";
import * as users from "../../src/db/repositories/users.js";
import type { DepotKind } from "../../src/domain/region/region.js";
import { toGlobalId } from "../../src/graphql/ids.js";
import { type County, type Depot, mutation, type Region, unique } from "./factories.js";
import type { TestService } from "./service.js";
import { query, sql } from "./sql.js";

/**
 * Factories for the administration tests: people with no grants yet, a depot nobody keeps yet, and the rows a
 * test adds to the administration log. They build on the county of aCounty (support/factories.ts).
 */

export interface Person {
  username: string;
  /** Database id, and the global id the API takes. */
  userId: number;
  id: string;
}

/**
 * A person of the county with no grants and no password, as createUser leaves them when an identity provider
 * signs people in: tests call the API with tokens minted for them.
 */
export async function aUser(county: County, what = "person"): Promise<Person> {
  const username = `${what}.${unique()}`;
  const { user } = await createUser(
    county.svc.deps,
    await actorOf(county.svc, county.admin),
    { countyId: county.countyId, username, displayName: `测试${username}`, organisation: county.nameZh },
    { passwordless: true },
  );
  return { username, userId: user.id, id: toGlobalId("User", user.id) };
}

/** A person made by the county's administrator over the API, with the one-time password to sign in with. */
export async function aUserWithPassword(
  county: County,
  what = "person",
  extra: Record<string, unknown> = {},
): Promise<Person & { oneTimePassword: string }> {
  const username = `${what}.${unique()}`;
  const res = await mutation<{ user: { id: string }; oneTimePassword: string }>(
    county.svc,
    county.admin,
    "createUser",
    "CreateUserInput",
    {
      countyId: county.id,
      username,
      displayName: `测试 ${username}`,
      organisation: county.nameZh,
      ...extra,
    },
    "user { id } oneTimePassword",
  );
  const [row] = await query<{ id: number }>(
    county.svc.database,
    sql`select id::int from users where username = ${username}`,
  );
  return { username, userId: row!.id, id: res.user.id, oneTimePassword: res.oneTimePassword };
}

/** The global id of a person by username (one the factories made). */
export async function userIdOf(svc: TestService, username: string): Promise<string> {
  const [row] = await query<{ id: number }>(
    svc.database,
    sql`select id::int from users where username = ${username}`,
  );
  if (!row) throw new Error(`no user ${username}`);
  return toGlobalId("User", row.id);
}

/** A depot of the region that nobody keeps yet (aDepot assigns a keeper; this one is for assigning them). */
export async function aDepotWithoutKeeper(
  region: Region,
  kind: DepotKind = "TOWNSHIP_DEPOT",
): Promise<Depot> {
  const { county } = region;
  const n = unique();
  const code = `D${n}`;
  const row = await createDepot(county.svc.deps, await actorOf(county.svc, county.admin), {
    region: { countyId: county.countyId, id: region.regionId },
    code,
    kind,
    nameZh: `${region.nameZh}${n}号库`,
    custodianOrg: `${region.nameZh}应急办`,
  });
  const id = toGlobalId("Depot", { countyId: county.countyId, id: row.id });
  return { county, region, depotId: row.id, id, code, kind, keeper: "" };
}

async function actorOf(svc: TestService, username: string) {
  const loaded = await users.loadActor(svc.database.db, username);
  if (!loaded) throw new Error(`no user ${username}`);
  return loaded.actor;
}

export interface AuditRow {
  action: string;
  target_type: string;
  target_id: number;
  before: unknown;
  after: unknown;
}

/**
 * Where the administration log stands now. The template's demo set-up is logged too, and so is every earlier test
 * of the file: the rows after this mark (auditSince) are the ones the test writes from here on.
 */
export async function auditMark(svc: TestService): Promise<number> {
  const [row] = await query<{ id: number }>(
    svc.database,
    sql`select coalesce(max(id), 0)::int as id from audit_events`,
  );
  return row!.id;
}

/** The administration log's rows after a mark, oldest first, optionally of one action. */
export async function auditSince(svc: TestService, mark: number, action?: string): Promise<AuditRow[]> {
  return query<AuditRow>(
    svc.database,
    action
      ? sql`select action, target_type, target_id::int, before, after from audit_events
             where id > ${mark} and action = ${action} order by id`
      : sql`select action, target_type, target_id::int, before, after from audit_events
             where id > ${mark} order by id`,
  );
}
