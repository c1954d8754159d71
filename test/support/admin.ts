import { toGlobalId } from "../../src/graphql/ids.js";
import type { TestService } from "./service.js";
import { query, sql } from "./sql.js";

export const ADMIN = "county.admin";
/** Administrator of a second county, made here: to the demo county it must look like a stranger. */
export const OTHER_ADMIN = "other.admin";

export interface AdminWorld {
  /** The demo county's Region id, and its database id. */
  county: string;
  countyId: number;
  otherCountyId: number;
  /** Global id of a region in the demo county, by Chinese name. */
  region: (nameZh: string) => string;
}

/** A second county (永安县) with its own administrator and one user, by direct SQL as `admin init` would leave it. */
export async function adminWorld(svc: TestService): Promise<AdminWorld> {
  const [other] = await query<{ id: number }>(
    svc.database,
    sql`with n as (select nextval(pg_get_serial_sequence('regions', 'id')) as id)
        insert into regions (county_id, id, parent_id, level, division_code, name_zh, name_en, population)
        select n.id, n.id, null, 'COUNTY', '411088000000', '永安县', 'Yong''an County', 300000 from n
        returning id::int as id`,
  );
  const otherId = other!.id;
  await query(
    svc.database,
    sql`insert into region_paths (county_id, ancestor_id, descendant_id, depth) values (${otherId}, ${otherId}, ${otherId}, 0)`,
  );
  const admin = await insertUser(svc, OTHER_ADMIN, otherId);
  await query(
    svc.database,
    sql`insert into role_grants (county_id, user_id, role, region_id) values (${otherId}, ${admin}, 'COUNTY_ADMIN', ${otherId})`,
  );
  await insertUser(svc, "other.person", otherId);
  const regions = await query<{ id: number; county_id: number; name_zh: string; level: string }>(
    svc.database,
    sql`select id::int, county_id::int, name_zh, level from regions where county_id <> ${otherId}`,
  );
  const county = regions.find((r) => r.level === "COUNTY")!;
  const byName = new Map(
    regions.map((r) => [r.name_zh, toGlobalId("Region", { countyId: r.county_id, id: r.id })]),
  );
  return {
    county: byName.get(county.name_zh)!,
    countyId: county.id,
    otherCountyId: otherId,
    region: (name) => {
      const id = byName.get(name);
      if (!id) throw new Error(`no region ${name}`);
      return id;
    },
  };
}

/** A person of a county, with no grants: what createUser leaves behind. */
export async function insertUser(svc: TestService, username: string, countyId: number): Promise<number> {
  const [row] = await query<{ id: number }>(
    svc.database,
    sql`insert into users (username, display_name, organisation, home_county_id)
        values (${username}, ${username}, '测试单位', ${countyId}) returning id::int as id`,
  );
  return row!.id;
}

export async function countRows(svc: TestService, table: string): Promise<number> {
  const [row] = await query<{ n: number }>(
    svc.database,
    sql`select count(*)::int as n from ${sql.identifier(table)}`,
  );
  return row!.n;
}

/** Runs a mutation and answers its payload field. */
export async function mutate<T = Record<string, unknown>>(
  svc: TestService,
  field: string,
  inputType: string,
  selection: string,
  input: Record<string, unknown>,
  as: string = ADMIN,
): Promise<T & { userErrors: { field: string[]; code: string; message: string }[] }> {
  const res = await svc.gql<
    Record<string, T & { userErrors: { field: string[]; code: string; message: string }[] }>
  >(
    `mutation($input: ${inputType}!) { ${field}(input: $input) { ${selection} userErrors { field code message } } }`,
    { input },
    as,
  );
  if (res.errors) throw new Error(`${field}: ${JSON.stringify(res.errors)}`);
  return res.data![field]!;
}

/** The top-level error code a mutation gets (FORBIDDEN for the wrong role). */
export async function topLevelCode(
  svc: TestService,
  field: string,
  inputType: string,
  input: Record<string, unknown>,
  as: string,
): Promise<string | undefined> {
  const res = await svc.gql(
    `mutation($input: ${inputType}!) { ${field}(input: $input) { userErrors { code } } }`,
    { input },
    as,
  );
  return res.errors?.[0]?.extensions?.code;
}
