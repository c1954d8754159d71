import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActorCache } from "../src/db/actorCache.js";
import { aGrant, aNewcomer, userIdOf } from "./support/edgeFactories.js";
import { aCounty, aPerson, type County, unique } from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";

let svc: TestService;
/** A county of its own, whose administrator grants and revokes. */
let county: County;
let clock = 0;

beforeAll(async () => {
  svc = await startTestService();
  county = await aCounty(svc);
});
afterAll(() => svc.stop());

const rolesOf = (loaded: Awaited<ReturnType<ActorCache["load"]>>) => loaded?.actor.grants.map((g) => g.role);

describe("viewers remembered between requests", () => {
  it("keeps a viewer's grants for its lifetime, then sees a revocation", async () => {
    const officer = await aPerson(county, "COUNTY_OFFICER");
    const cache = new ActorCache(svc.database.db, () => clock);
    expect(rolesOf(await cache.load(officer, 5_000))).toEqual(["COUNTY_OFFICER"]);

    // the county's administrator revokes it through the API (another process, as far as this cache knows)
    await aGrant(county, await userIdOf(svc, officer), "COUNTY_OFFICER", { revoke: true });

    const before = svc.database.statements();
    clock += 4_999;
    expect(rolesOf(await cache.load(officer, 5_000))).toEqual(["COUNTY_OFFICER"]);
    expect(svc.database.statements()).toBe(before);
    clock += 1;
    expect(rolesOf(await cache.load(officer, 5_000))).toEqual([]);
  });

  it("never remembers an unknown username, so a new user can sign in at once", async () => {
    const cache = new ActorCache(svc.database.db, () => clock);
    const newcomer = `cache.newcomer.${unique()}`;
    expect(await cache.load(newcomer, 5_000)).toBeNull();

    await aNewcomer(county, newcomer);

    expect((await cache.load(newcomer, 5_000))?.user.username).toBe(newcomer);
  });

  it("with a lifetime of 0, reads on every request", async () => {
    const cache = new ActorCache(svc.database.db, () => clock);
    await cache.load(county.officer, 0);
    const before = svc.database.statements();
    await cache.load(county.officer, 0);
    expect(svc.database.statements()).toBe(before + 1);
  });
});
