import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../src/db/client.js";
import { rowsOf } from "../../src/db/keys.js";

/** Direct SQL for cross-checks: tests compare what the API says with what the tables say. */
export async function query<T = Record<string, unknown>>(database: Database, statement: SQL): Promise<T[]> {
  return rowsOf<T>(await database.db.execute(statement));
}

export { sql };
