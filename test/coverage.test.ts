import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coldCaches } from "./support/caches.js";
import type { WorldSeed } from "../src/app/setup/world.js";
import { loadWorld } from "../seeds/load.js";
import { demoCounty } from "../seeds/demo-county.js";
import { step } from "./support/requisitions.js";
import { startTestService, type TestService } from "./support/service.js";
import { SET_CONDITION } from "./support/world.js";

const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;

/** A small county built by hand, so every coverage figure can be worked out on paper. */
const testCounty: WorldSeed = {
  units: demoCounty.units,
  items: demoCounty.items,
  county: {
    divisionCode: "411098000000",
    nameZh: "测试县",
    nameEn: "Test County",
    level: "COUNTY",
    population: 60000,
    townships: [
      {
        divisionCode: "411098100000",
        nameZh: "甲镇",
        nameEn: "Jia Town",
        level: "TOWNSHIP",
        population: 20000,
        villages: [
          {
            divisionCode: "411098100201",
            nameZh: "甲一村",
            nameEn: "Jia One",
            level: "VILLAGE",
            population: 2000,
          },
        ],
      },
      {
        divisionCode: "411098101000",
        nameZh: "乙镇",
        nameEn: "Yi Town",
        level: "TOWNSHIP",
        population: 30000,
        villages: [
          {
            divisionCode: "411098101201",
            nameZh: "乙一村",
            nameEn: "Yi One",
            level: "VILLAGE",
            population: 3000,
          },
        ],
      },
    ],
    neighbours: [{ a: "411098100000", b: "411098101000", travelMinutes: 30 }],
  },
  depots: [
    {
      code: "T-CW",
      regionCode: "411098000000",
      kind: "COUNTY_WAREHOUSE",
      nameZh: "测试县储备库",
      nameEn: "Test CW",
      address: "",
      custodianOrg: "测试县应急局",
      keepers: ["t.county.keeper"],
    },
    {
      code: "T-AR",
      regionCode: "411098000000",
      kind: "AGREEMENT_RESERVE",
      nameZh: "协议储备",
      nameEn: "Test AR",
      address: "",
      custodianOrg: "某商贸公司",
      callUpLeadHours: 24,
      keepers: ["t.county.keeper"],
    },
    {
      code: "T-A",
      regionCode: "411098100000",
      kind: "TOWNSHIP_DEPOT",
      nameZh: "甲镇储备点",
      nameEn: "Jia depot",
      address: "",
      custodianOrg: "甲镇应急办",
      keepers: ["t.a.keeper"],
    },
    {
      code: "T-A1",
      regionCode: "411098100201",
      kind: "VILLAGE_POINT",
      nameZh: "甲一村存放点",
      nameEn: "Jia One point",
      address: "",
      custodianOrg: "甲一村委会",
      keepers: ["t.a.keeper"],
    },
    {
      code: "T-B",
      regionCode: "411098101000",
      kind: "TOWNSHIP_DEPOT",
      nameZh: "乙镇储备点",
      nameEn: "Yi depot",
      address: "",
      custodianOrg: "乙镇应急办",
      keepers: ["t.b.keeper"],
    },
  ],
  users: [
    {
      username: "t.county",
      displayName: "县官",
      organisation: "测试县",
      grants: [{ role: "COUNTY_OFFICER", regionCode: "411098000000" }],
    },
    {
      username: "t.auditor",
      displayName: "审计",
      organisation: "测试县",
      grants: [{ role: "AUDITOR", regionCode: "411098000000" }],
    },
    {
      username: "t.county.keeper",
      displayName: "县保管",
      organisation: "测试县",
      grants: [{ role: "KEEPER", regionCode: "411098000000" }],
    },
    {
      username: "t.a.officer",
      displayName: "甲办",
      organisation: "甲镇",
      grants: [{ role: "TOWNSHIP_OFFICER", regionCode: "411098100000" }],
    },
    {
      username: "t.a.keeper",
      displayName: "甲保管",
      organisation: "甲镇",
      grants: [{ role: "KEEPER", regionCode: "411098100000" }],
    },
    {
      username: "t.b.officer",
      displayName: "乙办",
      organisation: "乙镇",
      grants: [{ role: "TOWNSHIP_OFFICER", regionCode: "411098101000" }],
    },
    {
      username: "t.b.keeper",
      displayName: "乙保管",
      organisation: "乙镇",
      grants: [{ role: "KEEPER", regionCode: "411098101000" }],
    },
  ],
  norms: [
    { itemCode: "LIFE_JACKET", level: "TOWNSHIP", basis: "ABSOLUTE", quantity: "100" },
    { itemCode: "LIFE_JACKET", regionCode: "411098000000", basis: "ABSOLUTE", quantity: "300" },
  ],
  receipts: [
    ["T-A", "J-LONG", "60", "2030-01-01"],
    ["T-A", "J-EXPIRED", "20", "2026-11-01"],
    ["T-A", "J-QUARANTINE", "10", "2030-01-01"],
    ["T-A", "J-SOON", "15", "2026-12-10"],
    ["T-A1", "J-VILLAGE", "5", "2030-01-01"],
    ["T-A1", "J-VILLAGE-SOON", "7", "2026-12-20"],
    ["T-B", "J-B", "150", "2030-01-01"],
    ["T-CW", "J-CW", "40", "2030-01-01"],
    ["T-AR", "J-AR", "500", "2030-01-01"],
  ].map(([depotCode, lotCode, quantity, expiresOn]) => ({
    depotCode: depotCode!,
    itemCode: "LIFE_JACKET",
    quantity: quantity!,
    lotCode: lotCode!,
    receivedOn: "2026-01-01",
    expiresOn,
    source: "PURCHASE" as const,
    reason: "测试入库",
    recordedBy:
      ({ "T-A": "t.a.keeper", "T-A1": "t.a.keeper", "T-B": "t.b.keeper" } as Record<string, string>)[
        depotCode!
      ] ?? "t.county.keeper",
  })),
};

const ids: Record<string, string> = {};

interface Line {
  item: { code: string };
  required: string | null;
  onHand: string;
  usable: string;
  expiringWithin30Days: string;
  ratio: number | null;
  status: string | null;
  agreementCallable: string;
  callUpLeadHours: number | null;
  neighbourLendable: string;
  neighbours: { region: { nameZh: string }; travelMinutes: number; quantity: string }[];
}

const COVERAGE = `query($r: ID!, $n: Boolean) { coverage(regionId: $r, includeNeighbours: $n) { asOf lines {
  item { code } required onHand usable expiringWithin30Days ratio status agreementCallable callUpLeadHours
  neighbourLendable neighbours { region { nameZh } travelMinutes quantity } } } }`;

async function coverage(region: string, as = "t.auditor", neighbours = false): Promise<Line[] | null> {
  const res = await svc.gql<{ coverage: { lines: Line[] } | null }>(
    COVERAGE,
    { r: ids[region], n: neighbours },
    as,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.coverage?.lines ?? null;
}

const jackets = (lines: Line[] | null) => lines?.find((l) => l.item.code === "LIFE_JACKET");

beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  await loadWorld(svc.deps, testCounty);
  const regions = await svc.gql<{ regions: { nodes: { id: string; nameZh: string }[] } }>(
    "{ regions(first: 100) { nodes { id nameZh } } }",
    {},
    "t.auditor",
  );
  for (const r of regions.data!.regions.nodes) ids[r.nameZh] = r.id;
  const depots = await svc.gql<{ depots: { nodes: { id: string; code: string }[] } }>(
    "{ depots(first: 100) { nodes { id code } } }",
    {},
    "t.auditor",
  );
  for (const d of depots.data!.depots.nodes) ids[d.code] = d.id;
  const lots = await svc.gql<{ lots: { nodes: { id: string; lotCode: string }[] } }>(
    "{ lots(first: 100) { nodes { id lotCode } } }",
    {},
    "t.auditor",
  );
  for (const l of lots.data!.lots.nodes) ids[l.lotCode] = l.id;
  const item = await svc.gql<{ items: { nodes: { id: string; code: string }[] } }>(
    "{ items(first: 100) { nodes { id code } } }",
    {},
    "t.auditor",
  );
  for (const i of item.data!.items.nodes) ids[i.code] = i.id;

  // a quarantined lot, a request holding 10 at 甲镇, and 8 on the road from 甲镇 to 乙镇
  await svc.gql(
    SET_CONDITION,
    { input: { lotId: ids["J-QUARANTINE"], condition: "QUARANTINED", reason: "发霉" } },
    "t.a.keeper",
  );
  const request = async (quantity: string) => {
    const created = await step(
      svc,
      "createRequisition",
      "CreateRequisitionInput",
      {
        requestingRegionId: ids["乙镇"],
        supplyingRegionId: ids["甲镇"],
        destinationDepotId: ids["T-B"],
        priority: "URGENT",
        reason: "防汛",
        lines: [{ itemId: ids.LIFE_JACKET, quantity }],
      },
      "t.b.officer",
    );
    const id = created.requisition!.id;
    await step(svc, "submitRequisition", "RequisitionStepInput", { requisitionId: id }, "t.b.officer");
    const approved = await step(
      svc,
      "approveRequisition",
      "ApproveRequisitionInput",
      { requisitionId: id },
      "t.a.officer",
    );
    expect(approved.userErrors).toEqual([]);
    return id;
  };
  await request("10");
  const moving = await request("8");
  const sent = await step(
    svc,
    "dispatchRequisition",
    "DispatchRequisitionInput",
    { requisitionId: moving, carrier: "甲镇", vehicle: "车", driverContact: "1" },
    "t.a.keeper",
  );
  expect(sent.userErrors).toEqual([]);
});
afterAll(() => svc.stop());

describe("coverage equals what the lots, allocations and norms say", () => {
  it("for a township: expired, quarantined, allocated and in-transit stock do not count as usable", async () => {
    // 甲镇 on hand: 60−3 (long; 3 left on the road) + 20 expired + 10 quarantined + 15−5 (soon; 5 on the road) + 5 + 7 = 109
    // usable: 57 + (10 − 10 held) + 5 + 7 = 69; of it expiring within 30 days: the village's 7
    expect(jackets(await coverage("甲镇"))).toMatchObject({
      required: "100",
      onHand: "109",
      usable: "69",
      expiringWithin30Days: "7",
      ratio: 0.69,
      status: "LOW",
      agreementCallable: "0",
    });
  });

  it("stock in transit is on neither side: the receiving township does not count it yet", async () => {
    expect(jackets(await coverage("乙镇"))).toMatchObject({
      required: "100",
      onHand: "150",
      usable: "150",
      ratio: 1.5,
      status: "MET",
    });
  });

  it("rolls up: the county's figures are its townships' plus its own depots', agreement reserves apart", async () => {
    const county = jackets(await coverage("测试县"))!;
    const a = jackets(await coverage("甲镇"))!;
    const b = jackets(await coverage("乙镇"))!;
    expect(Number(county.usable)).toBe(Number(a.usable) + Number(b.usable) + 40);
    expect(Number(county.onHand)).toBe(Number(a.onHand) + Number(b.onHand) + 40);
    expect(county).toMatchObject({
      required: "300",
      usable: "259",
      ratio: 0.8633,
      status: "LOW",
      agreementCallable: "500",
      callUpLeadHours: 24,
    });
  });

  it("with neighbours: what each neighbour within reach could lend above its own norm", async () => {
    const a = jackets(await coverage("甲镇", "t.auditor", true))!;
    expect(a.neighbours).toEqual([{ region: { nameZh: "乙镇" }, travelMinutes: 30, quantity: "50" }]);
    expect(a.neighbourLendable).toBe("50");
  });
});

describe("who sees coverage", () => {
  it("a township office its own subtree; a keeper the region of their depot; an outsider nothing", async () => {
    // what the auditor reads of 甲镇 is what its own office and its keeper read
    const seen = jackets(await coverage("甲镇", "t.auditor"));
    expect(seen).toMatchObject({ item: { code: "LIFE_JACKET" } });
    expect(jackets(await coverage("甲镇", "t.a.officer"))).toEqual(seen);
    expect(await coverage("测试县", "t.a.officer")).toBeNull();
    expect(await coverage("乙镇", "t.a.officer")).toBeNull();
    expect(jackets(await coverage("甲镇", "t.a.keeper"))).toEqual(seen);
    expect(await coverage("乙镇", "t.a.keeper")).toBeNull();
    // officers of the demo county see nothing of this one
    expect(await coverage("甲镇", "county.officer")).toBeNull();
  });
});

describe("the coverage map and gaps", () => {
  const MAP = `query($c: ID!, $items: [ID!]) { coverageMap(countyId: $c, level: TOWNSHIP, itemIds: $items, first: 100) {
    nodes { region { nameZh } cells { item { code } usable status } } } }`;

  it("gives every township × item in one answer, at a constant number of statements", async () => {
    const run = async (county: string, as: string) => {
      coldCaches(svc.database);
      const before = svc.database.statements();
      const res = await svc.gql<{
        coverageMap: { nodes: { region: { nameZh: string }; cells: { usable: string }[] }[] };
      }>(MAP, { c: county }, as);
      expect(res.errors).toBeUndefined();
      return { statements: svc.database.statements() - before, rows: res.data!.coverageMap.nodes };
    };
    const small = await run(ids["测试县"]!, "t.auditor");
    expect(small.rows.map((r) => r.region.nameZh)).toEqual(["甲镇", "乙镇"]);
    const demo = await svc.gql<{ regions: { nodes: { id: string }[] } }>(
      "{ regions(level: COUNTY) { nodes { id } } }",
      {},
      "auditor",
    );
    const big = await run(demo.data!.regions.nodes[0]!.id, "auditor");
    expect(big.rows.length).toBeGreaterThanOrEqual(8);
    expect(big.statements).toBe(small.statements);
  });

  it("lists gaps worst first, with the nearest surplus", async () => {
    const res = await svc.gql<{
      coverageGaps: {
        nodes: {
          shortfall: string;
          line: { region: { nameZh: string }; ratio: number };
          nearestSurplus: { region: { nameZh: string }; quantity: string } | null;
        }[];
      };
    }>(
      `query($r: ID!) { coverageGaps(regionId: $r) { nodes { shortfall line { region { nameZh } ratio } nearestSurplus { region { nameZh } quantity } } } }`,
      { r: ids["测试县"] },
      "t.auditor",
    );
    expect(res.data!.coverageGaps.nodes).toEqual([
      {
        shortfall: "31",
        line: { region: { nameZh: "甲镇" }, ratio: 0.69 },
        nearestSurplus: { region: { nameZh: "乙镇" }, quantity: "50" },
      },
      {
        shortfall: "41",
        line: { region: { nameZh: "测试县" }, ratio: 0.8633 },
        nearestSurplus: { region: { nameZh: "乙镇" }, quantity: "50" },
      },
    ]);
  });
});

describe("setting norms", () => {
  const SET = `mutation($input: SetReserveNormInput!) { setReserveNorm(input: $input) {
    norm { basis quantity reserveFloor level } userErrors { field code } } }`;

  it("a level norm per 1,000 residents applies to every township, and its floor lands on each township's depot", async () => {
    const res = await svc.gql<{ setReserveNorm: { norm: unknown; userErrors: unknown[] } }>(
      SET,
      {
        input: {
          countyId: ids["测试县"],
          itemId: ids.WOVEN_BAG,
          level: "TOWNSHIP",
          basis: "PER_THOUSAND_RESIDENTS",
          quantity: "10",
          reserveFloor: "50",
        },
      },
      "t.county",
    );
    expect(res.data!.setReserveNorm).toEqual({
      norm: { basis: "PER_THOUSAND_RESIDENTS", quantity: "10", reserveFloor: "50", level: "TOWNSHIP" },
      userErrors: [],
    });
    const bags = async (region: string) => (await coverage(region))!.find((l) => l.item.code === "WOVEN_BAG");
    expect(await bags("甲镇")).toMatchObject({ required: "200", usable: "0", status: "NONE" });
    expect(await bags("乙镇")).toMatchObject({ required: "300" });
    const stock = await svc.gql<{ node: { stock: { item: { code: string }; reserveFloor: string }[] } }>(
      `query($id: ID!) { node(id: $id) { ... on Depot { stock { item { code } reserveFloor } } } }`,
      { id: ids["T-A"] },
      "t.auditor",
    );
    expect(stock.data!.node.stock.find((s) => s.item.code === "WOVEN_BAG")?.reserveFloor).toBe("50");
  });

  it("is the county's: a township office is FORBIDDEN", async () => {
    const res = await svc.gql(
      SET,
      {
        input: {
          countyId: ids["测试县"],
          itemId: ids.TENT,
          level: "TOWNSHIP",
          basis: "ABSOLUTE",
          quantity: "1",
        },
      },
      "t.a.officer",
    );
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("coverage export", () => {
  it("downloads the subtree's coverage as CSV with Chinese headers and a BOM", async () => {
    const base = svc.url.replace(/\/graphql$/, "");
    const res = await fetch(`${base}/export/coverage.csv?regionId=${ids["甲镇"]}`, {
      headers: { authorization: `Bearer ${await svc.token("t.a.officer")}` },
    });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = new TextDecoder().decode(bytes).trim().split("\r\n");
    expect(rows[0]).toBe(
      "区域,区划代码,层级,物资编码,物资名称,单位,定额,在库,可用,30天内到期,保障率,状态,协议储备可调用,调用时限(小时)",
    );
    expect(rows.find((r) => r.startsWith("甲镇,411098100000,乡镇,LIFE_JACKET"))).toContain(
      ",100,109,69,7,69.00%,不足,",
    );
    const outsider = await fetch(`${base}/export/coverage.csv?regionId=${ids["乙镇"]}`, {
      headers: { authorization: `Bearer ${await svc.token("t.a.officer")}` },
    });
    expect(outsider.status).toBe(404);
  });
});
