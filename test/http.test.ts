import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCounty } from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";

let svc: TestService;
let auth: string;
beforeAll(async () => {
  svc = await startTestService();
  auth = `Bearer ${await svc.token((await aCounty(svc)).officer)}`;
});
afterAll(() => svc.stop());

const base = () => svc.url.replace(/\/graphql$/, "");

async function postRaw(body: string, headers: Record<string, string> = {}) {
  const res = await fetch(svc.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: auth, ...headers },
    body,
  });
  return {
    status: res.status,
    body: (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] },
  };
}

describe("operations endpoints", () => {
  it("GET /healthz answers while the process is up", async () => {
    const res = await fetch(`${base()}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("GET /readyz answers when the database does", async () => {
    const res = await fetch(`${base()}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready" });
  });
});

describe("malformed requests get 400 and never crash the process", () => {
  it.each([
    ["a body that is not JSON", "{not json", "BAD_REQUEST"],
    ["a query that does not parse", JSON.stringify({ query: "{ me { " }), "GRAPHQL_PARSE_FAILED"],
    [
      "a query for a field that does not exist",
      JSON.stringify({ query: "{ nothingHere }" }),
      "GRAPHQL_VALIDATION_FAILED",
    ],
    ["no query at all", JSON.stringify({ variables: {} }), "BAD_REQUEST"],
    [
      "variables of the wrong type",
      JSON.stringify({
        query: "query($f: Int) { depots(first: $f) { nodes { id } } }",
        variables: { f: "x" },
      }),
      "BAD_USER_INPUT",
    ],
  ])("%s", async (_name, body, code) => {
    const res = await postRaw(body);
    expect(res.status).toBe(400);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    const health = await fetch(`${base()}/healthz`);
    expect(health.status).toBe(200);
  });

  it("a GET without a preflight header is refused (CSRF prevention)", async () => {
    const res = await fetch(`${svc.url}?query=${encodeURIComponent("{ me { roles } }")}`, {
      headers: { authorization: auth },
    });
    expect(res.status).toBe(400);
  });

  it("a GET with the preflight header is served", async () => {
    const res = await fetch(`${svc.url}?query=${encodeURIComponent("{ me { roles } }")}`, {
      headers: { authorization: auth, "apollo-require-preflight": "true" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { me: { roles: ["COUNTY_OFFICER"] } } });
  });
});

describe("query limits are refused before any resolver runs", () => {
  it("too deep: 400 QUERY_TOO_COMPLEX, and no SQL ran for it", async () => {
    const deep =
      "{ regions(first: 1) { nodes { parent { parent { parent { parent { parent { parent { parent { parent { parent { nameZh } } } } } } } } } } } }";
    const before = svc.database.statements();
    const res = await postRaw(JSON.stringify({ query: deep }));
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
    // the actor is looked up (1 statement) before validation; no resolver ran
    expect(svc.database.statements() - before).toBeLessThanOrEqual(1);
  });

  it("too costly: a page of lists of lists multiplies, and the answer says by how much", async () => {
    const wide = `{ depots(first: 100) { nodes { stock { item { nameZh } } keepers { user { username } }
      region { neighbours { region { neighbours { region { children { nameZh } } } } } } } } }`;
    const res = await postRaw(JSON.stringify({ query: wide }));
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit: 10000 });
    const narrow = wide.replace("first: 100", "first: 1");
    expect((await postRaw(JSON.stringify({ query: narrow }))).status).toBe(200);
  });
});
