import postgres from "postgres";

export const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench";

export type Client = postgres.Sql;

export const connect = (url: string): Client =>
  postgres(url, { max: 1, connect_timeout: 10, onnotice: () => {}, idle_timeout: 0 });

/** Creates the target database when it is missing, from whichever maintenance database answers. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ""));
  if (!name) throw new Error("DATABASE_URL names no database");
  let lastError: unknown;
  for (const maintenance of ["postgres", "test"]) {
    const admin = new URL(url);
    admin.pathname = `/${maintenance}`;
    const sql = connect(admin.toString());
    try {
      const found = await sql`select 1 from pg_database where datname = ${name}`;
      if (found.length === 0) await sql.unsafe(`create database "${name.replaceAll('"', '""')}"`);
      return;
    } catch (e) {
      lastError = e;
    } finally {
      await sql.end({ timeout: 5 });
    }
  }
  throw lastError;
}

/** Whether the service's tables exist and already describe a world: then generating on top would mix data. */
export async function hasRegions(sql: Client): Promise<boolean> {
  const [row] = await sql<
    { present: string | null }[]
  >`select to_regclass('public.regions')::text as present`;
  if (!row?.present) return false;
  const rows = await sql`select 1 from public.regions limit 1`;
  return rows.length > 0;
}

/** Starts from nothing: both schemas the migrations write, so migrating again rebuilds everything. */
export async function resetSchemas(sql: Client): Promise<void> {
  await sql.unsafe(`drop schema if exists drizzle cascade`);
  await sql.unsafe(`drop schema if exists public cascade`);
  await sql.unsafe(`create schema public`);
}
