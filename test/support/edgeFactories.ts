import { signLocalToken } from "../../src/auth/tokens.js";
import * as users from "../../src/db/repositories/users.js";
import { toGlobalId } from "../../src/graphql/ids.js";
import type { Service } from "../../src/service.js";
import { CREATE_USER, post } from "./accounts.js";
import { type County, mutation, unique } from "./factories.js";
import { TEST_SECRET, type TestService } from "./service.js";

/**
 * A service a test started itself (startService: behind a proxy, a second process on one database), seen the way
 * the factories see a TestService: its database, tokens signed with TEST_SECRET (which it must be configured
 * with), operations over HTTP as a named person. `stop` closes the service only; the test owns the database.
 */
export function asTestService(service: Service): TestService {
  const secret = new TextEncoder().encode(TEST_SECRET);
  const token: TestService["token"] = (username, o = {}) => signLocalToken(secret, username, o);
  const self: TestService = {
    ...service,
    database: service.deps.database,
    token,
    async gql(query, variables = {}, as) {
      if (as === undefined) throw new Error("say who asks (a username, or null for nobody)");
      return post(self, query, variables, { bearer: as === null ? null : await token(as) });
    },
    async stop() {
      await service.close();
    },
  };
  return self;
}

/** The global id of a person, for the administration mutations that name one. */
export async function userIdOf(svc: TestService, username: string): Promise<string> {
  const loaded = await users.loadActor(svc.database.db, username);
  if (!loaded) throw new Error(`no user ${username}`);
  return toGlobalId("User", loaded.actor.userId);
}

/**
 * People made the way an administrator makes them over the API: for the sign-in and account tests, which need
 * someone with a one-time password (the factories' people have none: an identity provider signs them in).
 */

export interface Newcomer {
  /** Global id of the user. */
  id: string;
  username: string;
  oneTimePassword: string;
}

/** A new person of the county, created by its administrator (createUser), with the one-time password it answered. */
export async function aNewcomer(
  county: County,
  username = `newcomer.${unique()}`,
  extra: Record<string, unknown> = {},
): Promise<Newcomer> {
  const res = await county.svc.gql<{
    createUser: { user: { id: string } | null; oneTimePassword: string | null; userErrors: unknown[] };
  }>(
    CREATE_USER,
    {
      i: {
        countyId: county.id,
        username,
        displayName: `测试 ${username}`,
        organisation: county.nameZh,
        ...extra,
      },
    },
    county.admin,
  );
  const created = res.data?.createUser;
  if (!created?.user || !created.oneTimePassword) throw new Error(`createUser: ${JSON.stringify(res)}`);
  return { id: created.user.id, username, oneTimePassword: created.oneTimePassword };
}

/** The county's administrator grants (or revokes) a role over a region of the county, the county itself by default. */
export async function aGrant(
  county: County,
  userId: string,
  role: string,
  opts: { regionId?: string; revoke?: boolean } = {},
): Promise<void> {
  await mutation(
    county.svc,
    county.admin,
    opts.revoke ? "revokeRole" : "grantRole",
    "RoleGrantInput",
    { userId, role, regionId: opts.regionId ?? county.id },
    "",
  );
}
