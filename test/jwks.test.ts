import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "./support/service.js";

// an identity provider on loopback: its key set at /jwks.json
let idp: Server;
let svc: TestService;
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
    expect(await me(await sign("auditor", alg))).toEqual({ data: { me: { user: { username: "auditor" } } } });
  });

  it("a locally signed HS256 token is refused once an identity provider is configured", async () => {
    const body = await me(await svc.token("auditor"));
    expect(body.errors?.map((e) => e.extensions.code)).toEqual(["UNAUTHENTICATED"]);
  });
});
