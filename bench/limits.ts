// The most expensive documents the query limits accept, timed against the service with the demo county:
//   npx tsx bench/limits.ts --engine pglite|postgres
// Each family (aliases of one county-wide question) is tried from the alias cap downwards; the first size the
// limits accept is the largest, and it is timed (median of a few runs). Refused sizes run no resolver.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { signLocalToken } from "../src/auth/tokens.js";
import { startProcess, stopProcess } from "./processes.js";

const SECRET = "limits-bench-secret-limits-bench-secret";
const PORT = 4790;
const ADMIN_URL = process.env.ADMIN_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const engine = process.argv.includes("--engine")
  ? process.argv[process.argv.indexOf("--engine") + 1]
  : "pglite";
const RUNS = 3;

async function post(token: string, query: string, variables: Record<string, unknown> = {}) {
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${PORT}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
  return { status: res.status, code: body.errors?.[0]?.extensions?.code, ms: performance.now() - started };
}

const aliased = (n: number, field: string) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(" ")} }`;

const families = ({ c, t }: { c: string; t: string }): Record<string, string> => ({
  readiness: `readiness(regionId: "${c}", first: 1) { nodes { depots staleDepots } }`,
  coverage: `coverage(regionId: "${t}", includeNeighbours: true) { lines { required usable status } }`,
  coverageMap: `coverageMap(countyId: "${c}", level: TOWNSHIP, first: 1) { nodes { region { divisionCode } } }`,
  coverageGaps: `coverageGaps(regionId: "${c}", first: 1) { nodes { shortfall } }`,
  rotationPlan: `rotationPlan(regionId: "${c}", first: 1) { nodes { daysToExpiry } }`,
  expiringLots: `expiringLots(regionId: "${c}", within: 366, first: 1) { nodes { daysToExpiry } }`,
});

async function measure(token: string, ids: { c: string; t: string }) {
  const rows: string[] = [];
  for (const [name, field] of Object.entries(families(ids))) {
    for (let n = 31; n >= 1; n--) {
      const first = await post(token, aliased(n, field));
      if (first.code === "QUERY_TOO_COMPLEX") continue;
      if (first.status !== 200 || first.code) throw new Error(`${name} ×${n}: ${first.status} ${first.code}`);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) times.push((await post(token, aliased(n, field))).ms);
      times.sort((a, b) => a - b);
      rows.push(`| ${name} × ${n} | ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms |`);
      break;
    }
  }
  return rows;
}

async function ids(token: string) {
  const q = async (level: string) => {
    const res = await fetch(`http://127.0.0.1:${PORT}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `{ regions(level: ${level}, first: 1) { nodes { id } } }` }),
    });
    return ((await res.json()) as { data: { regions: { nodes: { id: string }[] } } }).data.regions.nodes[0]!
      .id;
  };
  return { c: await q("COUNTY"), t: await q("TOWNSHIP") };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "limits-"));
  const env: Record<string, string> = {
    PORT: String(PORT),
    HOST: "127.0.0.1",
    JWT_SECRET: SECRET,
    SEED_DEMO: "true",
    LOG_LEVEL: "warn",
    DATA_DIR: dataDir,
    // the per-viewer budget would refuse the repeated runs; the per-document limits are what is measured
    QUERY_BUDGET: "1000000000",
  };
  if (engine === "postgres") {
    const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe("drop database if exists limits_demo");
    await admin.unsafe("create database limits_demo");
    await admin.end();
    env.DATABASE_URL = ADMIN_URL.replace(/\/[^/]*$/, "/limits_demo");
  }
  const child = await startProcess(
    "service",
    process.execPath,
    ["--import", "tsx", "src/main.ts"],
    env,
    `http://127.0.0.1:${PORT}/readyz`,
  );
  try {
    const token = await signLocalToken(new TextEncoder().encode(SECRET), "county.officer", {
      expiresIn: "1h",
    });
    const rows = await measure(token, await ids(token));
    console.log(
      `engine: ${engine}\n| largest accepted document | median of ${RUNS} |\n|---|---|\n${rows.join("\n")}`,
    );
  } finally {
    await stopProcess(child);
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
