import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/db/client.js";
import { REGION_TTL_MS, RegionCache } from "../src/db/regionCache.js";
import * as regionWrites from "../src/db/repositories/regions.writes.js";
import { openTestDatabase } from "./support/service.js";
import { query, sql } from "./support/sql.js";

let database: Database;
let drop: () => Promise<void>;
let clock = 1_000_000;

beforeAll(async () => ({ database, drop } = await openTestDatabase()));
afterAll(() => drop());

const region = (divisionCode: string, nameZh: string) => ({
  level: "COUNTY" as const,
  divisionCode,
  nameZh,
  nameEn: nameZh,
  population: 1000,
});

describe("the in-memory copy of regions", () => {
  it("reads a region once, answers from memory for its lifetime, then reads it again", async () => {
    const county = await regionWrites.insertCounty(database.db, region("419100000000", "甲县"));
    const cache = new RegionCache(database.db, () => clock);
    const key = { countyId: county.countyId, id: county.id };
    const before = database.statements();
    expect((await cache.rows([key]))[0]?.nameZh).toBe("甲县");
    expect(database.statements() - before).toBe(1);
    // a correction made in the database directly shows once the lifetime is over, not before
    await query(database, sql`update regions set name_zh = '乙县' where county_id = ${county.countyId}`);
    const afterFirst = database.statements();
    expect((await cache.rows([key]))[0]?.nameZh).toBe("甲县");
    expect(database.statements()).toBe(afterFirst);
    clock += REGION_TTL_MS;
    expect((await cache.rows([key]))[0]?.nameZh).toBe("乙县");
  });

  it("finds a region provisioned after it was first asked, and says null for a key with no region", async () => {
    const cache = new RegionCache(database.db, () => clock);
    const absent = { countyId: 999_999, id: 999_999 };
    expect(await cache.rows([absent])).toEqual([null]);
    const county = await regionWrites.insertCounty(database.db, region("419200000000", "丙县"));
    const rows = await cache.rows([{ countyId: county.countyId, id: county.id }, absent]);
    expect(rows.map((r) => r?.nameZh ?? null)).toEqual(["丙县", null]);
  });
});
