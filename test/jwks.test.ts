import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initCounty } from "../src/app/setup/initCounty.js";
import { aCounty, type County } from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";

// an identity provider on loopback: its key set at /jwks.json
let idp: Server;
let svc: TestService;
let county: County;
let sign: (sub: string, alg?: "ES256" | "RS256") => Promise<string>;

beforeAll(async () => {
  const es = await generateKeyPair("ES256");
  const rs = await generateKeyPair("RS256");
  const keys = [
    { ...(await exportJWK(es.publicKey)), kid: "es", alg: "ES256", use: "sig" },
    { ...(await exportJWK(rs.publicKey)), kid: "rs", alg: "RS256", use: "sig" },
  ];
  idp = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => idp.listen(0, "127.0.0.1", resolve));
  const { port } = idp.address() as AddressInfo;
  sign = (sub, alg = "ES256") =>
    new SignJWT({})
      .setProtectedHeader({ alg, kid: alg === "ES256" ? "es" : "rs" })
      .setSubject(sub)
      .setIssuer("https://idp.example")
      .setAudience("reserve-ledger")
      .setExpirationTime("5m")
      .sign(alg === "ES256" ? es.privateKey : rs.privateKey);
  svc = await startTestService({
    env: {
      JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
      JWT_ISSUER: "https://idp.example",
      JWT_AUDIENCE: "reserve-ledger",
    },
  });
  county = await aCounty(svc);
});
afterAll(async () => {
  await svc.stop();
  await new Promise<void>((resolve) => idp.close(() => resolve()));
});

async function me(token: string) {
  const res = await fetch(svc.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: "{ me { user { username } } }" }),
  });
  return (await res.json()) as { data: unknown; errors?: { extensions: { code: string } }[] };
}

describe("tokens from an external identity provider (JWKS_URL)", () => {
  it.each(["ES256", "RS256"] as const)("a %s token for a known user signs in", async (alg) => {
    expect(await me(await sign(county.auditor, alg))).toEqual({
      data: { me: { user: { username: county.auditor } } },
    });
  });

  it("a locally signed HS256 token is refused once an identity provider is configured", async () => {
    const body = await me(await svc.token(county.auditor));
    expect(body.errors?.map((e) => e.extensions.code)).toEqual(["UNAUTHENTICATED"]);
  });

  it("people of the identity provider are local users without a password, with grants given here", async () => {
    const gql = async (token: string, q: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(svc.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: q, variables }),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test reads the answers it asked for
      return (await res.json()) as { data: Record<string, any> };
    };
    const admin = await sign(county.admin);
    const created = await gql(
      admin,
      `mutation($i: CreateUserInput!) { createUser(input: $i) { user { id mustChangePassword } oneTimePassword userErrors { code } } }`,
      {
        i: {
          countyId: county.id,
          username: "idp.person",
          displayName: "统一认证用户",
          organisation: `${county.nameZh}民政局`,
        },
      },
    );
    expect(created.data.createUser).toMatchObject({
      user: { mustChangePassword: false },
      oneTimePassword: null,
      userErrors: [],
    });
    const granted = await gql(
      admin,
      `mutation($i: RoleGrantInput!) { grantRole(input: $i) { userErrors { code } } }`,
      { i: { userId: created.data.createUser.user.id, role: "AUDITOR", regionId: county.id } },
    );
    expect(granted.data.grantRole.userErrors).toEqual([]);
    expect((await me(await sign("idp.person"))).errors).toBeUndefined();
    const roles = await gql(await sign("idp.person"), "{ me { roles } }");
    expect(roles.data.me.roles).toEqual(["AUDITOR"]);
    const signIn = await fetch(svc.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query:
          "mutation($i: SignInInput!) { signIn(input: $i) { session { accessToken } userErrors { code } } }",
        variables: { i: { username: "idp.person", password: "any password at all" } },
      }),
    });
    expect(await signIn.json()).toEqual({
      data: { signIn: { session: null, userErrors: [{ code: "INVALID_CREDENTIALS" }] } },
    });
  });

  it("a local password still signs in beside the identity provider, and its session token is accepted", async () => {
    await initCounty(svc.deps, {
      divisionCode: "130199",
      nameZh: "永安县",
      username: "yongan.admin",
      password: "yongan admin password",
    });
    const res = await fetch(svc.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query:
          "mutation($i: SignInInput!) { signIn(input: $i) { session { accessToken } userErrors { code } } }",
        variables: { i: { username: "yongan.admin", password: "yongan admin password" } },
      }),
    });
    const body = (await res.json()) as { data: { signIn: { session: { accessToken: string } } } };
    expect(await me(body.data.signIn.session.accessToken)).toEqual({
      data: { me: { user: { username: "yongan.admin" } } },
    });
  });
});
