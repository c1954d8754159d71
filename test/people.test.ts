import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initCounty } from "../src/app/setup/initCounty.js";
import {
  counts,
  countyRegionId,
  CREATE_USER,
  createPerson,
  post,
  SIGN_IN,
  type SignInData,
} from "./support/accounts.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";

let svc: TestService;
let county: string;
let township: string;
let otherCounty: string;
beforeAll(async () => {
  svc = await startTestService();
  county = await countyRegionId(svc);
  const t = await svc.gql<{ regions: { nodes: { id: string }[] } }>(
    "{ regions(first: 1, level: TOWNSHIP) { nodes { id } } }",
    {},
    "county.admin",
  );
  township = t.data!.regions.nodes[0]!.id;
  // a second county with its own administrator, to prove one county's admin cannot reach the other's people
  await initCounty(svc.deps, {
    divisionCode: "130199",
    nameZh: "永安县",
    username: "yongan.admin",
    password: "yongan admin password",
  });
  const [row] = await query<{ id: string }>(
    svc.database,
    sql`select id::text from regions where division_code = '130199000000'`,
  );
  otherCounty = Buffer.from(`Region:${row!.id}:${row!.id}`).toString("base64url");
});
afterAll(() => svc.stop());

type Errors = { userErrors: { code: string; field: string[] }[] };
const USER_FIELDS =
  "user { id username displayName organisation phone disabled mustChangePassword grants { role region { nameZh } } }";
const m = (name: string, input: string) =>
  `mutation($i: ${input}!) { ${name}(input: $i) { ${USER_FIELDS} userErrors { code field message } } }`;
const UPDATE = m("updateUser", "UpdateUserInput");
const DISABLE = m("disableUser", "DisableUserInput");
const ENABLE = m("enableUser", "UserStepInput");
const GRANT = m("grantRole", "RoleGrantInput");
const REVOKE = m("revokeRole", "RoleGrantInput");
const RESET = `mutation($i: UserStepInput!) { resetPassword(input: $i) { user { username mustChangePassword } oneTimePassword userErrors { code field } } }`;

async function run<T = Record<string, Errors>>(q: string, i: Record<string, unknown>, as = "county.admin") {
  return (await svc.gql<T>(q, { i }, as)) as { data: T; errors?: { extensions?: { code?: string } }[] };
}

const idOf = async (username: string) => {
  const rows = await query<{ id: string }>(
    svc.database,
    sql`select id::text from users where username = ${username}`,
  );
  return Buffer.from(`User:${rows[0]!.id}`).toString("base64url");
};

const auditOf = (action: string) =>
  query<{ target_type: string; before: unknown; after: unknown }>(
    svc.database,
    sql`select target_type, before, after from audit_events where action = ${action} order by id`,
  );

const codes = (payload: unknown) => (payload as Errors).userErrors.map((e) => e.code);

describe("createUser", () => {
  it("adds a person of the county with a one-time password, and logs it without any secret", async () => {
    const res = await run<{ createUser: { user: unknown; oneTimePassword: string } }>(CREATE_USER, {
      countyId: county,
      username: "Ma.Lin",
      displayName: "马林",
      organisation: "城关镇应急办",
      phone: "0371-5550123",
    });
    expect(res.data.createUser).toEqual({
      user: {
        id: expect.any(String),
        username: "ma.lin",
        displayName: "马林",
        organisation: "城关镇应急办",
        phone: "0371-5550123",
        mustChangePassword: true,
        disabled: false,
      },
      oneTimePassword: expect.stringMatching(/^[A-Za-z2-9]{16}$/),
      userErrors: [],
    });
    const [row] = await auditOf("createUser");
    expect(row).toMatchObject({ target_type: "User", before: null, after: { username: "ma.lin" } });
    const text = JSON.stringify(row);
    expect(text).not.toMatch(/scrypt|password_hash|passwordHash/);
    expect(text).not.toContain(res.data.createUser.oneTimePassword);
  });

  it("refuses a taken username, a malformed one and another county, writing nothing", async () => {
    const before = await counts(svc);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ countyId: county, username: "county.officer" }, "DUPLICATE", "username"],
      [{ countyId: county, username: "MA.LIN" }, "DUPLICATE", "username"],
      [{ countyId: county, username: "has space" }, "INVALID_INPUT", "username"],
      [{ countyId: otherCounty, username: "new.person" }, "NOT_FOUND", ""],
      [{ countyId: township, username: "new.person" }, "NOT_FOUND", "countyId"],
      [{ countyId: county, username: "new.person", displayName: " " }, "INVALID_INPUT", "displayName"],
    ];
    for (const [input, code, field] of cases) {
      const res = await run<{ createUser: Errors }>(CREATE_USER, {
        displayName: "某人",
        organisation: "某单位",
        ...input,
      });
      expect(res.data.createUser.userErrors).toEqual([
        expect.objectContaining({ code, field: field ? ["input", field] : [] }),
      ]);
    }
    expect(await counts(svc)).toEqual(before);
  });

  it("answers a replay with the same user and without the password", async () => {
    const input = {
      countyId: county,
      username: "replay.person",
      displayName: "重放",
      organisation: "清河县应急管理局",
      idempotencyKey: "create-replay-1",
    };
    const first = await run<{ createUser: { user: { id: string }; oneTimePassword: string | null } }>(
      CREATE_USER,
      input,
    );
    const before = await counts(svc);
    const again = await run<{ createUser: { user: { id: string }; oneTimePassword: string | null } }>(
      CREATE_USER,
      input,
    );
    expect(first.data.createUser.oneTimePassword).toEqual(expect.any(String));
    expect(again.data.createUser.user.id).toBe(first.data.createUser.user.id);
    expect(again.data.createUser.oneTimePassword).toBeNull();
    expect(await counts(svc)).toEqual(before);
  });

  it("is refused at the top level to everyone but administrators", async () => {
    const before = await counts(svc);
    for (const who of ["auditor", "county.officer", "chengguan.officer", "chengguan.keeper"]) {
      const res = await run(
        CREATE_USER,
        { countyId: county, username: `x.${who}`, displayName: "x", organisation: "x" },
        who,
      );
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    }
    // another county's administrator: as if the county did not exist
    const other = await run<{ createUser: Errors }>(
      CREATE_USER,
      { countyId: county, username: "intruder", displayName: "x", organisation: "x" },
      "yongan.admin",
    );
    expect(codes(other.data.createUser)).toEqual(["NOT_FOUND"]);
    expect(await counts(svc)).toEqual(before);
  });
});

describe("updateUser, disableUser and enableUser", () => {
  it("changes details and logs before and after", async () => {
    const { id } = await createPerson(svc, "gao.yan");
    const res = await run<{ updateUser: { user: { phone: string; displayName: string } } & Errors }>(UPDATE, {
      userId: id,
      phone: "13800000000",
    });
    expect(res.data.updateUser).toMatchObject({
      user: { phone: "13800000000", displayName: "测试 gao.yan" },
      userErrors: [],
    });
    const rows = await auditOf("updateUser");
    expect(rows.at(-1)).toMatchObject({ before: { phone: "" }, after: { phone: "13800000000" } });
  });

  it("a disabled person's tokens stop at once, and they cannot sign in until enabled", async () => {
    const { id, oneTimePassword } = await createPerson(svc, "lin.tao");
    const signIn = () =>
      svc.gql<SignInData>(SIGN_IN, { i: { username: "lin.tao", password: oneTimePassword } }, null);
    const session = (await signIn()).data!.signIn.session!;
    const me = () => post(svc, "{ me { user { username } } }", {}, { bearer: session.accessToken });
    expect((await me()).errors).toBeUndefined();

    const res = await run<{ disableUser: { user: { disabled: boolean } } & Errors }>(DISABLE, {
      userId: id,
      reason: "调离",
    });
    expect(res.data.disableUser).toMatchObject({ user: { disabled: true }, userErrors: [] });
    expect((await me()).errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    expect((await signIn()).data!.signIn.userErrors.map((e) => e.code)).toEqual(["INVALID_CREDENTIALS"]);
    const live = await query<{ n: number }>(
      svc.database,
      sql`select count(*)::int as n from sessions s join users u on u.id = s.user_id
           where u.username = 'lin.tao' and s.revoked_at is null`,
    );
    expect(live[0]!.n).toBe(0);

    const enabled = await run<{ enableUser: { user: { disabled: boolean } } & Errors }>(ENABLE, {
      userId: id,
    });
    expect(enabled.data.enableUser).toMatchObject({ user: { disabled: false }, userErrors: [] });
    expect((await signIn()).data!.signIn.session).not.toBeNull();
    expect((await auditOf("disableUser")).at(-1)).toMatchObject({ after: { disabledReason: "调离" } });
  });

  it("never leaves a county without an active administrator", async () => {
    const before = await counts(svc);
    const self = await run<{ disableUser: Errors }>(DISABLE, {
      userId: await idOf("county.admin"),
      reason: "自己",
    });
    expect(codes(self.data.disableUser)).toEqual(["LAST_ADMINISTRATOR"]);
    expect(await counts(svc)).toEqual(before);
  });

  it("refuses people of another county as if they did not exist", async () => {
    const before = await counts(svc);
    const yongan = await idOf("yongan.admin");
    for (const [q, i] of [
      [UPDATE, { userId: yongan, phone: "1" }],
      [DISABLE, { userId: yongan, reason: "x" }],
      [ENABLE, { userId: yongan }],
      [RESET, { userId: yongan }],
    ] as const) {
      const res = await run<Record<string, Errors>>(q, i);
      expect(Object.values(res.data).flatMap(codes)).toEqual(["NOT_FOUND"]);
    }
    expect(await counts(svc)).toEqual(before);
  });
});

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

describe("resetPassword", () => {
  it("ends the person's sessions and hands out a new one-time password once", async () => {
    const { id, oneTimePassword } = await createPerson(svc, "tang.li");
    const s = (
      await svc.gql<SignInData>(SIGN_IN, { i: { username: "tang.li", password: oneTimePassword } }, null)
    ).data!.signIn.session!;
    await new Promise((r) => setTimeout(r, 1100)); // token times are whole seconds
    const res = await run<{ resetPassword: { oneTimePassword: string } & Errors }>(RESET, {
      userId: id,
      idempotencyKey: "reset-1",
    });
    expect(res.data.resetPassword).toMatchObject({ oneTimePassword: expect.any(String), userErrors: [] });
    expect(
      (await post(svc, "{ me { roles } }", {}, { bearer: s.accessToken })).errors?.[0]?.extensions?.code,
    ).toBe("UNAUTHENTICATED");
    const fresh = await svc.gql<SignInData>(
      SIGN_IN,
      { i: { username: "tang.li", password: res.data.resetPassword.oneTimePassword } },
      null,
    );
    expect(fresh.data!.signIn.session!.mustChangePassword).toBe(true);
    const replay = await run<{ resetPassword: { oneTimePassword: string | null } & Errors }>(RESET, {
      userId: id,
      idempotencyKey: "reset-1",
    });
    expect(replay.data.resetPassword).toMatchObject({ oneTimePassword: null, userErrors: [] });
    const self = await run<{ resetPassword: Errors }>(RESET, { userId: await idOf("county.admin") });
    expect(codes(self.data.resetPassword)).toEqual(["SELF_ADMINISTRATION"]);
    const text = JSON.stringify(await auditOf("resetPassword"));
    expect(text).not.toMatch(/scrypt/);
    expect(text).not.toContain(res.data.resetPassword.oneTimePassword);
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
