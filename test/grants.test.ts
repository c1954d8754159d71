import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counts, createPerson, post, SIGN_IN, type SignInData } from "./support/accounts.js";
import {
  codes,
  DISABLE,
  type Errors,
  GRANT,
  type PeopleHelpers,
  peopleHelpers,
  REVOKE,
  startPeopleService,
} from "./support/people.js";
import type { TestService } from "./support/service.js";

let svc: TestService;
let county: string;
let township: string;
let otherCounty: string;
let run: PeopleHelpers["run"];
let idOf: PeopleHelpers["idOf"];
let auditOf: PeopleHelpers["auditOf"];
beforeAll(async () => {
  ({ svc, county, township, otherCounty } = await startPeopleService());
  ({ run, idOf, auditOf } = peopleHelpers(svc));
  await createPerson(svc, "ma.lin");
});
afterAll(() => svc.stop());

describe("grantRole and revokeRole", () => {
  it("gives a role over a region of the county; the person's next request has it, and loses it at once", async () => {
    const { id } = await createPerson(svc, "xu.ping");
    const granted = await run<{ grantRole: { user: { grants: unknown[] } } & Errors }>(GRANT, {
      userId: id,
      role: "TOWNSHIP_OFFICER",
      regionId: township,
    });
    expect(granted.data.grantRole).toMatchObject({
      user: { grants: [{ role: "TOWNSHIP_OFFICER", region: { nameZh: expect.any(String) } }] },
      userErrors: [],
    });
    const roles = async () =>
      (await svc.gql<{ me: { roles: string[] } }>("{ me { roles } }", {}, "xu.ping")).data!.me.roles;
    // the person's token was made before the grant; the grant is there on their next request
    expect(await roles()).toEqual(["TOWNSHIP_OFFICER"]);
    const before = await counts(svc);
    const twice = await run<{ grantRole: Errors }>(GRANT, {
      userId: id,
      role: "TOWNSHIP_OFFICER",
      regionId: township,
    });
    expect(twice.data.grantRole.userErrors).toEqual([]);
    expect(await counts(svc)).toEqual(before);

    const revoked = await run<{ revokeRole: { user: { grants: unknown[] } } & Errors }>(REVOKE, {
      userId: id,
      role: "TOWNSHIP_OFFICER",
      regionId: township,
    });
    expect(revoked.data.revokeRole).toMatchObject({ user: { grants: [] }, userErrors: [] });
    expect(await roles()).toEqual([]);
    const [row] = (await auditOf("revokeRole")).slice(-1);
    expect(row).toMatchObject({ target_type: "User", after: { grants: [] } });
  });

  it("refuses a role over a region that does not fit it, outside the county, to outsiders, or to oneself", async () => {
    const { id } = await createPerson(svc, "yu.hong");
    const before = await counts(svc);
    const admin = await idOf("county.admin");
    const cases: [Record<string, unknown>, string][] = [
      [{ userId: id, role: "TOWNSHIP_OFFICER", regionId: county }, "INVALID_INPUT"],
      [{ userId: id, role: "COUNTY_OFFICER", regionId: township }, "INVALID_INPUT"],
      [{ userId: id, role: "COUNTY_OFFICER", regionId: otherCounty }, "NOT_FOUND"],
      [{ userId: await idOf("yongan.admin"), role: "AUDITOR", regionId: county }, "NOT_FOUND"],
      [{ userId: admin, role: "AUDITOR", regionId: county }, "SELF_ADMINISTRATION"],
    ];
    for (const [input, code] of cases) {
      const res = await run<{ grantRole: Errors }>(GRANT, input);
      expect(codes(res.data.grantRole)).toEqual([code]);
    }
    const self = await run<{ revokeRole: Errors }>(REVOKE, {
      userId: admin,
      role: "COUNTY_ADMIN",
      regionId: county,
    });
    expect(codes(self.data.revokeRole)).toEqual(["SELF_ADMINISTRATION"]);
    const missing = await run<{ revokeRole: Errors }>(REVOKE, {
      userId: id,
      role: "AUDITOR",
      regionId: county,
    });
    expect(codes(missing.data.revokeRole)).toEqual(["NOT_FOUND"]);
    expect(await counts(svc)).toEqual(before);
  });

  it("a second administrator may step down; the last may not", async () => {
    const { id, oneTimePassword } = await createPerson(svc, "deputy.admin");
    await run(GRANT, { userId: id, role: "COUNTY_ADMIN", regionId: county });
    // a one-time password allows nothing but changing it
    const s = (
      await svc.gql<SignInData>(SIGN_IN, { i: { username: "deputy.admin", password: oneTimePassword } }, null)
    ).data!.signIn.session!;
    const change = `mutation($i: ChangePasswordInput!) { changePassword(input: $i) { userErrors { code } } }`;
    const i = { currentPassword: oneTimePassword, newPassword: "deputy admin password" };
    expect((await post(svc, change, { i }, { bearer: s.accessToken })).data).toEqual({
      changePassword: { userErrors: [] },
    });
    const down = (
      await post<{ disableUser: { user: { disabled: boolean } } & Errors }>(
        svc,
        DISABLE,
        { i: { userId: id, reason: "退休" } },
        { bearer: s.accessToken },
      )
    ).data!;
    expect(down.disableUser).toMatchObject({ user: { disabled: true }, userErrors: [] });
    const gone = await post(svc, "{ me { roles } }", {}, { bearer: s.accessToken });
    expect(gone.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
  });
});

describe("reading people", () => {
  const USERS = `query($f: UserFilter) { users(first: 100, filter: $f) { nodes { username disabled } } }`;

  it("lists the county's people to its administrator, officers and auditor, never another county's", async () => {
    for (const who of ["county.admin", "county.officer", "auditor"]) {
      const res = await svc.gql<{ users: { nodes: { username: string }[] } }>(USERS, {}, who);
      const names = res.data!.users.nodes.map((n) => n.username);
      expect(names).toContain("county.officer");
      expect(names).not.toContain("yongan.admin");
    }
    const other = await svc.gql<{ users: { nodes: { username: string }[] } }>(USERS, {}, "yongan.admin");
    expect(other.data!.users.nodes.map((n) => n.username)).toEqual(["yongan.admin"]);
    const found = await svc.gql<{ users: { nodes: { username: string }[] } }>(
      USERS,
      { f: { search: "ma.l" } },
      "auditor",
    );
    expect(found.data!.users.nodes.map((n) => n.username)).toEqual(["ma.lin"]);
    const withDisabled = await svc.gql<{ users: { nodes: { username: string }[] } }>(USERS, {
      f: { includeDisabled: true, search: "deputy" },
    });
    expect(withDisabled.data!.users.nodes).toEqual([{ username: "deputy.admin", disabled: true }]);
    const denied = await svc.gql(USERS, {}, "chengguan.officer");
    expect(denied.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
  });

  it("answers one person by id, or null outside the viewer's counties", async () => {
    const Q = "query($id: ID!) { user(id: $id) { username grants { role } } }";
    const mine = await svc.gql(Q, { id: await idOf("chengguan.officer") }, "auditor");
    expect(mine.data).toEqual({
      user: { username: "chengguan.officer", grants: [{ role: "TOWNSHIP_OFFICER" }] },
    });
    const theirs = await svc.gql(Q, { id: await idOf("yongan.admin") }, "county.admin");
    expect(theirs.data).toEqual({ user: null });
  });
});
