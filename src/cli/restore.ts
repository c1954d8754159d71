import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import { open, readFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError, loadConfig } from "../config.js";
import { openDatabase } from "../db/client.js";
import { dropServiceSchemas, tablesIn } from "../db/migrate.js";
import { DataDirInUse, lockDataDir } from "../shared/dataDirLock.js";

// `npm run restore -- <file> [--force]`: a backup into the database at DATABASE_URL (an existing, empty database) or
// into DATA_DIR. A target that already holds books is refused unless --force, which replaces them whole.
const USAGE = "usage: npm run restore -- <file> [--force]";

/** pg_dump's custom format starts with PGDMP; PGlite's dump is a tar, gzip-compressed. */
async function kindOf(file: string): Promise<"postgres" | "pglite"> {
  const handle = await open(file, "r").catch(() => {
    throw new ConfigError(`cannot read ${file}`);
  });
  try {
    const head = Buffer.alloc(5);
    await handle.read(head, 0, 5, 0);
    if (head.toString("latin1") === "PGDMP") return "postgres";
    if (head[0] === 0x1f && head[1] === 0x8b) return "pglite";
    throw new ConfigError(`${file} is not a backup made by npm run backup`);
  } finally {
    await handle.close();
  }
}

async function restorePostgres(url: string, file: string, force: boolean): Promise<void> {
  const database = await openDatabase({ databaseUrl: url, maxConnections: 1 });
  const tables = await tablesIn(database).finally(() => database.close());
  if (tables > 0 && !force)
    throw new ConfigError(
      `the database already holds ${tables} tables; nothing was changed (--force replaces them)`,
    );
  if (tables > 0) await dropServiceSchemas(url);
  // owners and grants are the target's business: objects belong to whoever restores, and the service role gets its
  // grants again from `npm run migrate -- --service-role <role>`
  const done = spawnSync(
    process.env.PG_RESTORE ?? "pg_restore",
    ["--no-owner", "--no-acl", "--exit-on-error", "--single-transaction", "--dbname", url, file],
    { stdio: ["ignore", "inherit", "pipe"], encoding: "utf8" },
  );
  if (done.error) throw new ConfigError(`pg_restore could not run (${done.error.message})`);
  if (done.status !== 0)
    throw new ConfigError(`pg_restore failed: ${done.stderr.trim().split("\n")[0] ?? ""}`);
}

async function restoreEmbedded(dataDir: string, file: string, force: boolean): Promise<void> {
  const lock = lockDataDir(dataDir);
  try {
    const target = path.join(dataDir, "pglite");
    if (existsSync(target) && readdirSync(target).length > 0 && !force)
      throw new ConfigError(`${target} already holds a database; nothing was changed (--force replaces it)`);
    // loaded beside the target first: a damaged backup leaves the folder as it was
    const staging = `${target}.restoring`;
    rmSync(staging, { recursive: true, force: true });
    const database = await openDatabase({ dataDir: staging, loadDataDir: new Blob([await readFile(file)]) });
    await database.close();
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } finally {
    lock.release();
  }
}

async function main(args: string[]): Promise<void> {
  const force = args.includes("--force");
  const files = args.filter((a) => a !== "--force");
  if (files.length !== 1 || files[0]!.startsWith("--")) throw new ConfigError(USAGE);
  const file = path.resolve(files[0]!);
  const config = loadConfig({ ...process.env, NODE_ENV: "development" });
  const kind = await kindOf(file);
  if ((kind === "postgres") !== !!config.DATABASE_URL)
    throw new ConfigError(
      kind === "postgres"
        ? `${file} is a PostgreSQL backup: set DATABASE_URL to the database to restore into`
        : `${file} is an embedded (PGlite) backup: unset DATABASE_URL and set DATA_DIR`,
    );
  if (config.DATABASE_URL) await restorePostgres(config.DATABASE_URL, file, force);
  else await restoreEmbedded(config.dataDir, file, force);
  console.log(`restored ${file} into ${config.DATABASE_URL ? "the PostgreSQL database" : config.dataDir}`);
}

try {
  await main(process.argv.slice(2));
} catch (e) {
  const message =
    e instanceof ConfigError || e instanceof DataDirInUse || e instanceof Error ? e.message : String(e);
  console.error(`restore: ${message}`);
  process.exit(1);
}
