import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { openDatabase, type Database } from "../../src/db/client.js";
import { type Service, startService } from "../../src/service.js";
import { post, SIGN_IN, type SignInData } from "../support/accounts.js";
import { aGrant, aNewcomer, userIdOf } from "../support/edgeFactories.js";
import { databaseUrl } from "../support/engine.js";
import { aCounty, aPerson, type County } from "../support/factories.js";
import { startTestService, TEST_SECRET, type TestService } from "../support/service.js";
import { query, sql } from "../support/sql.js";

// Two processes on one database: A administers, B serves the person. B learns of the change only from the
// database, when its memory of the viewer (ACTOR_CACHE_SECONDS) runs out.
const CACHE_SECONDS = 1;
let a: TestService;
let second: Database;
let b: Service;
/** A county of its own, administered on A. */
let county: County;
beforeAll(async () => {
  a = await startTestService({ env: { ACTOR_CACHE_SECONDS: String(CACHE_SECONDS) } });
  county = await aCounty(a);
  const [{ name }] = (await query<{ name: string }>(a.database, sql`select current_database() as name`)) as [
    { name: string },
  ];
  second = await openDatabase({ databaseUrl: databaseUrl(name), maxConnections: 2 });
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    JWT_SECRET: TEST_SECRET,
    ACTOR_CACHE_SECONDS: String(CACHE_SECONDS),
  });
  b = await startService(config, { database: second, logger: pino({ level: "silent" }) });
});
afterAll(async () => {
  await b.close();
  await second.close();
  await a.stop();
});

const me = (svc: Service, bearer: string) => post(svc as TestService, "{ me { roles } }", {}, { bearer });
const codes = (r: { errors?: { extensions?: { code?: string } }[] }) =>
  r.errors?.map((e) => e.extensions?.code);

describe("account changes reach every process within ACTOR_CACHE_SECONDS", () => {
  it("failures counted on one process lock the pair on the other", async () => {
    const { oneTimePassword } = await aNewcomer(county, "shared.lock");
    for (const svc of [a, b, a, b, a]) {
      await post(svc as TestService, SIGN_IN, { i: { username: "shared.lock", password: "wrong password" } });
    }
    const res = await post<SignInData>(b as TestService, SIGN_IN, {
      i: { username: "shared.lock", password: oneTimePassword },
    });
    expect(res.data!.signIn.userErrors.map((e) => e.code)).toEqual(["TOO_MANY_ATTEMPTS"]);
  });

  it("a user disabled on one process is refused on the other within the bound", async () => {
    const { id, oneTimePassword } = await aNewcomer(county, "two.process");
    const signIn = await post<SignInData>(b as TestService, SIGN_IN, {
      i: { username: "two.process", password: oneTimePassword },
    });
    const token = signIn.data!.signIn.session!.accessToken;
    expect(codes(await me(b, token))).toBeUndefined();
    const disabled = await a.gql<{ disableUser: { userErrors: unknown[] } }>(
      "mutation($i: DisableUserInput!) { disableUser(input: $i) { userErrors { code } } }",
      { i: { userId: id, reason: "离职" } },
      county.admin,
    );
    expect(disabled.data!.disableUser.userErrors).toEqual([]);
    expect(codes(await me(a, token))).toEqual(["UNAUTHENTICATED"]); // at once where it happened
    await new Promise((r) => setTimeout(r, CACHE_SECONDS * 1000 + 200));
    expect(codes(await me(b, token))).toEqual(["UNAUTHENTICATED"]);
  });

  it("a revoked grant stops on the other process within the bound", async () => {
    // a person an identity provider signs in (no password), granted AUDITOR over the county on A
    const who = await aPerson(county, "AUDITOR");
    const token = await a.token(who);
    expect((await me(b, token)).data).toEqual({ me: { roles: ["AUDITOR"] } });
    await aGrant(county, await userIdOf(a, who), "AUDITOR", { revoke: true });
    expect((await me(a, token)).data).toEqual({ me: { roles: [] } });
    await new Promise((r) => setTimeout(r, CACHE_SECONDS * 1000 + 200));
    expect((await me(b, token)).data).toEqual({ me: { roles: [] } });
  });
});
