import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError, loadConfig } from "../config.js";
import { openDatabase } from "../db/client.js";
import { DataDirInUse, lockDataDir } from "../shared/dataDirLock.js";

// `npm run backup -- <file>`: the whole database at DATABASE_URL (pg_dump's custom format, consistent while the
// service runs), or the embedded data folder (PGlite's own dump, gzip tar). The folder must not be in use: a copy of
// a folder a live process writes to is not consistent, so a running service's folder is refused (decision 28).
const USAGE = "usage: npm run backup -- <file>";

function pgDump(url: string, file: string): void {
  const done = spawnSync(
    process.env.PG_DUMP ?? "pg_dump",
    ["--format=custom", "--file", file, "--dbname", url],
    {
      stdio: ["ignore", "inherit", "pipe"],
      encoding: "utf8",
    },
  );
  if (done.error)
    throw new ConfigError(`pg_dump could not run (${done.error.message}); install PostgreSQL's client`);
  if (done.status !== 0) throw new ConfigError(`pg_dump failed: ${done.stderr.trim().split("\n")[0] ?? ""}`);
}

async function dumpEmbedded(dataDir: string, file: string): Promise<void> {
  // opening a missing folder would create an empty database and back that up
  if (!existsSync(path.join(dataDir, "pglite", "PG_VERSION")))
    throw new ConfigError(`there is no embedded database in ${dataDir}: set DATA_DIR (or DATABASE_URL)`);
  const lock = lockDataDir(dataDir);
  try {
    const database = await openDatabase({ dataDir: `${dataDir}/pglite` });
    try {
      const dump = await database.pglite!.dumpDataDir("gzip");
      await writeFile(file, Buffer.from(await dump.arrayBuffer()));
    } finally {
      await database.close();
    }
  } finally {
    lock.release();
  }
}

async function main(args: string[]): Promise<void> {
  if (args.length !== 1 || !args[0] || args[0].startsWith("--")) throw new ConfigError(USAGE);
  const file = path.resolve(args[0]);
  const config = loadConfig({ ...process.env, NODE_ENV: "development" });
  if (config.DATABASE_URL) pgDump(config.DATABASE_URL, file);
  else await dumpEmbedded(config.dataDir, file);
  console.log(`backed up ${config.DATABASE_URL ? "the PostgreSQL database" : config.dataDir} to ${file}`);
}

try {
  await main(process.argv.slice(2));
} catch (e) {
  const message =
    e instanceof ConfigError || e instanceof DataDirInUse || e instanceof Error ? e.message : String(e);
  console.error(`backup: ${message}`);
  process.exit(1);
}
