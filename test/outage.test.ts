import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engine } from "./support/engine.js";
import { aCounty, type ProvisionedCounty } from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";

let svc: TestService;
let token: string;
let county: ProvisionedCounty;
beforeAll(async () => {
  svc = await startTestService();
  county = await aCounty(svc, { townships: 1 });
  token = await svc.token(county.officer);
});
afterAll(() => svc.stop());

describe("when the database goes away", () => {
  it("readiness fails, liveness holds, and queries get a masked error", async () => {
    const base = svc.url.replace(/\/graphql$/, "");
    const ask = () =>
      fetch(svc.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: "{ depots(first: 1) { nodes { code } } }" }),
      });
    // given: the officer's question answers while the database is there (and the actor is loaded)
    expect(await (await ask()).json()).toEqual({
      data: { depots: { nodes: [{ code: county.townships[0]!.depot.code }] } },
    });

    // when: the database is gone mid-flight
    await svc.database.close();

    // then
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const res = await ask();
    const body = (await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors).toHaveLength(1);
    // PostgreSQL's client says its connections are gone, which is an outage (503); a closed PGlite is not expected
    if (engine === "postgres") {
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(body.errors[0]).toMatchObject({ extensions: { code: "SERVICE_UNAVAILABLE" } });
    } else {
      expect(body.errors[0]).toMatchObject({
        message: "internal error",
        extensions: { code: "INTERNAL_SERVER_ERROR" },
      });
    }
    // nothing about the cause leaks: no stack, no SQL, no driver message
    expect(JSON.stringify(body)).not.toMatch(/select|stack|pglite|postgres|closed|ECONN/i);
  });
});
