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

  it("compiled reads keep generic plans on their own half of the pool, and the pool's size caps both", async () => {
    const database = await openDatabase({ databaseUrl: adminUrl, maxConnections: 4 });
    const mode = sql`select current_setting('plan_cache_mode') as mode`;
    try {
      expect(rowsOf<{ mode: string }>(await database.reads.execute(mode))[0]!.mode).toBe(
        "force_generic_plan",
      );
      expect(rowsOf<{ mode: string }>(await database.db.execute(mode))[0]!.mode).toBe("force_custom_plan");
      // ten statements at once on each side, each holding its connection for a while: each side opens its two
      const pids = (db: typeof database.db) =>
        Promise.all(
          Array.from({ length: 10 }, async () => {
            const rows = rowsOf<{ pid: number }>(
              await db.execute(sql`select pg_backend_pid() as pid, pg_sleep(0.05)`),
            );
            return rows[0]!.pid;
          }),
        ).then((all) => new Set(all));
      const [commands, reads] = await Promise.all([pids(database.db), pids(database.reads)]);
      expect(commands.size).toBe(2);
      expect(reads.size).toBe(2);
      expect([...commands].filter((p) => reads.has(p))).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
