import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import postgres from "postgres";
import { signLocalToken } from "../src/auth/tokens.js";
import { toGlobalId } from "../src/graphql/ids.js";
import { fixture } from "./fixture.js";
import { startProcess, stopProcess } from "./processes.js";

/**
 * `npm run bench:export [-- --lines 1000000]`: time and peak memory (RSS of the service process) of exporting a
 * county's ledger as CSV and as XLSX, on data made by `npm run bench:generate -- --tier S`. Each format runs in a
 * fresh service process, so each peak is that export's own. Results → bench/EXPORTS.md.
 */
const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_ci";
const SECRET = "bench-secret-that-is-at-least-32-characters";
const PORT = 4105;

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};

const rssOf = (pid: number, field: "VmRSS" | "VmHWM"): number => {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith(field));
  return Number(line?.match(/(\d+)/)?.[1] ?? 0) * 1024;
};

interface Run {
  format: "csv" | "xlsx";
  lines: number;
  bytes: number;
  seconds: number;
  peakRssMb: number;
  idleRssMb: number;
}

async function exportOnce(
  format: "csv" | "xlsx",
  url: string,
  token: string,
  databaseUrl: string,
): Promise<Run> {
  const child = await startProcess(
    "B",
    process.execPath,
    ["--max-semi-space-size=32", "--import", "tsx", "src/main.ts"],
    {
      DATABASE_URL: databaseUrl,
      PORT: String(PORT),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      JWT_SECRET: SECRET,
      SEED_DEMO: "false",
      LOG_LEVEL: "warn",
      QUERY_BUDGET: "1000000000",
      // a million lines take longer than the default statement bounds allow a whole request
      SHUTDOWN_GRACE_SECONDS: "600",
    },
    `http://127.0.0.1:${PORT}/readyz`,
  );
  try {
    const idle = rssOf(child.pid!, "VmRSS");
    const started = performance.now();
    const res = await fetch(url.replace(".csv", `.${format}`), {
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.status !== 200) throw new Error(`${format}: HTTP ${res.status} ${await res.text()}`);
    let bytes = 0;
    let newlines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      if (format === "csv") for (const b of chunk) if (b === 10) newlines++;
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      format,
      // the CSV's lines less its header; the XLSX is counted by the same period
      lines: format === "csv" ? newlines - 1 : -1,
      bytes,
      seconds,
      peakRssMb: rssOf(child.pid!, "VmHWM") / 2 ** 20,
      idleRssMb: idle / 2 ** 20,
    };
  } finally {
    await stopProcess(child);
  }
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_URL;
  const wanted = Number(arg("lines", "1000000"));
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const f = await fixture(sql, "S");
  // the period whose lines number `wanted`: up to the occurredAt of the wanted-th line
  const [bound] = await sql<{ to: Date; total: string }[]>`
    select (select occurred_at from movements where county_id = ${f.countyId}
             order by occurred_at offset ${wanted - 1} limit 1) as to,
           (select count(*) from movements where county_id = ${f.countyId})::text as total`;
  const [{ n }] = (await sql`select count(*)::int as n from movements
    where county_id = ${f.countyId} and occurred_at <= ${bound!.to}`) as unknown as [{ n: number }];
  await sql.end();
  const token = await signLocalToken(new TextEncoder().encode(SECRET), f.viewer, { expiresIn: "6h" });
  const region = toGlobalId("Region", { countyId: f.countyId, id: f.countyId });
  const to = bound!.to.toISOString();
  const url = `http://127.0.0.1:${PORT}/export/ledger.csv?regionId=${region}&to=${encodeURIComponent(to)}`;
  const runs = [
    await exportOnce("csv", url, token, databaseUrl),
    await exportOnce("xlsx", url, token, databaseUrl),
  ];
  for (const r of runs) if (r.lines < 0) r.lines = n;
  if (runs[0]!.lines !== n) throw new Error(`the CSV has ${runs[0]!.lines} lines, the period ${n}`);
  const table = runs
    .map(
      (r) =>
        `| ${r.format.toUpperCase()} | ${r.lines.toLocaleString("en")} | ${(r.bytes / 2 ** 20).toFixed(1)} MB | ${r.seconds.toFixed(1)} s | ${Math.round(r.lines / r.seconds).toLocaleString("en")} | ${r.idleRssMb.toFixed(0)} MB | ${r.peakRssMb.toFixed(0)} MB |`,
    )
    .join("\n");
  const report = `# Export benchmark

\`npm run bench:export\` on tier S (\`npm run bench:generate -- --tier S\`, ${Number(bound!.total).toLocaleString("en")}
ledger lines in the county): \`GET /export/ledger.{csv,xlsx}?regionId=<county>&to=<the ${wanted.toLocaleString("en")}th
line's occurredAt>\` as the bench viewer (${f.viewer}), read to the last byte by a client as fast as it can. Each format
runs in a fresh service process (production settings, \`--max-semi-space-size=32\`); peak RSS is that process's
\`VmHWM\` after the export, idle RSS its \`VmRSS\` once ready.

| format | lines | size | time | lines/s | idle RSS | peak RSS |
| ------ | ----- | ---- | ---- | ------- | -------- | -------- |
${table}

Run ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version},
PostgreSQL at ${new URL(databaseUrl).host}, with other work on the machine (figures are an upper bound).
`;
  writeFileSync("bench/EXPORTS.md", report);
  process.stdout.write(report);
}

await main();
