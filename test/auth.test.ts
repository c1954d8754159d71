import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VerifiedTokens } from "../src/auth/tokens.js";
import { aCounty, anItem, type ProvisionedCounty } from "./support/factories.js";
import { startTestService, TEST_SECRET, type TestService } from "./support/service.js";
import { books } from "./support/transit.js";

let svc: TestService;
/** A county of its own: its officer, and one township with its office and depot. */
let county: ProvisionedCounty;
let township: ProvisionedCounty["townships"][number];
beforeAll(async () => {
  svc = await startTestService();
  county = await aCounty(svc, { townships: 1 });
  [township] = county.townships as [typeof township];
});
afterAll(() => svc.stop());

async function post(authorization: string | null, query: string, variables: Record<string, unknown> = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (authorization) headers.authorization = authorization;
  const res = await fetch(svc.url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  return {
    status: res.status,
    body: (await res.json()) as { data?: unknown; errors?: { extensions: { code: string } }[] },
  };
}

const ME = "{ me { user { username displayName } roles grants { role region { level nameZh } } } }";

describe("signing in with a bearer token", () => {
  it("a valid token for a known user answers me with roles and scope", async () => {
    const { status, body } = await post(`Bearer ${await svc.token(township.officer)}`, ME);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      me: {
        user: { username: township.officer, displayName: `测试${township.officer}` },
        roles: ["TOWNSHIP_OFFICER"],
        grants: [{ role: "TOWNSHIP_OFFICER", region: { level: "TOWNSHIP", nameZh: township.nameZh } }],
      },
    });
  });

  it.each([
    ["no token", async () => null],
    ["an expired token", async () => `Bearer ${await svc.token(county.officer, { expiresIn: "-1m" })}`],
    [
      "a token signed with another secret",
      async () =>
        `Bearer ${await new SignJWT({})
          .setProtectedHeader({ alg: "HS256" })
          .setSubject(county.officer)
          .setIssuer("reserve-ledger")
          .setExpirationTime("1h")
          .sign(new TextEncoder().encode(`${TEST_SECRET}-but-not-this-one`))}`,
    ],
    ["a token for an unknown user", async () => `Bearer ${await svc.token("nobody.here")}`],
    ["a malformed token", async () => "Bearer not.a.jwt"],
    [
      "an unsigned token",
      async () =>
        `Bearer ${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify({ sub: county.officer })).toString("base64url")}.`,
    ],
  ])("%s is UNAUTHENTICATED", async (_name, authorization) => {
    const { body } = await post(await authorization(), ME);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.map((e) => e.extensions.code)).toEqual(["UNAUTHENTICATED"]);
  });

  it("a token accepted a moment ago does not let a tampered copy of it through", async () => {
    const token = await svc.token(county.officer);
    expect((await post(`Bearer ${token}`, ME)).body.errors).toBeUndefined();
    // same header and signature, another subject: only the whole token verified before is remembered
    const [header, , signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as object;
    const payload = Buffer.from(JSON.stringify({ ...claims, sub: township.officer })).toString("base64url");
    const { body } = await post(`Bearer ${header}.${payload}.${signature}`, ME);
    expect(body.errors?.map((e) => e.extensions.code)).toEqual(["UNAUTHENTICATED"]);
  });

  it("a role that may not call an operation is FORBIDDEN, and nothing is written", async () => {
    const item = await anItem(county);
    const before = await books(svc);
    const res = await svc.gql(
      `mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { lots { id } userErrors { code } } }`,
      {
        input: {
          depotId: township.depot.id,
          itemId: item.id,
          quantity: "1",
          lotCode: "AUDIT-1",
          receivedOn: "2026-01-01",
          source: "PURCHASE",
          reason: "auditors may not do this",
        },
      },
      county.auditor,
    );
    expect(res.data).toBeNull();
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(await books(svc)).toEqual(before);
  });
});

describe("verified tokens remembered between requests", () => {
  it("remembers a subject for its window, never past the token's expiry, and not at all with no window", () => {
    let now = 1_000_000;
    const verified = new VerifiedTokens(5_000, () => now);
    verified.remember("a", "an.officer", (now + 60_000) / 1000);
    verified.remember("b", "keeper", (now + 2_000) / 1000);
    now += 1_999;
    expect([verified.subjectOf("a"), verified.subjectOf("b")]).toEqual(["an.officer", "keeper"]);
    now += 1;
    expect(verified.subjectOf("b")).toBeNull();
    now += 2_999;
    expect(verified.subjectOf("a")).toBe("an.officer");
    now += 1;
    expect(verified.subjectOf("a")).toBeNull();
    const off = new VerifiedTokens(0, () => now);
    off.remember("c", "keeper", undefined);
    expect(off.subjectOf("c")).toBeNull();
  });
});
