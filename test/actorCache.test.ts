import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ActorCache } from "../src/db/actorCache.js";
import * as users from "../src/db/repositories/users.js";
import { toGlobalId } from "../src/graphql/ids.js";
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

/** The county's administrator revokes a role over the county, through the API (another process, to this cache). */
async function revoke(username: string, role: string) {
  const loaded = await users.loadActor(svc.database.db, username);
  const res = await svc.gql<{ revokeRole: { userErrors: unknown[] } }>(
    "mutation($i: RoleGrantInput!) { revokeRole(input: $i) { userErrors { code } } }",
    { i: { userId: toGlobalId("User", loaded!.actor.userId), role, regionId: county.id } },
    county.admin,
  );
  expect(res.data!.revokeRole.userErrors).toEqual([]);
}

describe("viewers remembered between requests", () => {
  it("keeps a viewer's grants for its lifetime, then sees a revocation", async () => {
    const officer = await aPerson(county, "COUNTY_OFFICER");
    const cache = new ActorCache(svc.database.db, () => clock);
    expect(rolesOf(await cache.load(officer, 5_000))).toEqual(["COUNTY_OFFICER"]);

    await revoke(officer, "COUNTY_OFFICER");

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

    const res = await svc.gql<{ createUser: { userErrors: unknown[] } }>(
      `mutation($i: CreateUserInput!) { createUser(input: $i) { userErrors { code } } }`,
      { i: { countyId: county.id, username: newcomer, displayName: "乙", organisation: county.nameZh } },
      county.admin,
    );
    expect(res.data!.createUser.userErrors).toEqual([]);

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
