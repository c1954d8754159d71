import { asc } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/db/client.js";
import { rowsOf } from "../src/db/keys.js";
import { depots, lots, movements, stockLevels } from "../src/db/schema/index.js";
import { runStatement, TableRows } from "../src/db/statements.js";
import { openTestDatabase } from "./support/service.js";

let database: Database;
let drop: () => Promise<void>;

beforeAll(async () => ({ database, drop } = await openTestDatabase()));
afterAll(() => drop());

describe("rows of a written statement", () => {
  it.each([
    ["lots", lots, [lots.countyId, lots.id]],
    ["movements", movements, [movements.countyId, movements.id]],
    ["depots", depots, [depots.countyId, depots.id]],
    ["stock_levels", stockLevels, [stockLevels.countyId, stockLevels.depotId, stockLevels.itemId]],
  ] as const)(
    "of %s decode to what drizzle's select answers, column for column",
    async (name, table, key) => {
      const built = await database.db
        .select()
        .from(table)
        .orderBy(...key.map((c) => asc(c)))
        .limit(50);
      expect(built.length).toBeGreaterThan(0);
      const order = key.map((c) => c.name).join(", ");
      const raw = rowsOf<Record<string, unknown>>(
        await runStatement(database.db, `select * from ${name} order by ${order} limit 50`, []),
      );
      const rows = new TableRows(table);
      expect(raw.map((r) => rows.decode(r))).toEqual(built);
    },
  );
});
