import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import { rowsOf } from "../../src/db/keys.js";
import { adminUrl } from "../support/engine.js";

describe("statements on PostgreSQL", () => {
  it("are prepared, in and out of transactions; a transaction's on generic plans, the rest on custom ones", async () => {
    const database = await openDatabase({ databaseUrl: adminUrl, maxConnections: 1 });
    try {
      // the same text inside and outside a transaction, on the pool's one connection: one prepared statement,
      // whose counters say which kind of plan each call ran on
      const lookup = (n: number) =>
        sql`select ${n}::int + 0 as n, current_setting('plan_cache_mode') as mode`;
      const plans = async () =>
        rowsOf<{ generic: number; custom: number }>(
          await database.db.execute(sql`select generic_plans::int as generic, custom_plans::int as custom
            from pg_prepared_statements where statement like ${"%::int + 0 as n, current_setting%"}`),
        );
      const outside = rowsOf<{ mode: string }>(await database.db.execute(lookup(1)));
      expect(outside[0]!.mode).toBe("force_custom_plan");
      expect(await plans()).toEqual([{ generic: 0, custom: 1 }]);
      const inside = await database.db.transaction(async (tx) => {
        const first = rowsOf<{ mode: string }>(await tx.execute(lookup(2)));
        await tx.execute(lookup(3));
        return first;
      });
      expect(inside[0]!.mode).toBe("force_generic_plan");
      // both calls ran on the statement's generic plan
      expect(await plans()).toEqual([{ generic: 2, custom: 1 }]);
      // the setting ended with the transaction
      expect(rowsOf<{ mode: string }>(await database.db.execute(lookup(4)))[0]!.mode).toBe(
        "force_custom_plan",
      );
      expect(await plans()).toEqual([{ generic: 2, custom: 2 }]);
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
