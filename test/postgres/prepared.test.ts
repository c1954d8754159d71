import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { rowsOf } from "../../src/db/keys.js";
import { adminUrl } from "../support/engine.js";

describe("statements on PostgreSQL", () => {
  it("are prepared, in and out of transactions, and planned for their own parameters", async () => {
    const database = await openDatabase({ databaseUrl: adminUrl, maxConnections: 1 });
    try {
      const ask = sql`select name, current_setting('plan_cache_mode') as mode from pg_prepared_statements
                       where statement like ${"%pg_prepared_statements%"}`;
      const outside = rowsOf<{ name: string; mode: string }>(await database.db.execute(ask));
      // the statement finds itself among the connection's prepared statements
      expect(outside).toHaveLength(1);
      expect(outside[0]!.mode).toBe("force_custom_plan");
      const inside = await database.db.transaction(async (tx) =>
        rowsOf<{ name: string }>(
          await tx.execute(sql`select name from pg_prepared_statements
          where statement like ${"%from pg_prepared_statements%where statement like%"} and ${1} = 1`),
        ),
      );
      expect(inside.length).toBeGreaterThanOrEqual(2);
    } finally {
      await database.close();
    }
  });
});
