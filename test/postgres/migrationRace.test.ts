import { readFileSync } from "node:fs";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { migratePostgresDatabase } from "../../src/db/migrate.js";
import { withEmptyDatabase } from "../support/engine.js";

const journal = JSON.parse(
  readFileSync(new URL("../../src/db/migrations/meta/_journal.json", import.meta.url), "utf8"),
) as { entries: unknown[] };

describe("start-up migration on PostgreSQL", () => {
  it("replicas starting together migrate once, under the advisory lock", async () => {
    await withEmptyDatabase("rl_race", async (url) => {
      await Promise.all([1, 2, 3, 4].map(() => migratePostgresDatabase(url)));
      const db = postgres(url, { max: 1, onnotice: () => {} });
      const [row] = await db`select count(*)::int as n from drizzle.__drizzle_migrations`;
      const [tables] = await db`select count(*)::int as n from pg_tables where schemaname = 'public'`;
      await db.end();
      // each migration of the journal applied exactly once, however many replicas raced
      expect(row!.n).toBe(journal.entries.length);
      expect(tables!.n).toBe(31);
    });
  });
});
