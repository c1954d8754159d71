import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActorCache } from "../src/db/actorCache.js";
import type { Database } from "../src/db/client.js";
import * as userWrites from "../src/db/repositories/users.writes.js";
import { openTestDatabase } from "./support/service.js";
import { query, sql } from "./support/sql.js";

let database: Database;
let drop: () => Promise<void>;
let clock = 0;

beforeAll(async () => {
  ({ database, drop } = await openTestDatabase());
  await query(
    database,
    sql`insert into regions (county_id, id, parent_id, level, division_code, name_zh, name_en, population)
        values (7, 7, null, 'COUNTY', '419007000000', '测试县', 'Test County', 1000)`,
  );
});
afterAll(() => drop());

const rolesOf = (loaded: Awaited<ReturnType<ActorCache["load"]>>) => loaded?.actor.grants.map((g) => g.role);

describe("viewers remembered between requests", () => {
  it("keeps a viewer's grants for its lifetime, then sees a revocation", async () => {
    const u = await userWrites.insert(database.db, {
      username: "cache.officer",
      displayName: "甲",
      organisation: "",
    });
    await userWrites.grant(database.db, { countyId: 7, userId: u.id, role: "COUNTY_OFFICER", regionId: 7 });
    const cache = new ActorCache(database.db, () => clock);
    expect(rolesOf(await cache.load("cache.officer", 5_000))).toEqual(["COUNTY_OFFICER"]);
    await query(database, sql`delete from role_grants where user_id = ${u.id}`);
    const before = database.statements();
    clock += 4_999;
    expect(rolesOf(await cache.load("cache.officer", 5_000))).toEqual(["COUNTY_OFFICER"]);
    expect(database.statements()).toBe(before);
    clock += 1;
    expect(rolesOf(await cache.load("cache.officer", 5_000))).toEqual([]);
  });

  it("never remembers an unknown username, so a new user can sign in at once", async () => {
    const cache = new ActorCache(database.db, () => clock);
    expect(await cache.load("cache.newcomer", 5_000)).toBeNull();
    await userWrites.insert(database.db, { username: "cache.newcomer", displayName: "乙", organisation: "" });
    expect((await cache.load("cache.newcomer", 5_000))?.user.username).toBe("cache.newcomer");
  });

  it("with a lifetime of 0, reads on every request", async () => {
    const cache = new ActorCache(database.db, () => clock);
    await cache.load("cache.officer", 0);
    const before = database.statements();
    await cache.load("cache.officer", 0);
    expect(database.statements()).toBe(before + 1);
  });
});
