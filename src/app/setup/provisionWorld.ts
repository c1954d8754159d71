import type { WorldSeed } from "./world.js";
import { actorCacheOf } from "../../db/actorCache.js";
import { regionsOf } from "../../db/regionCache.js";
import { catalogueOf } from "../../db/catalogueCache.js";
import * as catalogue from "../../db/repositories/catalogue.js";
import * as catalogueWrites from "../../db/repositories/catalogue.writes.js";
import * as depotWrites from "../../db/repositories/depots.writes.js";
import * as keeperWrites from "../../db/repositories/depotKeepers.writes.js";
import * as normWrites from "../../db/repositories/reserveNorms.writes.js";
import * as regionWrites from "../../db/repositories/regions.writes.js";
import * as userWrites from "../../db/repositories/users.writes.js";
import { applyFloors } from "../coverage/floors.js";
import type { Executor } from "../../db/client.js";
import { type AppDeps, inTransaction } from "../deps.js";
import { MAX_SCALE, parseQuantity } from "../../domain/shared/quantity.js";

export interface ProvisionedWorld {
  countyId: number;
  regionIds: Map<string, number>;
  depotIds: Map<string, number>;
  itemIds: Map<string, number>;
  userIds: Map<string, number>;
}

type Seed = Omit<WorldSeed, "receipts">;

/**
 * Creates a county's structure (catalogue, region tree, neighbours, users and grants, depots and keepers) in one
 * transaction: an administrator's set-up step, with no stock. Stock arrives only through receipts.
 */
export async function provisionWorld(deps: AppDeps, seed: Seed): Promise<ProvisionedWorld> {
  const world = await inTransaction(deps, async (tx) => {
    const itemIds = await provisionCatalogue(tx, seed);
    const { countyId, regionIds } = await provisionRegions(tx, seed.county);
    const regionId = (code: string): number => {
      const id = regionIds.get(code);
      if (id === undefined) throw new Error(`seed names unknown region ${code}`);
      return id;
    };
    for (const n of seed.county.neighbours)
      await regionWrites.linkNeighbours(tx, countyId, regionId(n.a), regionId(n.b), n.travelMinutes);
    const userIds = await provisionUsers(tx, seed, countyId, regionId);
    const depotIds = await provisionDepots(tx, seed, countyId, regionId, userIds);
    await provisionNorms(tx, seed, countyId, regionId, { itemIds, userIds });
    return { countyId, regionIds, depotIds, itemIds, userIds };
  });
  // the catalogue may have grown: readers must not wait out the cache's lifetime to see it
  catalogueOf(deps.database.db).invalidate();
  actorCacheOf(deps.database.db).clear();
  regionsOf(deps.database.db).clear();
  return world;
}

/** Units and items; an item already in the catalogue (by code) is kept as it is. */
async function provisionCatalogue(tx: Executor, seed: Seed): Promise<Map<string, number>> {
  for (const unit of seed.units) await catalogueWrites.upsertUnit(tx, unit);
  const itemIds = new Map<string, number>();
  const existing = await catalogue.findItemsByCodes(
    tx,
    seed.items.map((i) => i.code),
  );
  for (const row of existing) itemIds.set(row.code, row.id);
  for (const item of seed.items) {
    if (itemIds.has(item.code)) continue;
    const row = await catalogueWrites.insertItem(tx, {
      ...item,
      shelfLifeDays: item.shelfLifeDays ?? null,
      rotationLeadDays: item.rotationLeadDays ?? null,
      testRunIntervalDays: item.testRunIntervalDays ?? null,
    });
    itemIds.set(row.code, row.id);
  }
  return itemIds;
}

/** The county, its townships and their villages, by division code. */
async function provisionRegions(tx: Executor, seed: Seed["county"]) {
  const { townships, neighbours: _neighbours, ...countySeed } = seed;
  const county = await regionWrites.insertCounty(tx, countySeed);
  const countyId = county.id;
  const regionIds = new Map([[county.divisionCode, county.id]]);
  for (const { villages, ...township } of townships) {
    const t = await regionWrites.insertChildRegion(tx, { countyId, id: county.id }, township);
    regionIds.set(t.divisionCode, t.id);
    for (const village of villages) {
      const v = await regionWrites.insertChildRegion(tx, { countyId, id: t.id }, village);
      regionIds.set(v.divisionCode, v.id);
    }
  }
  return { countyId, regionIds };
}

type RegionIdOf = (code: string) => number;

async function provisionUsers(tx: Executor, seed: Seed, countyId: number, regionId: RegionIdOf) {
  const userIds = new Map<string, number>();
  for (const u of seed.users) {
    const row = await userWrites.insert(tx, { ...u, homeCountyId: countyId });
    userIds.set(u.username, row.id);
    for (const g of u.grants) {
      await userWrites.grant(tx, {
        countyId,
        userId: row.id,
        role: g.role,
        regionId: regionId(g.regionCode),
      });
    }
  }
  return userIds;
}

async function provisionDepots(
  tx: Executor,
  seed: Seed,
  countyId: number,
  regionId: RegionIdOf,
  userIds: Map<string, number>,
) {
  const depotIds = new Map<string, number>();
  for (const { keepers, regionCode, ...d } of seed.depots) {
    const row = await depotWrites.insert(tx, { ...d, countyId, regionId: regionId(regionCode) });
    depotIds.set(d.code, row.id);
    for (const username of keepers) {
      const userId = userIds.get(username);
      if (userId === undefined) throw new Error(`seed names unknown keeper ${username}`);
      await keeperWrites.assign(tx, { countyId, id: row.id }, userId);
    }
  }
  return depotIds;
}

/** Norms, set in the name of the seed's first county officer, then the reserve floors they imply. */
async function provisionNorms(
  tx: Executor,
  seed: Seed,
  countyId: number,
  regionId: RegionIdOf,
  ids: { itemIds: Map<string, number>; userIds: Map<string, number> },
) {
  const setter = seed.users.find((u) => u.grants.some((g) => g.role === "COUNTY_OFFICER"));
  for (const n of seed.norms) {
    const itemId = ids.itemIds.get(n.itemCode);
    if (itemId === undefined || !setter)
      throw new Error(`seed norm names unknown item ${n.itemCode} or no county officer`);
    await normWrites.insert(tx, {
      countyId,
      itemId,
      regionId: n.regionCode ? regionId(n.regionCode) : null,
      level: n.level ?? null,
      basis: n.basis,
      quantity: parseQuantity(n.quantity, MAX_SCALE, ["norms", "quantity"]),
      reserveFloor: parseQuantity(n.reserveFloor ?? "0", MAX_SCALE, ["norms", "reserveFloor"], {
        allowZero: true,
      }),
      setBy: ids.userIds.get(setter.username)!,
    });
  }
  for (const itemId of new Set(seed.norms.map((n) => ids.itemIds.get(n.itemCode)!)))
    await applyFloors(tx, countyId, itemId);
}
