import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import type { Database } from "./client.js";
import { rowsOf } from "./keys.js";

export const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

// Any constant works; it only has to be the same for every replica starting at once.
const MIGRATION_LOCK = 727_001;

/**
 * Applies pending migrations on PostgreSQL under an advisory lock, so replicas starting together do not race:
 * drizzle's migrator takes no lock of its own.
 */
export async function migratePostgresDatabase(databaseUrl: string): Promise<void> {
  const client = postgres(databaseUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await migratePostgres(drizzlePostgres(client), { migrationsFolder });
    } finally {
      await client`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** PGlite serves one connection, so there is nobody to race. */
export async function migratePgliteDatabase(pglite: PGlite): Promise<void> {
  await migratePglite(drizzlePglite(pglite), { migrationsFolder });
}

/**
 * Tables whose rows are history: the service adds to them and never changes or removes a row. Its role gets no
 * UPDATE or DELETE on them (decision 27); movements and audit_events also refuse both by trigger, even to the owner.
 * A new table is mutable unless it is named here.
 */
export const APPEND_ONLY_TABLES = [
  "movements",
  "audit_events",
  "requisition_events",
  "requisition_approvals",
  "lot_condition_changes",
  "test_runs",
  "depot_handovers",
] as const;

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The privileges the service needs and nothing more, for a role that does not own the tables: read and add to
 * every table, change and remove rows only outside history, draw ids, read which migrations are applied. No
 * TRUNCATE, no ALTER (so no switching a trigger off): those stay with the owner that migrates. Revoked first, so a
 * re-run after each migration leaves exactly this set, new tables included.
 */
export function serviceRoleGrants(role: string): string[] {
  if (!ROLE_NAME.test(role)) throw new Error(`not a plain role name: ${role}`);
  const history = APPEND_ONLY_TABLES.map((t) => `public.${t}`).join(", ");
  return [
    `revoke all on all tables in schema public from ${role}`,
    `revoke all on all sequences in schema public from ${role}`,
    `revoke create on schema public from ${role}`,
    `grant usage on schema public to ${role}`,
    `grant select, insert on all tables in schema public to ${role}`,
    `grant update, delete on all tables in schema public to ${role}`,
    `revoke update, delete on ${history} from ${role}`,
    `grant usage on all sequences in schema public to ${role}`,
    `grant usage on schema drizzle to ${role}`,
    `grant select on drizzle.__drizzle_migrations to ${role}`,
  ];
}

/** Applies the service role's grants in one transaction; the role must exist (the operator creates it, with its password). */
export async function grantServiceRole(databaseUrl: string, role: string): Promise<void> {
  const statements = serviceRoleGrants(role);
  const client = postgres(databaseUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    const [found] = await client`select 1 from pg_roles where rolname = ${role}`;
    if (!found)
      throw new Error(`the role ${role} does not exist: create role ${role} login password '…' first`);
    await client.begin(async (tx) => {
      for (const s of statements) await tx.unsafe(s);
    });
  } finally {
    await client.end({ timeout: 5 });
  }
}

// undefined_table, invalid_schema_name
const NOTHING_APPLIED = new Set<string | undefined>(["42P01", "3F000"]);

/** drizzle wraps a driver's error; the SQLSTATE is on it or on its cause. */
function sqlStateOf(e: unknown): string | undefined {
  const err = e as { code?: unknown; cause?: { code?: unknown } };
  const code = typeof err?.code === "string" ? err.code : err?.cause?.code;
  return typeof code === "string" ? code : undefined;
}

/** The journal's migrations this database has not applied yet (drizzle applies those newer than its latest). */
export async function pendingMigrations(database: Database): Promise<string[]> {
  const query = async (text: string) =>
    rowsOf<{ when: string | null }>(await database.db.execute(sql.raw(text)));
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta/_journal.json"), "utf8")) as {
    entries: { tag: string; when: number }[];
  };
  let latest = 0;
  try {
    const [row] = await query("select max(created_at)::text as when from drizzle.__drizzle_migrations");
    latest = Number(row?.when ?? 0);
  } catch (e) {
    // no journal table (or no drizzle schema) is a database nothing was applied to; anything else is a real failure
    if (!NOTHING_APPLIED.has(sqlStateOf(e))) throw e;
  }
  return journal.entries.filter((e) => e.when > latest).map((e) => e.tag);
}

export class DatabaseNotMigrated extends Error {
  override name = "DatabaseNotMigrated";
}

/**
 * With MIGRATE_ON_START=false the service never changes the schema (its role may not): it starts only on a database
 * a release job has migrated, and otherwise stops at once with one line saying what to run.
 */
export async function assertMigrated(database: Database): Promise<void> {
  const pending = await pendingMigrations(database);
  if (pending.length > 0)
    throw new DatabaseNotMigrated(
      `the database lacks ${pending.length} migration(s), ${pending[0]} first: run \`npm run migrate\` as the schema's owner`,
    );
}

/** Tables in the schemas a restore would write (public, drizzle): an empty database has none. */
export async function tablesIn(database: Database): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await database.db.execute(
      sql`select count(*)::int as n from pg_tables where schemaname in ('public', 'drizzle')`,
    ),
  );
  return row?.n ?? 0;
}

/** Everything a restore with --force replaces: the service's tables and the migrations journal, as if new. */
export async function dropServiceSchemas(databaseUrl: string): Promise<void> {
  const client = postgres(databaseUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await client.begin(async (tx) => {
      await tx.unsafe("drop schema if exists drizzle cascade");
      await tx.unsafe("drop schema if exists public cascade");
      await tx.unsafe("create schema public");
    });
  } finally {
    await client.end({ timeout: 5 });
  }
}
