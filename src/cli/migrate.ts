import { ConfigError, loadConfig } from "../config.js";
import { type Database, openDatabase } from "../db/client.js";
import { grantServiceRole, migratePostgresDatabase, pendingMigrations } from "../db/migrate.js";
import { DataDirInUse, lockDataDir } from "../shared/dataDirLock.js";

// `npm run migrate [-- --service-role <role>]`: the migrations alone, for a release job run as the schema's owner,
// then (PostgreSQL) the grants of the role the service connects as. Run it again after every upgrade: new tables
// get their grants only then. Exits 0 when the database is at the newest schema.
const USAGE = "usage: npm run migrate [-- --service-role <role>]";

function serviceRole(args: string[]): string | null {
  const at = args.indexOf("--service-role");
  if (at < 0) return args.length ? usageError() : null;
  const role = args[at + 1];
  if (!role || args.length !== 2) return usageError();
  return role;
}

function usageError(): never {
  throw new ConfigError(USAGE);
}

async function pendingIn(open: () => Promise<Database>): Promise<string[]> {
  const database = await open();
  try {
    return await pendingMigrations(database);
  } finally {
    await database.close();
  }
}

async function migratePostgres(url: string, role: string | null): Promise<string[]> {
  const pending = await pendingIn(() => openDatabase({ databaseUrl: url, maxConnections: 1 }));
  await migratePostgresDatabase(url);
  if (role) await grantServiceRole(url, role);
  return pending;
}

async function migrateEmbedded(dataDir: string): Promise<string[]> {
  // the service holds the folder while it runs, and migrates at its own start anyway
  const lock = lockDataDir(dataDir);
  try {
    const open = () => openDatabase({ dataDir: `${dataDir}/pglite` });
    const pending = await pendingIn(open);
    await (await openDatabase({ dataDir: `${dataDir}/pglite`, migrate: true })).close();
    return pending;
  } finally {
    lock.release();
  }
}

async function main(args: string[]): Promise<void> {
  const role = serviceRole(args);
  // only the database settings matter to a release job; the service's own (JWT_SECRET…) need not be set here
  const config = loadConfig({ ...process.env, NODE_ENV: "development" });
  if (role && !config.DATABASE_URL)
    throw new ConfigError("--service-role needs DATABASE_URL: the embedded database has no roles");
  const applied = config.DATABASE_URL
    ? await migratePostgres(config.DATABASE_URL, role)
    : await migrateEmbedded(config.dataDir);
  console.log(
    applied.length
      ? `migrated: applied ${applied.join(", ")}`
      : "migrated: the database was already up to date",
  );
  if (role) console.log(`granted the service's privileges to ${role}`);
}

try {
  await main(process.argv.slice(2));
} catch (e) {
  // one line for the release job's log: configuration, a held folder, or the database's own refusal
  const message =
    e instanceof ConfigError || e instanceof DataDirInUse || e instanceof Error ? e.message : String(e);
  console.error(`migrate: ${message}`);
  process.exit(1);
}
