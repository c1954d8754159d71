import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { counts, CREATE_USER, post, SIGN_IN, type SignInData } from "./support/accounts.js";
import { auditMark, auditSince, aUser, aUserWithPassword, userIdOf } from "./support/adminFactories.js";
import { aCounty, type ProvisionedCounty, unique } from "./support/factories.js";
import { codes, DISABLE, ENABLE, type Errors, RESET, UPDATE } from "./support/people.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";

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

describe("createUser", () => {
  it("adds a person of the county with a one-time password, and logs it without any secret", async () => {
    const n = unique();
    const mark = await auditMark(svc);

    const res = await run<{ createUser: { user: unknown; oneTimePassword: string } }>(CREATE_USER, {
      countyId: county.id,
      username: `Ma.Lin${n}`,
      displayName: "马林",
      organisation: "城关镇应急办",
      phone: "0371-5550123",
    });

    expect(res.data.createUser).toEqual({
      user: {
        id: expect.any(String),
        username: `ma.lin${n}`,
        displayName: "马林",
        organisation: "城关镇应急办",
        phone: "0371-5550123",
        mustChangePassword: true,
        disabled: false,
      },
      oneTimePassword: expect.stringMatching(/^[A-Za-z2-9]{16}$/),
      userErrors: [],
    });
    const log = await auditSince(svc, mark);
    expect(log).toEqual([
      expect.objectContaining({
        action: "createUser",
        target_type: "User",
        before: null,
        after: expect.objectContaining({ username: `ma.lin${n}` }),
      }),
    ]);
    const text = JSON.stringify(log);
    expect(text).not.toMatch(/scrypt|password_hash|passwordHash/);
    expect(text).not.toContain(res.data.createUser.oneTimePassword);
  });

  it("refuses a taken username, a malformed one and another county, writing nothing", async () => {
    const taken = (await aUser(county, "ma.lin")).username;
    const before = await counts(svc);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ countyId: county.id, username: county.officer }, "DUPLICATE", "username"],
      [{ countyId: county.id, username: taken.toUpperCase() }, "DUPLICATE", "username"],
      [{ countyId: county.id, username: "has space" }, "INVALID_INPUT", "username"],
      [{ countyId: other.id, username: "new.person" }, "NOT_FOUND", ""],
      [{ countyId: township.id, username: "new.person" }, "NOT_FOUND", "countyId"],
      [{ countyId: county.id, username: "new.person", displayName: " " }, "INVALID_INPUT", "displayName"],
    ];

    const refused = [];
    for (const [input] of cases) {
      const res = await run<{ createUser: Errors }>(CREATE_USER, {
        displayName: "某人",
        organisation: "某单位",
        ...input,
      });
      refused.push(res.data.createUser.userErrors);
    }

    expect(refused).toEqual(
      cases.map(([, code, field]) => [
        expect.objectContaining({ code, field: field ? ["input", field] : [] }),
      ]),
    );
    expect(await counts(svc)).toEqual(before);
  });

  it("answers a replay with the same user and without the password", async () => {
    const input = {
      countyId: county.id,
      username: `replay.person${unique()}`,
      displayName: "重放",
      organisation: county.nameZh,
      idempotencyKey: `create-replay-${unique()}`,
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
    const forbidden = [];
    for (const who of [county.auditor, county.officer, township.officer, township.depot.keeper]) {
      const res = await run(
        CREATE_USER,
        { countyId: county.id, username: `x.${who}`, displayName: "x", organisation: "x" },
        who,
      );
      forbidden.push(res.errors?.map((e) => e.extensions?.code));
    }
    // another county's administrator: as if the county did not exist
    const stranger = await run<{ createUser: Errors }>(
      CREATE_USER,
      { countyId: county.id, username: `intruder${unique()}`, displayName: "x", organisation: "x" },
      other.admin,
    );

    expect(forbidden).toEqual([["FORBIDDEN"], ["FORBIDDEN"], ["FORBIDDEN"], ["FORBIDDEN"]]);
    expect(codes(stranger.data.createUser)).toEqual(["NOT_FOUND"]);
    expect(await counts(svc)).toEqual(before);
  });
});

describe("updateUser, disableUser and enableUser", () => {
  it("changes details and logs before and after", async () => {
    const person = await aUser(county, "gao.yan");
    const mark = await auditMark(svc);

    const res = await run<{ updateUser: { user: { phone: string; displayName: string } } & Errors }>(UPDATE, {
      userId: person.id,
      phone: "13800000000",
    });

    expect(res.data.updateUser).toMatchObject({
      user: { phone: "13800000000", displayName: `测试${person.username}` },
      userErrors: [],
    });
    expect(await auditSince(svc, mark)).toEqual([
      expect.objectContaining({
        action: "updateUser",
        target_id: person.userId,
        before: expect.objectContaining({ phone: "" }),
        after: expect.objectContaining({ phone: "13800000000" }),
      }),
    ]);
  });

  it("a disabled person's tokens stop at once, and they cannot sign in until enabled", async () => {
    const person = await aUserWithPassword(county, "lin.tao");
    const signIn = () =>
      svc.gql<SignInData>(
        SIGN_IN,
        { i: { username: person.username, password: person.oneTimePassword } },
        null,
      );
    const session = (await signIn()).data!.signIn.session!;
    const me = () => post(svc, "{ me { user { username } } }", {}, { bearer: session.accessToken });
    expect((await me()).errors).toBeUndefined();
    const mark = await auditMark(svc);

    const res = await run<{ disableUser: { user: { disabled: boolean } } & Errors }>(DISABLE, {
      userId: person.id,
      reason: "调离",
    });

    expect(res.data.disableUser).toMatchObject({ user: { disabled: true }, userErrors: [] });
    expect((await me()).errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    expect((await signIn()).data!.signIn.userErrors.map((e) => e.code)).toEqual(["INVALID_CREDENTIALS"]);
    const live = await query<{ n: number }>(
      svc.database,
      sql`select count(*)::int as n from sessions where user_id = ${person.userId} and revoked_at is null`,
    );
    expect(live[0]!.n).toBe(0);
    expect(await auditSince(svc, mark, "disableUser")).toEqual([
      expect.objectContaining({ after: expect.objectContaining({ disabledReason: "调离" }) }),
    ]);

    const enabled = await run<{ enableUser: { user: { disabled: boolean } } & Errors }>(ENABLE, {
      userId: person.id,
    });
    expect(enabled.data.enableUser).toMatchObject({ user: { disabled: false }, userErrors: [] });
    expect((await signIn()).data!.signIn.session).not.toBeNull();
  });

  it("never leaves a county without an active administrator", async () => {
    const before = await counts(svc);

    const self = await run<{ disableUser: Errors }>(DISABLE, {
      userId: await userIdOf(svc, county.admin),
      reason: "自己",
    });

    expect(codes(self.data.disableUser)).toEqual(["LAST_ADMINISTRATOR"]);
    expect(await counts(svc)).toEqual(before);
  });

  it("refuses people of another county as if they did not exist", async () => {
    const stranger = await userIdOf(svc, other.admin);
    const before = await counts(svc);

    const answers = [];
    for (const [q, i] of [
      [UPDATE, { userId: stranger, phone: "1" }],
      [DISABLE, { userId: stranger, reason: "x" }],
      [ENABLE, { userId: stranger }],
      [RESET, { userId: stranger }],
    ] as const) {
      const res = await run<Record<string, Errors>>(q, i);
      answers.push(Object.values(res.data).flatMap(codes));
    }

    expect(answers).toEqual([["NOT_FOUND"], ["NOT_FOUND"], ["NOT_FOUND"], ["NOT_FOUND"]]);
    expect(await counts(svc)).toEqual(before);
  });
});

describe("resetPassword", () => {
  it("ends the person's sessions and hands out a new one-time password once", async () => {
    const person = await aUserWithPassword(county, "tang.li");
    const s = (
      await svc.gql<SignInData>(
        SIGN_IN,
        { i: { username: person.username, password: person.oneTimePassword } },
        null,
      )
    ).data!.signIn.session!;
    await new Promise((r) => setTimeout(r, 1100)); // token times are whole seconds
    const key = `reset-${unique()}`;
    const mark = await auditMark(svc);

    const res = await run<{ resetPassword: { oneTimePassword: string } & Errors }>(RESET, {
      userId: person.id,
      idempotencyKey: key,
    });

    expect(res.data.resetPassword).toMatchObject({ oneTimePassword: expect.any(String), userErrors: [] });
    expect(
      (await post(svc, "{ me { roles } }", {}, { bearer: s.accessToken })).errors?.[0]?.extensions?.code,
    ).toBe("UNAUTHENTICATED");
    const fresh = await svc.gql<SignInData>(
      SIGN_IN,
      { i: { username: person.username, password: res.data.resetPassword.oneTimePassword } },
      null,
    );
    expect(fresh.data!.signIn.session!.mustChangePassword).toBe(true);
    const replay = await run<{ resetPassword: { oneTimePassword: string | null } & Errors }>(RESET, {
      userId: person.id,
      idempotencyKey: key,
    });
    expect(replay.data.resetPassword).toMatchObject({ oneTimePassword: null, userErrors: [] });
    const self = await run<{ resetPassword: Errors }>(RESET, { userId: await userIdOf(svc, county.admin) });
    expect(codes(self.data.resetPassword)).toEqual(["SELF_ADMINISTRATION"]);
    const log = await auditSince(svc, mark, "resetPassword");
    expect(log).toEqual([expect.objectContaining({ target_type: "User", target_id: person.userId })]);
    const text = JSON.stringify(log);
    expect(text).not.toMatch(/scrypt/);
    expect(text).not.toContain(res.data.resetPassword.oneTimePassword);
  });
});
