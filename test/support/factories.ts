import { createItem } from "../../src/app/admin/catalogue.js";
import { createDepot } from "../../src/app/admin/depots.js";
import { grantRole } from "../../src/app/admin/grants.js";
import { assignKeeper } from "../../src/app/admin/keepers.js";
import { createUser } from "../../src/app/admin/people.js";
import { createRegion, setMutualAid } from "../../src/app/admin/places.js";
import { provisionWorld } from "../../src/app/setup/provisionWorld.js";
import type { WorldSeed } from "../../src/app/setup/world.js";
import * as users from "../../src/db/repositories/users.js";
import type { ItemCategory } from "../../src/domain/catalogue/item.js";
import type { Actor } from "../../src/domain/custody/actor.js";
import type { Role } from "../../src/domain/custody/roles.js";
import type { DepotKind } from "../../src/domain/region/region.js";
import { toGlobalId } from "../../src/graphql/ids.js";
import type { TestService } from "./service.js";

/**
 * Factories: each test builds the county it needs through the provisioning and administration use cases, and
 * gets back handles (global ids, usernames) it then uses over GraphQL like any client. Every call makes codes,
 * names and usernames of its own, so tests in one file never collide and each runs alone.
 */

let made = 0;
/** A number no other factory call of this process has used. */
export const unique = () => ++made;

export interface County {
  svc: TestService;
  countyId: number;
  /** Global id of the county region. */
  id: string;
  divisionCode: string;
  nameZh: string;
  /** Usernames: the county's administrator, two county officers (four-eyes rules) and an auditor. */
  admin: string;
  officer: string;
  officer2: string;
  auditor: string;
}

export interface Region {
  county: County;
  /** Database id within the county. */
  regionId: number;
  id: string;
  divisionCode: string;
  nameZh: string;
  level: "COUNTY" | "TOWNSHIP" | "VILLAGE";
}

export interface Township extends Region {
  /** The township office (TOWNSHIP_OFFICER over the township). */
  officer: string;
}

export interface Depot {
  county: County;
  region: Region;
  depotId: number;
  id: string;
  code: string;
  kind: string;
  /** The keeper assigned when it was made. */
  keeper: string;
}

export interface CountyShape {
  nameZh?: string;
  population?: number;
  /** Townships, each with its office, a township depot (TD) and that depot's keeper. */
  townships?: number;
  /** Mutual-aid links between townships by index, e.g. [[0, 1]]; none unless told. */
  neighbours?: [number, number][];
  /** Depots at county level (a county warehouse, an agent's store, …), each with a keeper of its own. */
  countyDepots?: DepotKind[];
  /** Catalogue entries made in the same step, in order. */
  items?: ItemOptions[];
}

export interface ProvisionedCounty extends County {
  townships: (Township & { depot: Depot })[];
  depots: Depot[];
  items: Item[];
}

/**
 * A county of its own as an administrator's set-up step leaves it (provisionWorld, one transaction): the region,
 * its administrator, two county officers and an auditor, and whatever `shape` asks for. No stock: that arrives by
 * receipts (aLotOf), so every balance has its ledger lines.
 */
export async function aCounty(svc: TestService, shape: CountyShape = {}): Promise<ProvisionedCounty> {
  const n = unique();
  const tag = `c${n}`;
  const divisionCode = `5${String(n).padStart(5, "0")}000000`;
  const nameZh = shape.nameZh ?? `测试${n}县`;
  const people: {
    username: string;
    displayName: string;
    organisation: string;
    grants: { role: Role; regionCode: string }[];
  }[] = [];
  const person = (username: string, role: Role, regionCode: string) => {
    people.push({
      username,
      displayName: `测试${username}`,
      organisation: nameZh,
      grants: [{ role, regionCode }],
    });
    return username;
  };
  const staff = {
    admin: person(`${tag}.admin`, "COUNTY_ADMIN", divisionCode),
    officer: person(`${tag}.officer`, "COUNTY_OFFICER", divisionCode),
    officer2: person(`${tag}.officer2`, "COUNTY_OFFICER", divisionCode),
    auditor: person(`${tag}.auditor`, "AUDITOR", divisionCode),
  };
  const towns = Array.from({ length: shape.townships ?? 0 }, (_, i) => {
    const code = `${divisionCode.slice(0, 6)}${String(i + 1).padStart(3, "0")}000`;
    return {
      seed: {
        divisionCode: code,
        nameZh: `${nameZh}${i + 1}镇`,
        nameEn: `Township ${n}-${i + 1}`,
        level: "TOWNSHIP" as const,
        population: 20_000,
        villages: [],
      },
      officer: person(`${tag}.t${i + 1}.officer`, "TOWNSHIP_OFFICER", code),
      depotCode: `${tag.toUpperCase()}-TD${i + 1}`,
      keeper: person(`${tag}.t${i + 1}.keeper`, "KEEPER", code),
    };
  });
  const countyDepots = (shape.countyDepots ?? []).map((kind, i) => ({
    kind,
    code: `${tag.toUpperCase()}-${kind === "COUNTY_WAREHOUSE" ? "CW" : kind === "AGENT_STORAGE" ? "AS" : "AR"}${i + 1}`,
    keeper: person(`${tag}.d${i + 1}.keeper`, "KEEPER", divisionCode),
  }));
  const items = (shape.items ?? []).map((o) => itemSeed(o));
  const depotSeed = (code: string, regionCode: string, kind: DepotKind, keeper: string, name: string) => ({
    code,
    regionCode,
    kind,
    nameZh: name,
    nameEn: code,
    address: `${name}地址`,
    custodianOrg: kind === "AGENT_STORAGE" ? "代储物流公司" : `${name}管理单位`,
    ...(kind === "AGREEMENT_RESERVE" ? { callUpLeadHours: 12 } : {}),
    keepers: [keeper],
  });
  const world = await provisionWorld(svc.deps, {
    units: UNITS,
    items: items.map((i) => i.seed),
    county: {
      divisionCode,
      nameZh,
      nameEn: `Test County ${n}`,
      level: "COUNTY",
      population: shape.population ?? 100_000,
      townships: towns.map((t) => t.seed),
      neighbours: (shape.neighbours ?? []).map(([a, b]) => ({
        a: towns[a]!.seed.divisionCode,
        b: towns[b]!.seed.divisionCode,
        travelMinutes: 30,
      })),
    },
    depots: [
      ...towns.map((t) =>
        depotSeed(t.depotCode, t.seed.divisionCode, "TOWNSHIP_DEPOT", t.keeper, `${t.seed.nameZh}镇库`),
      ),
      ...countyDepots.map((d) => depotSeed(d.code, divisionCode, d.kind, d.keeper, `${nameZh}${d.code}`)),
    ],
    users: people,
    norms: [],
  });
  const { countyId } = world;
  const county: County = {
    svc,
    countyId,
    id: toGlobalId("Region", { countyId, id: countyId }),
    divisionCode,
    nameZh,
    ...staff,
  };
  const key = (id: number) => ({ countyId, id });
  const depotOf = (region: Region, code: string, kind: string, keeper: string): Depot => {
    const depotId = world.depotIds.get(code)!;
    return { county, region, depotId, id: toGlobalId("Depot", key(depotId)), code, kind, keeper };
  };
  const townships = towns.map((t) => {
    const regionId = world.regionIds.get(t.seed.divisionCode)!;
    const region: Region = {
      county,
      regionId,
      id: toGlobalId("Region", key(regionId)),
      divisionCode: t.seed.divisionCode,
      nameZh: t.seed.nameZh,
      level: "TOWNSHIP",
    };
    return { ...region, officer: t.officer, depot: depotOf(region, t.depotCode, "TOWNSHIP_DEPOT", t.keeper) };
  });
  return {
    ...county,
    townships,
    depots: countyDepots.map((d) => depotOf(countyRegion(county), d.code, d.kind, d.keeper)),
    items: items.map((i) => i.handle(world.itemIds.get(i.seed.code)!)),
  };
}

/** The county itself as a region, for depots and requisitions at county level. */
export const countyRegion = (county: County): Region => ({
  county,
  regionId: county.countyId,
  id: county.id,
  divisionCode: county.divisionCode,
  nameZh: county.nameZh,
  level: "COUNTY",
});

/**
 * The granular factories below add to a county through the administration use cases, as its administrator
 * would (createRegion, createDepot, assignKeeper, grantRole, createItem), one transaction each: for a test that
 * needs one more township, depot or person than its county was provisioned with.
 */

/** A township under the county with its own office; `neighbours` get a mutual-aid link to it. */
export async function aTownship(
  county: County,
  opts: { population?: number; neighbours?: Region[]; travelMinutes?: number } = {},
): Promise<Township> {
  const region = await childRegion(countyRegion(county), opts.population ?? 20_000);
  const officer = await aPerson(county, "TOWNSHIP_OFFICER", region);
  for (const other of opts.neighbours ?? []) await mutualAid(region, other, opts.travelMinutes ?? 30);
  return { ...region, officer };
}

/** A village under a township. */
export const aVillage = (township: Region, population = 1_000): Promise<Region> =>
  childRegion(township, population);

async function childRegion(parent: Region, population: number): Promise<Region> {
  const n = unique();
  const village = parent.level === "TOWNSHIP";
  const own = String((n % 999) + 1).padStart(3, "0");
  const divisionCode = `${parent.divisionCode.slice(0, village ? 9 : 6)}${own}`.padEnd(12, "0");
  const nameZh = village ? `测试${n}村` : `测试${n}镇`;
  const { county } = parent;
  const row = await createRegion(county.svc.deps, await actorOf(county.svc, county.admin), {
    parent: { countyId: county.countyId, id: parent.regionId },
    divisionCode,
    nameZh,
    nameEn: `${village ? "Village" : "Township"} ${n}`,
    population,
  });
  return {
    county,
    regionId: row.id,
    id: toGlobalId("Region", { countyId: county.countyId, id: row.id }),
    divisionCode,
    nameZh,
    level: village ? "VILLAGE" : "TOWNSHIP",
  };
}

/** A mutual-aid link between two townships (相邻乡镇互助), both ways. */
export async function mutualAid(a: Region, b: Region, travelMinutes = 30): Promise<void> {
  const { county } = a;
  await setMutualAid(county.svc.deps, await actorOf(county.svc, county.admin), {
    region: { countyId: county.countyId, id: a.regionId },
    neighbour: { countyId: county.countyId, id: b.regionId },
    travelMinutes,
  });
}

const KIND_AT: Record<Region["level"], DepotKind> = {
  COUNTY: "COUNTY_WAREHOUSE",
  TOWNSHIP: "TOWNSHIP_DEPOT",
  VILLAGE: "VILLAGE_POINT",
};

/** A depot of the region (by default the kind its level keeps) with a keeper of its own, or `keeper`. */
export async function aDepot(
  region: Region,
  opts: { kind?: DepotKind; custodianOrg?: string; keeper?: string } = {},
): Promise<Depot> {
  const { county } = region;
  const n = unique();
  const code = `D${n}`;
  const kind = opts.kind ?? KIND_AT[region.level];
  const row = await createDepot(county.svc.deps, await actorOf(county.svc, county.admin), {
    region: { countyId: county.countyId, id: region.regionId },
    code,
    kind,
    nameZh: `${region.nameZh}${n}号库`,
    custodianOrg: opts.custodianOrg ?? `${region.nameZh}应急办`,
    ...(kind === "AGREEMENT_RESERVE" ? { callUpLeadHours: 12 } : {}),
  });
  const id = toGlobalId("Depot", { countyId: county.countyId, id: row.id });
  const depot: Depot = { county, region, depotId: row.id, id, code, kind, keeper: "" };
  depot.keeper = await aKeeper(depot, opts.keeper);
  return depot;
}

/**
 * A person who keeps the depot (the KEEPER role over its region comes with it): a new one, or `who`, a keeper of
 * another depot who now keeps this one too (one keeper of two depots may transfer between them).
 */
export async function aKeeper(depot: Depot, who?: string): Promise<string> {
  const { county } = depot;
  const { username, userId } = who
    ? { username: who, userId: (await actorOf(county.svc, who)).userId }
    : await newPerson(county, `${depot.code.toLowerCase()}.keeper`);
  await assignKeeper(county.svc.deps, await actorOf(county.svc, county.admin), {
    depot: { countyId: county.countyId, id: depot.depotId },
    userId,
  });
  return username;
}

/** A new person of the county holding one role over a region (the county, by default). */
export async function aPerson(
  county: County,
  role: Role,
  region: Region = countyRegion(county),
): Promise<string> {
  const { username, userId } = await newPerson(county, role.toLowerCase().replace("_", "-"));
  await grantRole(county.svc.deps, await actorOf(county.svc, county.admin), {
    userId,
    role,
    region: { countyId: county.countyId, id: region.regionId },
  });
  return username;
}

/**
 * A person with no password, as createUser leaves them when an identity provider signs people in: tests call the
 * API with tokens minted for them (TestService.token), as they do for the demo users.
 */
async function newPerson(county: County, what: string): Promise<{ username: string; userId: number }> {
  const username = `${what}.${unique()}`;
  const { user } = await createUser(
    county.svc.deps,
    await actorOf(county.svc, county.admin),
    { countyId: county.countyId, username, displayName: `测试${username}`, organisation: county.nameZh },
    { passwordless: true },
  );
  return { username, userId: user.id };
}

async function actorOf(svc: TestService, username: string): Promise<Actor> {
  const loaded = await users.loadActor(svc.database.db, username);
  if (!loaded) throw new Error(`no user ${username}`);
  return loaded.actor;
}

export interface Item {
  itemId: number;
  id: string;
  code: string;
  trackingMode: "BULK" | "LOT" | "SERIAL";
  returnable: boolean;
}

export interface ItemOptions {
  trackingMode?: Item["trackingMode"];
  returnable?: boolean;
  /** `piece` (whole units, the default) or `tonne` (three decimals). */
  unitCode?: "piece" | "tonne";
  category?: ItemCategory;
  shelfLifeDays?: number;
  rotationLeadDays?: number;
  testRunIntervalDays?: number;
}

const UNITS: WorldSeed["units"] = [
  { code: "piece", nameZh: "件", nameEn: "piece", scale: 0 },
  { code: "tonne", nameZh: "吨", nameEn: "tonne", scale: 3 },
];

/** A catalogue entry's seed and the handle it becomes: a code no other test stocks. */
function itemSeed(o: ItemOptions) {
  const n = unique();
  const trackingMode = o.trackingMode ?? (o.shelfLifeDays ? "LOT" : "BULK");
  const returnable = o.returnable ?? trackingMode === "SERIAL";
  const seed: WorldSeed["items"][number] = {
    code: `ITEM_${n}`,
    nameZh: `测试物资${n}`,
    nameEn: `Test item ${n}`,
    description: "",
    category: o.category ?? "FLOOD_CONTROL",
    unitCode: o.unitCode ?? "piece",
    trackingMode,
    returnable,
    ...(o.shelfLifeDays ? { shelfLifeDays: o.shelfLifeDays } : {}),
    ...(o.rotationLeadDays !== undefined ? { rotationLeadDays: o.rotationLeadDays } : {}),
    ...(o.testRunIntervalDays ? { testRunIntervalDays: o.testRunIntervalDays } : {}),
  };
  const handle = (itemId: number): Item => ({
    itemId,
    id: toGlobalId("Item", itemId),
    code: seed.code,
    trackingMode,
    returnable,
  });
  return { seed, handle };
}

/**
 * A catalogue entry no other test stocks, so a depot's figures for it are this test's alone. The catalogue is
 * shared by every county; the county's administrator adds it.
 */
export async function anItem(county: County, opts: ItemOptions = {}): Promise<Item> {
  const { seed, handle } = itemSeed(opts);
  const row = await createItem(county.svc.deps, await actorOf(county.svc, county.admin), {
    countyId: county.countyId,
    ...seed,
    shelfLifeDays: seed.shelfLifeDays ?? null,
    rotationLeadDays: seed.rotationLeadDays ?? null,
    testRunIntervalDays: seed.testRunIntervalDays ?? null,
  });
  return handle(row.id);
}

export type UserError = { code: string; field: string[]; message: string };

/** A mutation a factory relies on: a top-level error or a userError is a broken test, said at once. */
export async function mutation<T>(
  svc: TestService,
  as: string,
  field: string,
  inputType: string,
  input: Record<string, unknown>,
  selection: string,
): Promise<T> {
  const res = await svc.gql<Record<string, T & { userErrors: UserError[] }>>(
    `mutation($input: ${inputType}!) { ${field}(input: $input) { ${selection} userErrors { code field message } } }`,
    { input },
    as,
  );
  const payload = res.data?.[field];
  if (res.errors || !payload || payload.userErrors.length > 0)
    throw new Error(`${field} as ${as}: ${JSON.stringify(res.errors ?? payload?.userErrors)}`);
  return payload;
}
