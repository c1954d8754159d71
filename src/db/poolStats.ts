import { sql } from "drizzle-orm";
import type { Database } from "./client.js";

/**
 * The server's view of this service's connections, by state (active, idle, idle in transaction). postgres.js
 * exposes no count of busy connections or queued queries, so PostgreSQL's pg_stat_activity stands in; PGlite is
 * one in-process connection and has none to report.
 */
export async function connectionStates(database: Database): Promise<Map<string, number> | null> {
  if (database.engine !== "postgres") return null;
  const rows = (await database.db.execute(sql`
    select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity
     where datname = current_database() and application_name = current_setting('application_name')
     group by 1`)) as unknown as { state: string; n: number }[];
  return new Map(rows.map((r) => [r.state, r.n]));
}
