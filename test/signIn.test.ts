import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHANGE_PASSWORD,
  counts,
  post,
  REFRESH,
  SIGN_IN,
  SIGN_OUT,
  type SessionShape,
  type SignInData,
} from "./support/accounts.js";
import { aGrant, aNewcomer } from "./support/edgeFactories.js";
import { aCounty, type County } from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";

// a clock the test can move forward: locks, refresh-token expiry
let offset = 0;
let svc: TestService;
/** A county of its own, whose administrator makes the people who sign in. */
let county: County;
beforeAll(async () => {
  svc = await startTestService({
    clock: () => new Date(Date.now() + offset),
    env: { TRUST_PROXY: "true", ACCESS_TOKEN_MINUTES: "20" },
  });
  county = await aCounty(svc);
});
afterAll(() => svc.stop());

const from = (address: string) => ({ headers: { "x-forwarded-for": `203.0.113.9, ${address}` } });
const ME = "{ me { user { username mustChangePassword } roles } }";
const DEPOTS = "{ depots(first: 1) { nodes { code } } }";

async function signIn(username: string, password: string, address = "198.51.100.1") {
  const res = await post<SignInData>(svc, SIGN_IN, { i: { username, password } }, from(address));
  return res.data!.signIn;
}

async function signedIn(username: string, password: string, address?: string): Promise<SessionShape> {
  const r = await signIn(username, password, address);
  if (!r.session) throw new Error(JSON.stringify(r.userErrors));
  return r.session;
}

const refresh = async (refreshToken: string) =>
  (await post<{ refreshSession: SignInData["signIn"] }>(svc, REFRESH, { i: { refreshToken } })).data!
    .refreshSession;

/** The person signs in with their one-time password and chooses their own. */
async function personWithPassword(username: string, password = "a long enough password") {
  const { id, oneTimePassword } = await aNewcomer(county, username);
  const first = await signedIn(username, oneTimePassword);
  const changed = await post<{ changePassword: { userErrors: unknown[] } }>(
    svc,
    CHANGE_PASSWORD,
    { i: { currentPassword: oneTimePassword, newPassword: password } },
    { bearer: first.accessToken },
  );
  expect(changed.data!.changePassword.userErrors).toEqual([]);
  return { id, password, first };
}

const passwordHashOf = async (username: string) =>
  (
    await query<{ h: string | null }>(
      svc.database,
      sql`select password_hash as h from users where username = ${username}`,
    )
  )[0]!.h;

describe("signing in with a one-time password", () => {
  it("answers a session that can only change the password, then works in full", async () => {
    const { id, oneTimePassword } = await aNewcomer(county, "li.wei");
    await aGrant(county, id, "COUNTY_OFFICER");
    const before = Date.now();
    const s = await signedIn("li.wei", oneTimePassword);
    expect(s.mustChangePassword).toBe(true);
    const minutes = (Date.parse(s.accessTokenExpiresAt) - before) / 60_000;
    expect(minutes).toBeGreaterThan(19.9);
    expect(minutes).toBeLessThan(20.2);
    const days = (Date.parse(s.refreshTokenExpiresAt) - before) / 86_400_000;
    expect(Math.round(days)).toBe(30);
    expect((await post(svc, ME, {}, { bearer: s.accessToken })).data).toEqual({
      me: { user: { username: "li.wei", mustChangePassword: true }, roles: ["COUNTY_OFFICER"] },
    });
    const blocked = await post(svc, DEPOTS, {}, { bearer: s.accessToken });
    expect(blocked.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(blocked.errors?.[0]?.message).toMatch(/changePassword/);
    for (const route of ["/export/ledger.csv?depotId=x", "/export/coverage.csv?regionId=x"]) {
      const csv = await fetch(new URL(route, svc.url), {
        headers: { authorization: `Bearer ${s.accessToken}` },
      });
      expect(csv.status).toBe(403);
    }

    const hash = await passwordHashOf("li.wei");
    for (const [newPassword, code] of [
      ["too short", "WEAK_PASSWORD"],
      ["x".repeat(257), "WEAK_PASSWORD"],
      [oneTimePassword, "WEAK_PASSWORD"],
    ] as const) {
      const weak = await post<{ changePassword: { userErrors: { code: string }[] } }>(
        svc,
        CHANGE_PASSWORD,
        { i: { currentPassword: oneTimePassword, newPassword } },
        { bearer: s.accessToken },
      );
      expect(weak.data!.changePassword.userErrors.map((e) => e.code)).toEqual([code]);
    }
    const wrong = await post<{ changePassword: { userErrors: { code: string }[] } }>(
      svc,
      CHANGE_PASSWORD,
      { i: { currentPassword: "not the password", newPassword: "a long enough password" } },
      { bearer: s.accessToken },
    );
    expect(wrong.data!.changePassword.userErrors.map((e) => e.code)).toEqual(["INVALID_CREDENTIALS"]);
    expect(await passwordHashOf("li.wei")).toBe(hash);

    const ok = await post(
      svc,
      CHANGE_PASSWORD,
      { i: { currentPassword: oneTimePassword, newPassword: "十个字以上的中文密码也可以用" } },
      { bearer: s.accessToken },
    );
    expect(ok.data).toEqual({
      changePassword: { user: { username: "li.wei", mustChangePassword: false }, userErrors: [] },
    });
    // the session that changed the password goes on, now without restriction
    expect((await post(svc, DEPOTS, {}, { bearer: s.accessToken })).errors).toBeUndefined();
    expect((await signIn("li.wei", oneTimePassword)).userErrors.map((e) => e.code)).toEqual([
      "INVALID_CREDENTIALS",
    ]);
    expect((await signedIn("li.wei", "十个字以上的中文密码也可以用")).mustChangePassword).toBe(false);
  });
});

describe("refusals say nothing about which part was wrong", () => {
  it("an unknown username and a wrong password get the same answer, and open no session", async () => {
    await personWithPassword("zhou.min");
    const before = await counts(svc);
    const unknown = await signIn("no.such.person", "whatever password", "198.51.100.7");
    const wrong = await signIn("zhou.min", "not her password", "198.51.100.7");
    const passwordless = await signIn(county.officer, "whatever password", "198.51.100.7");
    expect(unknown).toEqual({
      session: null,
      userErrors: [expect.objectContaining({ code: "INVALID_CREDENTIALS" })],
    });
    for (const r of [wrong, passwordless]) expect(r).toEqual(unknown);
    const after = await counts(svc);
    expect(after).toEqual({ ...before, failures: before.failures! + 3 });
  });
});

describe("five failures within a minute lock a username at one address", () => {
  it("locks that pair only, for fifteen minutes, even against the right password", async () => {
    const { password } = await personWithPassword("sun.qiang");
    const neighbour = await personWithPassword("zhao.li");
    for (let i = 0; i < 5; i++) {
      expect((await signIn("sun.qiang", `wrong password ${i}`, "192.0.2.50")).userErrors[0]!.code).toBe(
        "INVALID_CREDENTIALS",
      );
    }
    const sessions = (await counts(svc)).sessions;
    const locked = await signIn("sun.qiang", password, "192.0.2.50");
    expect(locked).toEqual({
      session: null,
      userErrors: [expect.objectContaining({ code: "TOO_MANY_ATTEMPTS" })],
    });
    expect((await counts(svc)).sessions).toBe(sessions);
    // another address, and another username from the same address, are not locked
    expect((await signIn("sun.qiang", password, "192.0.2.51")).session).not.toBeNull();
    expect((await signIn("zhao.li", neighbour.password, "192.0.2.50")).session).not.toBeNull();
    offset += 16 * 60_000;
    try {
      expect((await signIn("sun.qiang", password, "192.0.2.50")).session).not.toBeNull();
    } finally {
      offset -= 16 * 60_000;
    }
  });

  it("four failures and a success start the count again", async () => {
    const { password } = await personWithPassword("qian.fang");
    for (let i = 0; i < 4; i++) await signIn("qian.fang", "wrong password!", "192.0.2.60");
    expect((await signIn("qian.fang", password, "192.0.2.60")).session).not.toBeNull();
    for (let i = 0; i < 4; i++) await signIn("qian.fang", "wrong password!", "192.0.2.60");
    expect((await signIn("qian.fang", password, "192.0.2.60")).session).not.toBeNull();
  });
});

describe("refresh tokens", () => {
  it("rotate on every use; a used one ends the whole family", async () => {
    const { password } = await personWithPassword("wu.lei");
    const s1 = await signedIn("wu.lei", password);
    const r2 = await refresh(s1.refreshToken);
    expect(r2.userErrors).toEqual([]);
    const s2 = r2.session!;
    expect(s2.refreshToken).not.toBe(s1.refreshToken);
    expect((await post(svc, ME, {}, { bearer: s2.accessToken })).errors).toBeUndefined();
    const stored = await query<{ n: number }>(
      svc.database,
      sql`select count(*)::int as n from sessions where token_hash = ${s2.refreshToken} or token_hash = ${s1.refreshToken}`,
    );
    expect(stored[0]!.n).toBe(0); // only hashes are kept

    const reused = await refresh(s1.refreshToken);
    expect(reused).toEqual({
      session: null,
      userErrors: [expect.objectContaining({ code: "SESSION_EXPIRED" })],
    });
    // the thief's copy and the owner's newer token are both dead now
    expect((await refresh(s2.refreshToken)).userErrors.map((e) => e.code)).toEqual(["SESSION_EXPIRED"]);
  });

  it("an expired, unknown or signed-out token is SESSION_EXPIRED and opens nothing", async () => {
    const { password } = await personWithPassword("zheng.hua");
    const s = await signedIn("zheng.hua", password);
    const before = await counts(svc);
    expect((await refresh("not-a-token")).userErrors.map((e) => e.code)).toEqual(["SESSION_EXPIRED"]);
    offset += 31 * 86_400_000;
    try {
      expect((await refresh(s.refreshToken)).userErrors.map((e) => e.code)).toEqual(["SESSION_EXPIRED"]);
    } finally {
      offset -= 31 * 86_400_000;
    }
    expect(await counts(svc)).toEqual(before);

    const out = await post(svc, SIGN_OUT, { i: { refreshToken: s.refreshToken } });
    expect(out.data).toEqual({ signOut: { signedOut: true, userErrors: [] } });
    expect((await refresh(s.refreshToken)).userErrors.map((e) => e.code)).toEqual(["SESSION_EXPIRED"]);
    const again = await post(svc, SIGN_OUT, { i: { refreshToken: s.refreshToken } });
    expect(again.data).toEqual({ signOut: { signedOut: false, userErrors: [{ code: "SESSION_EXPIRED" }] } });
  });
});

describe("a changed password ends the other sessions", () => {
  it("refuses tokens issued before the change, except the changing session's", async () => {
    const { password } = await personWithPassword("he.jun");
    const a = await signedIn("he.jun", password);
    const b = await signedIn("he.jun", password);
    const minted = await svc.token("he.jun");
    // token times are whole seconds: change in a later second than every token above
    await new Promise((r) => setTimeout(r, 1100));
    const changed = await post<{ changePassword: { userErrors: unknown[] } }>(
      svc,
      CHANGE_PASSWORD,
      { i: { currentPassword: password, newPassword: "another long password" } },
      { bearer: a.accessToken },
    );
    expect(changed.data!.changePassword.userErrors).toEqual([]);
    expect((await post(svc, ME, {}, { bearer: a.accessToken })).errors).toBeUndefined();
    for (const bearer of [b.accessToken, minted]) {
      const res = await post(svc, ME, {}, { bearer });
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    }
    expect((await refresh(b.refreshToken)).userErrors.map((e) => e.code)).toEqual(["SESSION_EXPIRED"]);
    expect((await refresh(a.refreshToken)).session).not.toBeNull();
  });
});
