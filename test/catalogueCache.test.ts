import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOGUE_TTL_MS, CatalogueCache } from "../src/db/catalogueCache.js";
import type { Database } from "../src/db/client.js";
import * as catalogueWrites from "../src/db/repositories/catalogue.writes.js";
import { openTestDatabase } from "./support/service.js";

let database: Database;
let drop: () => Promise<void>;
let clock = 1_000_000;

beforeAll(async () => {
  ({ database, drop } = await openTestDatabase());
  await catalogueWrites.upsertUnit(database.db, { code: "piece", nameZh: "件", nameEn: "piece", scale: 0 });
});
afterAll(() => drop());

const addItem = (code: string) =>
  catalogueWrites.insertItem(database.db, {
    code,
    nameZh: code,
    nameEn: code,
    category: "FLOOD_CONTROL",
    unitCode: "piece",
    trackingMode: "BULK",
    returnable: false,
  });

describe("the in-memory catalogue", () => {
  it("answers from memory until its lifetime is over, then reads again", async () => {
    const bag = await addItem("CACHE_BAG");
    const cache = new CatalogueCache(database.db, () => clock);
    const before = database.statements();
    expect((await cache.items([bag.id]))[0]?.code).toBe("CACHE_BAG");
    const afterFirst = database.statements();
    expect(afterFirst - before).toBe(2); // items and units, once
    await cache.items([bag.id]);
    await cache.units(["piece"]);
    expect(database.statements()).toBe(afterFirst);
    clock += CATALOGUE_TTL_MS;
    await cache.items([bag.id]);
    expect(database.statements()).toBe(afterFirst + 2);
  });

  it("sees an item added since its last read, and says null for one that does not exist", async () => {
    const cache = new CatalogueCache(database.db, () => clock);
    await cache.items([]);
    const rope = await addItem("CACHE_ROPE");
    clock += 2_000;
    expect((await cache.items([rope.id, 987_654]))[0]?.code).toBe("CACHE_ROPE");
    expect((await cache.items([987_654]))[0]).toBeNull();
  });

  it("finds an item another process added within a second of its last read, with one statement for it", async () => {
    const cache = new CatalogueCache(database.db, () => clock);
    await cache.items([]);
    const net = await addItem("CACHE_NET"); // written by another process: this one was never told
    const before = database.statements();
    expect((await cache.items([net.id]))[0]?.code).toBe("CACHE_NET");
    expect(database.statements() - before).toBe(1);
    // kept from then on
    expect((await cache.items([net.id]))[0]?.code).toBe("CACHE_NET");
    expect(database.statements() - before).toBe(1);
  });

  it("loads through a transaction it is given, and sees the transaction's own items", async () => {
    const cache = new CatalogueCache(database.db, () => clock);
    // on the embedded engine a read outside an open transaction waits for it: a load due inside a command must go
    // through the command's transaction or it would never finish
    const found = await database.db.transaction(async (tx) => {
      const pump = await catalogueWrites.insertItem(tx, {
        code: "CACHE_PUMP",
        nameZh: "CACHE_PUMP",
        nameEn: "CACHE_PUMP",
        category: "FLOOD_CONTROL",
        unitCode: "piece",
        trackingMode: "SERIAL",
        returnable: true,
      });
      return (await cache.items([pump.id], tx))[0]?.code;
    });
    expect(found).toBe("CACHE_PUMP");
  });

  it("shares one read among requests that arrive together", async () => {
    const cache = new CatalogueCache(database.db, () => clock);
    const before = database.statements();
    await Promise.all([cache.items([1]), cache.items([2]), cache.units(["piece"])]);
    expect(database.statements() - before).toBe(2);
  });
});
