import { pino } from "pino";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { type Service, startService } from "../../src/service.js";
import { asTestService } from "../support/edgeFactories.js";
import { adminUrl, databaseUrl } from "../support/engine.js";
import { aCounty, type ProvisionedCounty } from "../support/factories.js";
import { TEST_SECRET } from "../support/service.js";
import { startTcpProxy, type TcpProxy } from "../support/tcpProxy.js";

// Bounds far below the defaults, so an outage answers in about a second and the file stays quick.
const BOUNDS = {
  DB_STATEMENT_TIMEOUT_MS: "800",
  DB_LOCK_TIMEOUT_MS: "500",
  DB_ACQUIRE_TIMEOUT_MS: "800",
  MAX_QUEUED_REQUESTS: "4",
  DATABASE_POOL_SIZE: "2",
};
/** What a refusal may take at most: the client's deadline (statement + 1 s margin) and the wait for a slot. */
const WITHIN_MS = 800 + 1000 + 800 + 700;

const name = `rl_outage_${process.pid}`;
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
let proxy: TcpProxy;
let svc: Service;
/** A county of its own, made through the proxy before any outage: one township with its depot. */
let county: ProvisionedCounty;
let token: string;
let base: string;

beforeAll(async () => {
  await admin.unsafe(`create database ${name} template ${inject("template")}`);
  const direct = new URL(databaseUrl(name));
  proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  direct.host = `127.0.0.1:${proxy.port}`;
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    JWT_SECRET: TEST_SECRET,
    DATABASE_URL: direct.toString(),
    ACTOR_CACHE_SECONDS: "0",
    ...BOUNDS,
  });
  svc = await startService(config, { logger: pino({ level: process.env.TEST_LOG ?? "silent" }) });
  const served = asTestService(svc);
  county = await aCounty(served, { townships: 1 });
  token = await served.token(county.officer);
  base = svc.url.replace(/\/graphql$/, "");
});
afterAll(async () => {
  proxy.resume();
  await svc.close();
  await proxy.close();
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

const DEPOTS = "{ depots(first: 3) { nodes { code } } }";

/** One query as the county officer (whose grants are read from the database on every request), timed. */
async function ask(query = DEPOTS) {
  const started = Date.now();
  const res = await fetch(svc.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as {
    data?: { depots?: { nodes: { code: string }[] } } | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body, ms: Date.now() - started };
}

async function ready() {
  const started = Date.now();
  const res = await fetch(`${base}/readyz`);
  return { status: res.status, ms: Date.now() - started };
}

/** The answer a user gets while the database is away: 503, SERVICE_UNAVAILABLE, Retry-After, in time. */
function refusedInTime(a: Awaited<ReturnType<typeof ask>>) {
  expect(a.status).toBe(503);
  expect(a.retryAfter).toBe("5");
  expect(a.body.errors?.map((e) => e.extensions?.code)).toEqual(["SERVICE_UNAVAILABLE"]);
  // nothing about the cause leaks: no SQL, no driver message
  expect(JSON.stringify(a.body)).not.toMatch(/select|stack|postgres|ECONN/i);
  expect(a.ms).toBeLessThan(WITHIN_MS);
}

async function answersAgain() {
  // the connections the outage held come back, and the next request is served
  for (let i = 0; i < 20; i++) {
    const a = await ask();
    if (a.status === 200) return a;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the service did not recover");
}

describe("when the database stops answering (the proxy forwards nothing)", () => {
  it("answers normally first", async () => {
    const a = await ask();
    expect(a.status).toBe(200);
    expect(a.body.data!.depots!.nodes).toEqual([{ code: county.townships[0]!.depot.code }]);
    expect((await ready()).status).toBe(200);
  });

  it("requests answer 503 SERVICE_UNAVAILABLE within the bounds, readiness within a second", async () => {
    proxy.pause();
    // more than the pool and the queue together: some wait their bound, the rest are refused at once
    const answers = await Promise.all(Array.from({ length: 10 }, () => ask()));
    for (const a of answers) refusedInTime(a);
    // a pool of 2 and MAX_QUEUED_REQUESTS 4: six wait their bound, four are turned away without waiting
    const turnedAway = answers.filter((a) => a.body.errors![0]!.message.startsWith("too many requests"));
    expect(turnedAway).toHaveLength(4);
    const probe = await ready();
    expect(probe.status).toBe(503);
    expect(probe.ms).toBeLessThan(1000);
  });

  it("after the proxy resumes, requests succeed again", async () => {
    proxy.resume();
    const a = await answersAgain();
    expect(a.body.data!.depots!.nodes).toEqual([{ code: county.townships[0]!.depot.code }]);
    expect((await ready()).status).toBe(200);
  });
});

describe("when the database goes away (the proxy drops every connection)", () => {
  it("requests answer 503 SERVICE_UNAVAILABLE within the bounds, readiness within a second", async () => {
    proxy.cut();
    const answers = await Promise.all(Array.from({ length: 5 }, () => ask()));
    for (const a of answers) refusedInTime(a);
    const probe = await ready();
    expect(probe.status).toBe(503);
    expect(probe.ms).toBeLessThan(1000);
  });

  it("once the proxy lets connections through again, requests succeed", async () => {
    proxy.resume();
    const a = await answersAgain();
    expect(a.status).toBe(200);
    expect(a.body.data!.depots!.nodes).toEqual([{ code: county.townships[0]!.depot.code }]);
    expect((await ready()).status).toBe(200);
  });
});
