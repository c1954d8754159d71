import { spawnSync } from "node:child_process";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { startTestService, type TestService } from "./support/service.js";

const root = path.resolve(import.meta.dirname, "..");
const ORIGIN = "https://reserves.example.org";
const INTROSPECTION = JSON.stringify({ query: "{ __schema { types { name description } } }" });

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ env: { CORS_ORIGINS: `${ORIGIN}, http://localhost:5173` } });
});
afterAll(() => svc.stop());

/** A raw HTTP exchange: fetch would undo the gzip and hide what went over the wire. */
function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? "POST", headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

const json = { "content-type": "application/json" };

describe("compression", () => {
  it("gzips a large answer for a client that accepts gzip, and says so", async () => {
    const res = await raw(svc.url, {
      headers: { ...json, "accept-encoding": "gzip, br" },
      body: INTROSPECTION,
    });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    const body = JSON.parse(gunzipSync(res.body).toString("utf8")) as {
      data: { __schema: { types: unknown[] } };
    };
    expect(body.data.__schema.types.length).toBeGreaterThan(50);
    expect(res.body.length).toBeLessThan(Number(gunzipSync(res.body).length) / 2);
  });

  it("sends plain bytes to a client that does not accept gzip, and small answers always", async () => {
    const plain = await raw(svc.url, {
      headers: { ...json, "accept-encoding": "identity" },
      body: INTROSPECTION,
    });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(plain.body.toString("utf8"))).toHaveProperty("data.__schema");
    const refused = await raw(svc.url, {
      headers: { ...json, "accept-encoding": "gzip;q=0" },
      body: INTROSPECTION,
    });
    expect(refused.headers["content-encoding"]).toBeUndefined();
    const small = await raw(svc.url, {
      headers: { ...json, "accept-encoding": "gzip" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(small.headers["content-encoding"]).toBeUndefined();
    expect(JSON.parse(small.body.toString("utf8"))).toEqual({ data: { __typename: "Query" } });
  });
});

describe("CORS allow-list", () => {
  const preflight = (origin: string) =>
    raw(svc.url, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization",
      },
    });

  it("answers a preflight from an allowed origin, and names it on the answer", async () => {
    const pre = await preflight(ORIGIN);
    expect(pre.status).toBe(204);
    expect(pre.headers["access-control-allow-origin"]).toBe(ORIGIN);
    expect(pre.headers["access-control-allow-methods"]).toContain("POST");
    expect(pre.headers["access-control-allow-headers"]).toContain("authorization");
    const res = await raw(svc.url, {
      headers: { ...json, origin: ORIGIN },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(res.headers["access-control-allow-origin"]).toBe(ORIGIN);
    expect(res.headers["access-control-expose-headers"]).toContain("x-request-id");
  });

  it("gives any other origin no CORS headers, and refuses its preflight", async () => {
    const pre = await preflight("https://evil.example.com");
    expect(pre.status).toBe(403);
    expect(pre.headers["access-control-allow-origin"]).toBeUndefined();
    const res = await raw(svc.url, {
      headers: { ...json, origin: "https://evil.example.com" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("allows no origin by default", () => {
    expect(loadConfig({ JWT_SECRET: "x".repeat(32) }).CORS_ORIGINS).toEqual([]);
    expect(() => loadConfig({ CORS_ORIGINS: "https://ok.example.org/path" })).toThrow(/CORS_ORIGINS/);
  });
});

describe("DATABASE_URL is checked at start", () => {
  it.each([
    ["localhost:5432/x", /scheme must be postgres/],
    ["postgres://127.0.0.1:5432", /names no database/],
    ["postgres:///reserves", /names no host/],
    ["mysql://u:hunter2@db/reserves", /scheme must be postgres/],
  ])("refuses %s", (url, why) => {
    expect(() => loadConfig({ DATABASE_URL: url })).toThrow(why);
    expect(() => loadConfig({ DATABASE_URL: url })).not.toThrow(/hunter2/);
  });

  it("takes postgres:// and postgresql:// with a host and a database", () => {
    expect(loadConfig({ DATABASE_URL: "postgresql://app:pw@db.internal:6432/reserves" }).DATABASE_URL).toBe(
      "postgresql://app:pw@db.internal:6432/reserves",
    );
    expect(loadConfig({ DATABASE_URL: "postgres://127.0.0.1/reserves?sslmode=require" })).toBeTruthy();
  });

  it("ends start-up with one line naming the variable, before touching any database", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? "",
        PORT: "0",
        DATABASE_URL: "localhost:5432/x",
        JWT_SECRET: "x".repeat(32),
      },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).not.toBe(0);
    const stderr = result.stderr.trim();
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toMatch(
      /^reserve-ledger: invalid configuration: DATABASE_URL: the scheme must be postgres/,
    );
  });
});
