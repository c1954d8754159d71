import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "./support/service.js";

let svc: TestService;
let origin: string;
beforeAll(async () => {
  svc = await startTestService();
  origin = svc.url.replace(/\/graphql$/, "");
});
afterAll(() => svc.stop());

const get = (p: string, headers: Record<string, string> = {}) => fetch(`${origin}${p}`, { headers });
/** The entry bundle the built page loads (the coverage grid's chart is a chunk of its own, loaded later). */
const script = /src="\/assets\/([^"]+\.js)"/.exec(
  readFileSync(path.resolve("web/dist/index.html"), "utf8"),
)![1]!;

describe("the web console, served by the service itself", () => {
  it("answers / and every screen path with the page, revalidated on each load", async () => {
    for (const p of ["/", "/county/coverage", "/keeper"]) {
      const res = await get(p);
      expect([res.status, res.headers.get("content-type"), res.headers.get("cache-control")], p).toEqual([
        200,
        "text/html; charset=utf-8",
        "no-cache",
      ]);
      expect(await res.text()).toContain(`/assets/${script}`);
    }
  });

  it("keeps a hashed bundle for a year and compresses it for browsers that take br or gzip", async () => {
    const plain = await get(`/assets/${script}`, { "accept-encoding": "identity" });
    const br = await get(`/assets/${script}`, { "accept-encoding": "gzip, deflate, br" });
    const gz = await get(`/assets/${script}`, { "accept-encoding": "gzip" });
    expect(plain.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect([
      plain.headers.get("content-encoding"),
      br.headers.get("content-encoding"),
      gz.headers.get("content-encoding"),
    ]).toEqual([null, "br", "gzip"]);
    // fetch decodes both: the same bundle either way
    const bundle = await plain.text();
    expect(bundle.length).toBeGreaterThan(10_000);
    expect(await br.text()).toBe(bundle);
    expect(await gz.text()).toBe(bundle);
  });

  it("answers a repeated load with 304 when nothing changed", async () => {
    const first = await get("/");
    const again = await get("/", { "if-none-match": first.headers.get("etag")! });
    expect(again.status).toBe(304);
  });

  it("forbids third-party sources and framing on the page", async () => {
    const csp = (await get("/")).headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("leaves the API, the probes and files it does not have to their own answers", async () => {
    expect((await get("/assets/nothing-here.js")).status).toBe(404);
    expect((await get("/..%2f..%2fpackage.json")).status).toBe(404);
    expect((await get("/%E0%A4%A")).status).toBe(404);
    expect(await (await get("/healthz")).json()).toEqual({ status: "ok" });
    const gql = await fetch(svc.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(await gql.json()).toEqual({ data: { __typename: "Query" } });
  });
});

describe("GraphiQL in development", () => {
  it("is the page a browser gets at /graphql, bundled from npm and served from here", async () => {
    const page = await fetch(svc.url, { headers: { accept: "text/html" } });
    const html = await page.text();
    expect([page.status, page.headers.get("content-type")]).toEqual([200, "text/html; charset=utf-8"]);
    expect(html).toContain("<title>GraphiQL");
    const scripts = [...html.matchAll(/(?:src|href)="(\/graphiql\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const asset of scripts) {
      const res = await get(asset);
      expect([asset, res.status, res.headers.get("cache-control")]).toEqual([
        asset,
        200,
        "public, max-age=31536000, immutable",
      ]);
    }
    // no file from anywhere else
    expect(html).not.toMatch(/(?:src|href)="https?:/);
  });
});

describe("in production", () => {
  it("sends a browser that opens /graphql to the console instead of a landing page from a CDN", async () => {
    const prod = await startTestService({ env: { NODE_ENV: "production" } });
    try {
      const page = await fetch(prod.url, { headers: { accept: "text/html" }, redirect: "manual" });
      expect([page.status, page.headers.get("location")]).toEqual([302, "/"]);
      expect((await fetch(`${prod.url.replace(/graphql$/, "")}graphiql/index.html`)).status).toBe(404);
      // a client's GET query is still a query
      const query = await fetch(`${prod.url}?query=${encodeURIComponent("{ __typename }")}`, {
        headers: { accept: "application/json", "apollo-require-preflight": "true" },
      });
      expect(await query.json()).toEqual({ data: { __typename: "Query" } });
    } finally {
      await prod.stop();
    }
  });
});
