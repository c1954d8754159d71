import { migratePostgresDatabase } from "../src/db/migrate.js";
import { generateCatalogue } from "./generate/catalogue.js";
import { advanceSequences, countRows, runChecks } from "./generate/checks.js";
import { parseArgs, resolvePlan } from "./generate/config.js";
import { connect, DEFAULT_URL, ensureDatabase, hasRegions, resetSchemas } from "./generate/database.js";
import { generateDepots } from "./generate/depots.js";
import {
  insertConditionChanges,
  insertNorms,
  insertStockLevels,
  insertStockTakes,
  insertTestRuns,
} from "./generate/levels.js";
import { insertLots, insertMovements, planLots } from "./generate/lots.js";
import { Progress } from "./generate/progress.js";
import { generateRegions, generateUsers } from "./generate/regions.js";
import { insertRequisitions, planRequisitions } from "./generate/requisitions.js";
import type { Ctx } from "./generate/sql.js";

/**
 * `npm run bench:generate -- --tier S|M|L [--scale f] [--reset]`: a deterministic world on the PostgreSQL at
 * DATABASE_URL, written by the server itself (INSERT … SELECT over generate_series) in one transaction, then
 * checked: every balance must equal its ledger, or the run fails and nothing is kept.
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const plan = resolvePlan(args.tier, args.scale);
  const url = process.env.DATABASE_URL ?? DEFAULT_URL;
  const progress = new Progress();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`tier ${plan.tier}${plan.scale === 1 ? "" : ` at scale ${plan.scale}`} into ${redact(url)}`);

  await ensureDatabase(url);
  const sql = connect(url);
  try {
    if (await hasRegions(sql)) {
      if (!args.reset) throw new Error(`${redact(url)} already holds data: pass --reset to start it afresh`);
      await progress.step("drop the old data", () => resetSchemas(sql));
    }
    await progress.step("migrate", () => migratePostgresDatabase(url));

    const counts = await sql.begin(async (tx) => {
      const ctx: Ctx = {
        plan,
        progress,
        run: async (text) => (await tx.unsafe(text)).count,
        query: async <T extends object>(text: string) => (await tx.unsafe(text)) as unknown as T[],
      };
      // a bulk load has nothing to wait for: losing it in a crash only means running it again
      await tx.unsafe(`set local synchronous_commit = off`);
      await tx.unsafe(`set local work_mem = '256MB'`);
      await progress.step("catalogue", () => generateCatalogue(ctx));
      await progress.step("regions", () => generateRegions(ctx));
      await progress.step("users", () => generateUsers(ctx));
      await progress.step("depots", () => generateDepots(ctx));
      const lines = await progress.step(
        "plan lots",
        () => planLots(ctx),
        (n) => `${n.toLocaleString("en")} ledger lines planned`,
      );
      await progress.step("plan requisitions", () => planRequisitions(ctx));
      await progress.step("lots", () => insertLots(ctx), rows);
      await progress.step(
        "ledger",
        () => insertMovements(ctx),
        (n) => `${rows(n)} of ${rows(lines)}`,
      );
      await progress.step(
        "requisitions",
        () => insertRequisitions(ctx),
        (n) => `${rows(n)} in transit`,
      );
      await progress.step("stock levels", () => insertStockLevels(ctx), rows);
      await progress.step("reserve norms", () => insertNorms(ctx), rows);
      await progress.step("stock-takes", () => insertStockTakes(ctx), rows);
      await progress.step("test runs", () => insertTestRuns(ctx), rows);
      await progress.step("condition changes", () => insertConditionChanges(ctx), rows);
      await progress.step("sequences", () => advanceSequences(ctx));
      const results = await progress.step("checks", () => runChecks(ctx));
      const failed = results.filter((r) => r.failures !== 0);
      for (const r of results)
        log(`  ${r.failures === 0 ? "ok  " : "FAIL"} ${r.name} (${r.seconds.toFixed(1)}s)`);
      if (failed.length > 0) throw new Error(`${failed.length} check(s) failed: nothing was kept`);
      return countRows(ctx);
    });
    await progress.step("analyze", () => sql.unsafe("analyze"));

    const summary = { tier: plan.tier, scale: plan.scale, anchor: plan.anchor, rows: counts };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    log(`done in ${progress.totalSeconds().toFixed(0)} s`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const rows = (n: number) => `${n.toLocaleString("en")} rows`;

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

main().catch((e: unknown) => {
  process.stderr.write(`\nbench:generate failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
