import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counts, post, SIGN_IN, type SignInData } from "./support/accounts.js";
import { auditMark, auditSince, aUser, aUserWithPassword, userIdOf } from "./support/adminFactories.js";
import { aCounty, type ProvisionedCounty, unique } from "./support/factories.js";
import { codes, DISABLE, type Errors, GRANT, REVOKE } from "./support/people.js";
import { startTestService, type TestService } from "./support/service.js";

let svc: TestService;
/** One township with its office and keeper, an administrator, two officers and an auditor; and a second county. */
let county: ProvisionedCounty;
let township: ProvisionedCounty["townships"][number];
let other: ProvisionedCounty;
beforeAll(async () => {
  svc = await startTestService();
  county = await aCounty(svc, { townships: 1 });
  township = county.townships[0]!;
  other = await aCounty(svc);
});
afterAll(() => svc.stop());

const run = async <T = Record<string, Errors>>(q: string, i: Record<string, unknown>, as = county.admin) =>
  (await svc.gql<T>(q, { i }, as)) as { data: T; errors?: { extensions?: { code?: string } }[] };

describe("grantRole and revokeRole", () => {
  it("gives a role over a region of the county; the person's next request has it, and loses it at once", async () => {
    const person = await aUser(county, "xu.ping");
    const roles = async () =>
      (await svc.gql<{ me: { roles: string[] } }>("{ me { roles } }", {}, person.username)).data!.me.roles;
    const grant = { userId: person.id, role: "TOWNSHIP_OFFICER", regionId: township.id };
    const mark = await auditMark(svc);

    const granted = await run<{ grantRole: { user: { grants: unknown[] } } & Errors }>(GRANT, grant);

    expect(granted.data.grantRole).toMatchObject({
      user: { grants: [{ role: "TOWNSHIP_OFFICER", region: { nameZh: township.nameZh } }] },
      userErrors: [],
    });
    // the person's token was made before the grant; the grant is there on their next request
    expect(await roles()).toEqual(["TOWNSHIP_OFFICER"]);
    const before = await counts(svc);
    const twice = await run<{ grantRole: Errors }>(GRANT, grant);
    expect(twice.data.grantRole.userErrors).toEqual([]);
    expect(await counts(svc)).toEqual(before);

    const revoked = await run<{ revokeRole: { user: { grants: unknown[] } } & Errors }>(REVOKE, grant);
    expect(revoked.data.revokeRole).toMatchObject({ user: { grants: [] }, userErrors: [] });
    expect(await roles()).toEqual([]);
    const log = await auditSince(svc, mark);
    expect(log.map((r) => [r.action, r.target_type, r.target_id])).toEqual([
      ["grantRole", "User", person.userId],
      ["revokeRole", "User", person.userId],
    ]);
    expect(log[1]).toMatchObject({ after: { grants: [] } });
  });

  it("refuses a role over a region that does not fit it, outside the county, to outsiders, or to oneself", async () => {
    const person = await aUser(county, "yu.hong");
    const admin = await userIdOf(svc, county.admin);
    const stranger = await userIdOf(svc, other.admin);
    const before = await counts(svc);
    const cases: [Record<string, unknown>, string][] = [
      [{ userId: person.id, role: "TOWNSHIP_OFFICER", regionId: county.id }, "INVALID_INPUT"],
      [{ userId: person.id, role: "COUNTY_OFFICER", regionId: township.id }, "INVALID_INPUT"],
      [{ userId: person.id, role: "COUNTY_OFFICER", regionId: other.id }, "NOT_FOUND"],
      [{ userId: stranger, role: "AUDITOR", regionId: county.id }, "NOT_FOUND"],
      [{ userId: admin, role: "AUDITOR", regionId: county.id }, "SELF_ADMINISTRATION"],
    ];

    const refused = [];
    for (const [input] of cases)
      refused.push(codes((await run<{ grantRole: Errors }>(GRANT, input)).data.grantRole));
    const self = await run<{ revokeRole: Errors }>(REVOKE, {
      userId: admin,
      role: "COUNTY_ADMIN",
      regionId: county.id,
    });
    const missing = await run<{ revokeRole: Errors }>(REVOKE, {
      userId: person.id,
      role: "AUDITOR",
      regionId: county.id,
    });

    expect(refused).toEqual(cases.map(([, code]) => [code]));
    expect(codes(self.data.revokeRole)).toEqual(["SELF_ADMINISTRATION"]);
    expect(codes(missing.data.revokeRole)).toEqual(["NOT_FOUND"]);
    expect(await counts(svc)).toEqual(before);
  });

  it("a second administrator may step down; the last may not", async () => {
    const deputy = await aUserWithPassword(county, "deputy.admin");
    await run(GRANT, { userId: deputy.id, role: "COUNTY_ADMIN", regionId: county.id });
    // a one-time password allows nothing but changing it
    const s = (
      await svc.gql<SignInData>(
        SIGN_IN,
        { i: { username: deputy.username, password: deputy.oneTimePassword } },
        null,
      )
    ).data!.signIn.session!;
    const change = `mutation($i: ChangePasswordInput!) { changePassword(input: $i) { userErrors { code } } }`;
    const i = { currentPassword: deputy.oneTimePassword, newPassword: "deputy admin password" };
    expect((await post(svc, change, { i }, { bearer: s.accessToken })).data).toEqual({
      changePassword: { userErrors: [] },
    });

    const down = (
      await post<{ disableUser: { user: { disabled: boolean } } & Errors }>(
        svc,
        DISABLE,
        { i: { userId: deputy.id, reason: "退休" } },
        { bearer: s.accessToken },
      )
    ).data!;

    expect(down.disableUser).toMatchObject({ user: { disabled: true }, userErrors: [] });
    const gone = await post(svc, "{ me { roles } }", {}, { bearer: s.accessToken });
    expect(gone.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    // the one left may not
    const last = await run<{ disableUser: Errors }>(DISABLE, {
      userId: await userIdOf(svc, county.admin),
      reason: "退休",
    });
    expect(codes(last.data.disableUser)).toEqual(["LAST_ADMINISTRATOR"]);
  });
});

describe("reading people", () => {
  const USERS = `query($f: UserFilter) { users(first: 100, filter: $f) { nodes { username disabled } } }`;
  const usernames = async (as: string, f?: Record<string, unknown>) => {
    const res = await svc.gql<{ users: { nodes: { username: string; disabled: boolean }[] } }>(
      USERS,
      { f },
      as,
    );
    return res.data!.users.nodes.map((n) => n.username);
  };

  it("lists the county's people to its administrator, officers and auditor, never another county's", async () => {
    const n = unique();
    const found = await aUser(county, `ma.lin${n}`);
    const retired = await aUser(county, `deputy${n}`);
    await run(DISABLE, { userId: retired.id, reason: "退休" });

    for (const who of [county.admin, county.officer, county.auditor]) {
      const names = await usernames(who);
      expect(names, who).toEqual(expect.arrayContaining([county.officer, township.officer, found.username]));
      expect(names, who).not.toContain(other.admin);
    }
    expect((await usernames(other.admin)).sort()).toEqual(
      [other.admin, other.auditor, other.officer, other.officer2].sort(),
    );
    expect(await usernames(county.auditor, { search: `ma.lin${n}.` })).toEqual([found.username]);
    expect(await usernames(county.officer, { search: `deputy${n}.` })).toEqual([]);
    const withDisabled = await svc.gql<{ users: { nodes: { username: string }[] } }>(
      USERS,
      { f: { includeDisabled: true, search: `deputy${n}.` } },
      county.officer,
    );
    expect(withDisabled.data!.users.nodes).toEqual([{ username: retired.username, disabled: true }]);
    const denied = await svc.gql(USERS, {}, township.officer);
    expect(denied.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
  });

  it("answers one person by id, or null outside the viewer's counties", async () => {
    const Q = "query($id: ID!) { user(id: $id) { username grants { role } } }";

    const mine = await svc.gql(Q, { id: await userIdOf(svc, township.officer) }, county.auditor);
    const theirs = await svc.gql(Q, { id: await userIdOf(svc, other.admin) }, county.admin);

    expect(mine.data).toEqual({
      user: { username: township.officer, grants: [{ role: "TOWNSHIP_OFFICER" }] },
    });
    expect(theirs.data).toEqual({ user: null });
  });
});
