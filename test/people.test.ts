import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counts, CREATE_USER, createPerson, post, SIGN_IN, type SignInData } from "./support/accounts.js";
import {
  codes,
  DISABLE,
  ENABLE,
  type Errors,
  type PeopleHelpers,
  peopleHelpers,
  RESET,
  startPeopleService,
  UPDATE,
} from "./support/people.js";
import type { TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";

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
});
afterAll(() => svc.stop());

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
    const row = (await auditOf("createUser")).at(-1); // the demo county's own people come first
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
