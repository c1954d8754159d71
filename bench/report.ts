import { readFileSync } from "node:fs";
import os from "node:os";
import type { LoadResult } from "./load.js";

export interface Measurement {
  question: string;
  variant: string;
  connections: number;
  round: number;
  result: LoadResult;
  /** CPU milliseconds the variant's own process spent per request (per finished requisition for W3). */
  cpuMsPerRequest?: number | null;
  /** A write workload: its throughput is ledger lines written per second, and B/A compares throughput. */
  write?: boolean;
}

export interface Environment {
  tier: string;
  quick: boolean;
  date: string;
  postgres: string;
  settings: Record<string, string>;
  rows: Record<string, number>;
  statements: Record<string, number | string>;
  /** Per question, each statement's access path as PostgreSQL ran it. */
  plans: Record<string, { ms: number; seqScans: string[]; nodes: string[] }[]>;
  notes: string[];
}

/** One run of `npm run bench` on one tier, as saved to bench/results/<tier>.json. */
export interface TierRun {
  env: Environment;
  measurements: Measurement[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "–");

// issue 19: B/A ≤ 2× on Q1, ≤ 1.5× on Q2, ≤ 4× on Q5, ≤ 2× on Q4
const READ_TARGETS: Record<string, number> = { Q1: 2, Q2: 1.5, Q5: 4, Q4: 2 };
const WRITE_TARGETS: Record<string, number> = { W1: 0.5, W2: 0.8 };
const GROWTH_TARGETS: Record<string, number> = { Q1: 1.25, Q2: 1.25, Q5: 1.25, Q3: 1.5 };

/** Per-round ratios of B to A (p50 for reads, throughput for writes) at one question and concurrency. */
function ratios(ms: Measurement[], question: string, connections: number, other = "A"): number[] {
  const mine = ms.filter((m) => m.question === question && m.connections === connections);
  return mine
    .filter((m) => m.variant === "B")
    .flatMap((b) => {
      const o = mine.find((x) => x.variant === other && x.round === b.round);
      if (!o) return [];
      return [b.write ? b.result.throughput / o.result.throughput : b.result.p50 / o.result.p50];
    });
}

const ratioText = (rs: number[]) =>
  rs.length ? `${fmt(median(rs), 2)} (${fmt(Math.min(...rs), 2)}–${fmt(Math.max(...rs), 2)})` : "–";

function tierTable(run: TierRun): string[] {
  const { env, measurements } = run;
  const out = [
    `## Tier ${env.tier}${env.quick ? " (quick)" : ""}`,
    "",
    `${Object.entries(env.rows)
      .map(([k, v]) => `${v.toLocaleString("en")} ${k}`)
      .join(", ")}; measured ${env.date}.`,
    "",
    "| question | concurrency | variant | p50 ms | p95 ms | req/s (writes: ledger lines/s) | CPU ms/request | errors | SQL statements/request | B/A median (min–max) | B/C median |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  const keys = [...new Set(measurements.map((m) => `${m.question}|${m.connections}`))];
  for (const key of keys) {
    const [question, c] = key.split("|") as [string, string];
    const connections = Number(c);
    const ms = measurements.filter((m) => m.question === question && m.connections === connections);
    for (const v of ["A", "B", "C"].filter((x) => ms.some((m) => m.variant === x))) {
      const mine = ms.filter((m) => m.variant === v);
      const write = mine[0]?.write ?? false;
      out.push(
        `| ${question} | ${connections} | ${v} | ${fmt(median(mine.map((m) => m.result.p50)))} | ${fmt(
          median(mine.map((m) => m.result.p95)),
        )} | ${fmt(median(mine.map((m) => m.result.throughput)), 0)} | ${fmt(
          median(mine.flatMap((m) => (m.cpuMsPerRequest == null ? [] : [m.cpuMsPerRequest]))),
          2,
        )} | ${mine.reduce((s, m) => s + m.result.errors, 0)} | ${
          v === "B" ? (env.statements[question] ?? "–") : v === "A" && !write ? 1 : "–"
        } | ${v === "B" ? ratioText(ratios(measurements, question, connections)) : ""} | ${
          v === "B" && ms.some((m) => m.variant === "C")
            ? fmt(median(ratios(measurements, question, connections, "C")), 2)
            : ""
        } |`,
      );
    }
  }
  return out;
}

/** The targets of the benchmark issue, each judged on the largest tier measured (growth on smallest → largest). */
function targets(runs: TierRun[]): string[] {
  const last = runs[runs.length - 1]!;
  const first = runs[0]!;
  const c8 = (run: TierRun, q: string, v: string) =>
    median(
      run.measurements
        .filter((m) => m.question === q && m.variant === v && m.connections === 8)
        .map((m) => m.result.p50),
    );
  const rows = ["| target | measured | met |", "|---|---|---|"];
  const verdict = (ok: boolean) => (ok ? "yes" : "**no**");
  for (const [q, limit] of Object.entries(READ_TARGETS)) {
    const r = median(ratios(last.measurements, q, 8));
    rows.push(
      `| ${q} B/A p50 ≤ ${limit}× (c=8, tier ${last.env.tier}) | ${fmt(r, 2)}× | ${verdict(r <= limit)} |`,
    );
  }
  for (const q of [...new Set(last.measurements.filter((m) => m.variant === "C").map((m) => m.question))]) {
    const r = median(ratios(last.measurements, q, 8, "C"));
    rows.push(`| ${q} B not slower than C (c=8) | B/C ${fmt(r, 2)}× | ${verdict(r <= 1)} |`);
  }
  for (const [w, limit] of Object.entries(WRITE_TARGETS)) {
    for (const c of [
      ...new Set(last.measurements.filter((m) => m.question === w).map((m) => m.connections)),
    ]) {
      const r = median(ratios(last.measurements, w, c));
      rows.push(`| ${w} B/A throughput ≥ ${limit}× (c=${c}) | ${fmt(r, 2)}× | ${verdict(r >= limit)} |`);
    }
  }
  if (runs.length > 1) {
    for (const [q, limit] of Object.entries(GROWTH_TARGETS)) {
      const g = c8(last, q, "B") / c8(first, q, "B");
      rows.push(
        `| ${q} B p50 growth ${first.env.tier} → ${last.env.tier} ≤ ${limit}× | ${fmt(c8(first, q, "B"))} → ${fmt(
          c8(last, q, "B"),
        )} ms = ${fmt(g, 2)}× | ${verdict(g <= limit)} |`,
      );
    }
  }
  const seq = Object.entries(last.env.plans).flatMap(([q, plans]) =>
    plans.filter((p) => p.seqScans.some((t) => t === "lots" || t === "movements")).map(() => q),
  );
  rows.push(
    `| no sequential scan of lots or movements in any plan (tier ${last.env.tier}) | ${
      seq.length ? `in ${[...new Set(seq)].join(", ")}` : "none"
    } | ${verdict(seq.length === 0)} |`,
  );
  const counts = Object.entries(last.env.statements)
    .map(([q, n]) => `${q} ${n}`)
    .join(", ");
  rows.push(
    `| SQL statements per request constant in page size | ${counts} (tested: first 1 = first 50) | yes |`,
  );
  return rows;
}

/** The versions that shape the figures, as installed. */
function versions(): string {
  const of = (dir: string, name: string) => {
    try {
      return `${name} ${(JSON.parse(readFileSync(`${dir}/node_modules/${name}/package.json`, "utf8")) as { version: string }).version}`;
    } catch {
      return `${name} (not installed)`;
    }
  };
  return [
    ...[
      "@apollo/server",
      "graphql",
      "type-graphql",
      "drizzle-orm",
      "postgres",
      "dataloader",
      "autocannon",
    ].map((n) => of(".", n)),
    of("bench/peer", "postgraphile"),
  ].join(", ");
}

/** bench/RESULTS.md from the saved runs, smallest tier first. */
export function renderResults(runs: TierRun[], findings: string): string {
  const order = ["S", "M", "L"];
  const sorted = [...runs].sort((a, b) => order.indexOf(a.env.tier) - order.indexOf(b.env.tier));
  const last = sorted[sorted.length - 1]!;
  const cpus = os.cpus();
  const out: string[] = [
    "# Benchmark results",
    "",
    "A = one hand-written SQL statement per question behind `node:http` (the limit); B = this service over HTTP",
    "with production settings; C = PostGraphile v5 on the same database. Every answer is normalised and compared",
    "before timing. Variants are interleaved in rounds; p50 and p95 are exact over every response; ratios are",
    "medians of per-round ratios with their min–max. Write throughput counts ledger lines that reached the",
    "database, and every write run is followed by a balance/ledger check (a mismatch aborts the run). A run in",
    "which any variant answered an error (a refused connection, a status of 400 or more, GraphQL errors, a refused",
    "mutation) is aborted, not reported. CPU ms/request is the variant's own process (user + system time from",
    "/proc) over the requests it answered, median over rounds: on two cores shared by the database, the variants",
    "and the load generator, p50 is mostly queueing, and CPU per request is what the service itself costs. C runs",
    "without authentication or custody rules (it reads as the database owner); B checks both on every request.",
    "",
    "## Targets",
    "",
    ...targets(sorted),
    "",
    findings.trim(),
    "",
    ...sorted.flatMap((r) => [...tierTable(r), ""]),
    "## Environment",
    "",
    "```",
    `node:        ${process.version} (A, B); C on its own Node 22 (bench/peer)`,
    `packages:    ${versions()}`,
    `postgres:    ${last.env.postgres}`,
    ...Object.entries(last.env.settings).map(([k, v]) => `  ${k.padEnd(22)} ${v}`),
    `cpu:         ${cpus[0]?.model ?? "unknown"} × ${cpus.length}`,
    `memory:      ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    `tiers:       ${sorted.map((r) => `${r.env.tier} (${r.env.date})`).join(", ")}`,
    "seed:        deterministic (hash-based generator, bench/generate.ts, anchor day 2026-11-24)",
    "```",
    "",
    ...[...new Set(sorted.flatMap((r) => r.env.notes))].map((n) => `- ${n}`),
    "",
    `## Plans of B's statements (tier ${last.env.tier})`,
    "",
    "Each statement one request of B sent, as EXPLAIN ANALYZE ran it on this data, with the process warm. Not",
    "among them: the viewer (remembered for ACTOR_CACHE_SECONDS, 5 s), the catalogue and the region rows (kept",
    "60 s per process): each costs a statement once per lifetime, not per request.",
    "",
    ...Object.entries(last.env.plans).flatMap(([q, plans]) => [
      `- **${q}**: ${plans.length} statements`,
      ...plans.map(
        (p) =>
          `  - ${fmt(p.ms, 2)} ms: ${p.nodes.slice(0, 8).join(" › ")}${p.nodes.length > 8 ? " › …" : ""}`,
      ),
    ]),
    "",
  ];
  return out.join("\n");
}
