import os from "node:os";
import type { LoadResult } from "./load.js";

export interface Measurement {
  question: string;
  variant: string;
  connections: number;
  round: number;
  result: LoadResult;
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

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "–");

/** RESULTS.md: per question and concurrency, each variant's medians over rounds and the per-round B/A ratios. */
export function renderResults(measurements: Measurement[], env: Environment): string {
  const out: string[] = [`# Benchmark results (tier ${env.tier}${env.quick ? ", quick" : ""})`, ""];
  const groups = new Map<string, Measurement[]>();
  for (const m of measurements) {
    const key = `${m.question}|${m.connections}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  out.push(
    "| question | concurrency | variant | p50 ms | p95 ms | req/s (writes: ledger lines/s) | errors | statements/request | B/A: p50 for reads, throughput for writes; median (min–max) |",
  );
  out.push("|---|---|---|---|---|---|---|---|---|");
  for (const [key, ms] of groups) {
    const [question, connections] = key.split("|");
    const variants = [...new Set(ms.map((m) => m.variant))];
    for (const v of variants) {
      const mine = ms.filter((m) => m.variant === v);
      const ratios =
        v === "B"
          ? mine.flatMap((m) => {
              const a = ms.find((x) => x.variant === "A" && x.round === m.round);
              if (!a) return [];
              return [m.write ? m.result.throughput / a.result.throughput : m.result.p50 / a.result.p50];
            })
          : [];
      out.push(
        `| ${question} | ${connections} | ${v} | ${fmt(median(mine.map((m) => m.result.p50)))} | ${fmt(
          median(mine.map((m) => m.result.p95)),
        )} | ${fmt(median(mine.map((m) => m.result.throughput)), 0)} | ${mine.reduce((s, m) => s + m.result.errors, 0)} | ${
          v === "B" ? (env.statements[question!] ?? "–") : v === "A" && !mine[0]?.write ? 1 : "–"
        } | ${ratios.length ? `${fmt(median(ratios), 2)} (${fmt(Math.min(...ratios), 2)}–${fmt(Math.max(...ratios), 2)})` : ""} |`,
      );
    }
  }
  const cpus = os.cpus();
  out.push(
    "",
    "## Environment",
    "",
    "```",
    `date:        ${env.date}`,
    `tier:        ${env.tier}${env.quick ? " (quick: 1 round, short runs — a smoke test, not a measurement)" : ""}`,
    `node:        ${process.version}`,
    `postgres:    ${env.postgres}`,
    ...Object.entries(env.settings).map(([k, v]) => `  ${k.padEnd(22)} ${v}`),
    `cpu:         ${cpus[0]?.model ?? "unknown"} × ${cpus.length}`,
    `memory:      ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    `data:        ${Object.entries(env.rows)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    "seed:        deterministic (hash-based generator, bench/generate.ts)",
    "```",
    "",
    ...env.notes.map((n) => `- ${n}`),
    "",
    "## Plans of B's statements",
    "",
    "Each statement one request of B sent (the viewer lookup aside), as EXPLAIN ANALYZE ran it on this data.",
    "",
    ...Object.entries(env.plans).flatMap(([q, plans]) => [
      `- **${q}**: ${plans.length} statements; sequential scans of lots or movements: ${
        plans.filter((p) => p.seqScans.some((t) => t === "lots" || t === "movements")).length
      }`,
      ...plans.map(
        (p) =>
          `  - ${fmt(p.ms, 2)} ms: ${p.nodes.slice(0, 8).join(" › ")}${p.nodes.length > 8 ? " › …" : ""}`,
      ),
    ]),
    "",
  );
  return out.join("\n");
}
