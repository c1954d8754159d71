import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coldCaches } from "./support/caches.js";
import {
  aCounty,
  aDepot,
  anItem,
  aVillage,
  countyRegion,
  type Depot,
  type Item,
  mutualAid,
  type ProvisionedCounty,
  type Region,
  type Township,
} from "./support/factories.js";
import { aLevelNorm, aTownshipWithDepot } from "./support/reportFactories.js";
import { aDispatchedRequisition, anApprovedRequisition } from "./support/requisitionFactories.js";
import { startTestService, type TestService } from "./support/service.js";
import { aLotOf, aNorm } from "./support/stockFactories.js";
import { SET_CONDITION, type UserErrorView } from "./support/world.js";

const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;

/**
 * A small county built for this file, so every coverage figure can be worked out on paper: 60,000 residents;
 * 甲 (20,000, a village of 2,000 with a storage point kept by 甲's keeper) and 乙 (30,000, a village of 3,000),
 * neighbours 30 minutes apart; a county warehouse and an agreement reserve (协议储备) at county level.
 */
let county: ProvisionedCounty;
let jia: Township & { depot: Depot };
let yi: Township & { depot: Depot };
let jiaVillage: Region;
let warehouse: Depot;
let agreement: Depot;
/** Life jackets: a township norm of 100 each, 300 for the county. */
let jackets: Item;

interface Line {
  item: { id: string };
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
  item { id } required onHand usable expiringWithin30Days ratio status agreementCallable callUpLeadHours
  neighbourLendable neighbours { region { nameZh } travelMinutes quantity } } } }`;

async function coverage(region: Region, as = county.auditor, neighbours = false): Promise<Line[] | null> {
  const res = await svc.gql<{ coverage: { lines: Line[] } | null }>(
    COVERAGE,
    { r: region.id, n: neighbours },
    as,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.coverage?.lines ?? null;
}

const lineOf = (lines: Line[] | null, item: Item) => lines?.find((l) => l.item.id === item.id);
const jacketsAt = async (region: Region, as?: string, neighbours?: boolean) =>
  lineOf(await coverage(region, as, neighbours), jackets);

beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  county = await aCounty(svc, {
    population: 60_000,
    countyDepots: ["COUNTY_WAREHOUSE", "AGREEMENT_RESERVE"],
    items: [{ category: "LIFE_SAVING", shelfLifeDays: 1825, returnable: true }],
  });
  [warehouse, agreement] = county.depots as [Depot, Depot];
  [jackets] = county.items as [Item];
  jia = await aTownshipWithDepot(county, { population: 20_000 });
  yi = await aTownshipWithDepot(county, { population: 30_000 });
  await mutualAid(jia, yi, 30);
  jiaVillage = await aVillage(jia, 2_000);
  const jiaPoint = await aDepot(jiaVillage, { keeper: jia.depot.keeper });
  await aVillage(yi, 3_000);

  await aLevelNorm(county, jackets, "TOWNSHIP", "100");
  await aNorm(county, jackets, county.id, "300");
  const receipts: [Depot, string, string][] = [
    [jia.depot, "60", "2030-01-01"], // 甲 long
    [jia.depot, "20", "2026-11-01"], // 甲 expired
    [jia.depot, "10", "2030-01-01"], // 甲, to be quarantined
    [jia.depot, "15", "2026-12-10"], // 甲 soon
    [jiaPoint, "5", "2030-01-01"],
    [jiaPoint, "7", "2026-12-20"],
    [yi.depot, "150", "2030-01-01"],
    [warehouse, "40", "2030-01-01"],
    [agreement, "500", "2030-01-01"],
  ];
  const lots = [];
  for (const [depot, quantity, expiresOn] of receipts)
    lots.push(
      (
        await aLotOf(depot, jackets, quantity, { receivedOn: "2026-01-01", expiresOn, acceptExpired: true })
      )[0]!,
    );

  // a quarantined lot, a request holding 10 at 甲, and 8 on the road from 甲 to 乙
  const quarantined = await svc.gql<{ setLotCondition: { userErrors: UserErrorView[] } }>(
    SET_CONDITION,
    { input: { lotId: lots[2]!.id, condition: "QUARANTINED", reason: "发霉" } },
    jia.depot.keeper,
  );
  expect(quarantined.data!.setLotCondition.userErrors).toEqual([]);
  const plan = (quantity: string) => ({
    from: yi,
    to: jia,
    destination: yi.depot,
    lines: [{ item: jackets, quantity }],
  });
  await anApprovedRequisition(plan("10"));
  await aDispatchedRequisition(plan("8"), jia.depot);
});
afterAll(() => svc.stop());

describe("coverage equals what the lots, allocations and norms say", () => {
  it("for a township: expired, quarantined, allocated and in-transit stock do not count as usable", async () => {
    // 甲 on hand: 60−3 (long; 3 left on the road) + 20 expired + 10 quarantined + 15−5 (soon; 5 on the road) + 5 + 7 = 109
    // usable: 57 + (10 − 10 held) + 5 + 7 = 69; of it expiring within 30 days: the village's 7
    expect(await jacketsAt(jia)).toMatchObject({
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
    expect(await jacketsAt(yi)).toMatchObject({
      required: "100",
      onHand: "150",
      usable: "150",
      ratio: 1.5,
      status: "MET",
    });
  });

  it("rolls up: the county's figures are its townships' plus its own depots', agreement reserves apart", async () => {
    const whole = (await jacketsAt(countyRegion(county)))!;
    const a = (await jacketsAt(jia))!;
    const b = (await jacketsAt(yi))!;
    expect(Number(whole.usable)).toBe(Number(a.usable) + Number(b.usable) + 40);
    expect(Number(whole.onHand)).toBe(Number(a.onHand) + Number(b.onHand) + 40);
    expect(whole).toMatchObject({
      required: "300",
      onHand: "299",
      usable: "259",
      ratio: 0.8633,
      status: "LOW",
      agreementCallable: "500",
      callUpLeadHours: 12,
    });
  });

  it("with neighbours: what each neighbour within reach could lend above its own norm", async () => {
    const a = (await jacketsAt(jia, county.auditor, true))!;
    expect(a.neighbours).toEqual([{ region: { nameZh: yi.nameZh }, travelMinutes: 30, quantity: "50" }]);
    expect(a.neighbourLendable).toBe("50");
  });
});

describe("who sees coverage", () => {
  it("a township office its own subtree; a keeper the region of their depot; an outsider nothing", async () => {
    // what the auditor reads of 甲 is what its own office and its keeper read
    const seen = await jacketsAt(jia, county.auditor);
    expect(seen).toMatchObject({ item: { id: jackets.id }, usable: "69" });
    expect(await jacketsAt(jia, jia.officer)).toEqual(seen);
    expect(await coverage(countyRegion(county), jia.officer)).toBeNull();
    expect(await coverage(yi, jia.officer)).toBeNull();
    expect(await jacketsAt(jia, jia.depot.keeper)).toEqual(seen);
    expect(await coverage(yi, jia.depot.keeper)).toBeNull();
    // officers of another county see nothing of this one
    const other = await aCounty(svc);
    expect(await coverage(jia, other.officer)).toBeNull();
    expect(await coverage(countyRegion(county), other.officer)).toBeNull();
  });
});

describe("the coverage map and gaps", () => {
  const MAP = `query($c: ID!, $items: [ID!]) { coverageMap(countyId: $c, level: TOWNSHIP, itemIds: $items, first: 100) {
    nodes { region { id } cells { item { id } usable status } } } }`;

  it("gives every township × item in one answer, at a constant number of statements", async () => {
    const run = async (c: { id: string }, as: string, items: Item[]) => {
      coldCaches(svc.database);
      const before = svc.database.statements();
      const res = await svc.gql<{
        coverageMap: {
          nodes: {
            region: { id: string };
            cells: { item: { id: string }; usable: string; status: string }[];
          }[];
        };
      }>(MAP, { c: c.id, items: items.map((i) => i.id) }, as);
      expect(res.errors).toBeUndefined();
      return { statements: svc.database.statements() - before, rows: res.data!.coverageMap.nodes };
    };
    const small = await run(county, county.auditor, [jackets]);
    expect(small.rows).toEqual([
      { region: { id: jia.id }, cells: [{ item: { id: jackets.id }, usable: "69", status: "LOW" }] },
      { region: { id: yi.id }, cells: [{ item: { id: jackets.id }, usable: "150", status: "MET" }] },
    ]);
    // a county of eight townships, two items normed and stocked in every one
    const big = await aCounty(svc, { townships: 8, items: [{}, {}] });
    for (const item of big.items) {
      await aLevelNorm(big, item, "TOWNSHIP", "10");
      for (const t of big.townships) await aLotOf(t.depot, item, "12");
    }
    const large = await run(big, big.auditor, big.items);
    expect(large.rows.map((r) => r.region.id)).toEqual(big.townships.map((t) => t.id));
    expect(large.rows.every((r) => r.cells.length === 2 && r.cells.every((c) => c.usable === "12"))).toBe(
      true,
    );
    expect(large.statements).toBe(small.statements);
  });

  it("lists gaps worst first, with the nearest surplus", async () => {
    const res = await svc.gql<{
      coverageGaps: {
        nodes: {
          shortfall: string;
          line: { item: { id: string }; region: { id: string }; ratio: number };
          nearestSurplus: { region: { id: string }; quantity: string } | null;
        }[];
      };
    }>(
      `query($r: ID!) { coverageGaps(regionId: $r) { nodes {
        shortfall line { item { id } region { id } ratio } nearestSurplus { region { id } quantity } } } }`,
      { r: county.id },
      county.auditor,
    );
    const gaps = res.data!.coverageGaps.nodes.filter((g) => g.line.item.id === jackets.id);
    const line = (region: Region, ratio: number) => ({
      item: { id: jackets.id },
      region: { id: region.id },
      ratio,
    });
    expect(gaps).toEqual([
      {
        shortfall: "31",
        line: line(jia, 0.69),
        nearestSurplus: { region: { id: yi.id }, quantity: "50" },
      },
      {
        shortfall: "41",
        line: line(countyRegion(county), 0.8633),
        nearestSurplus: { region: { id: yi.id }, quantity: "50" },
      },
    ]);
  });
});

describe("setting norms", () => {
  const SET = `mutation($input: SetReserveNormInput!) { setReserveNorm(input: $input) {
    norm { basis quantity reserveFloor level } userErrors { field code } } }`;

  it("a level norm per 1,000 residents applies to every township, and its floor lands on each township's depot", async () => {
    const bags = await anItem(county);
    const res = await svc.gql<{ setReserveNorm: { norm: unknown; userErrors: unknown[] } }>(
      SET,
      {
        input: {
          countyId: county.id,
          itemId: bags.id,
          level: "TOWNSHIP",
          basis: "PER_THOUSAND_RESIDENTS",
          quantity: "10",
          reserveFloor: "50",
        },
      },
      county.officer,
    );
    expect(res.data!.setReserveNorm).toEqual({
      norm: { basis: "PER_THOUSAND_RESIDENTS", quantity: "10", reserveFloor: "50", level: "TOWNSHIP" },
      userErrors: [],
    });
    expect(lineOf(await coverage(jia), bags)).toMatchObject({ required: "200", usable: "0", status: "NONE" });
    expect(lineOf(await coverage(yi), bags)).toMatchObject({ required: "300" });
    const floors = async (depot: Depot) => {
      const stock = await svc.gql<{ node: { stock: { item: { id: string }; reserveFloor: string }[] } }>(
        `query($id: ID!) { node(id: $id) { ... on Depot { stock { item { id } reserveFloor } } } }`,
        { id: depot.id },
        county.auditor,
      );
      return stock.data!.node.stock.find((s) => s.item.id === bags.id)?.reserveFloor;
    };
    expect(await floors(jia.depot)).toBe("50");
    expect(await floors(yi.depot)).toBe("50");
  });

  it("is the county's: a township office is FORBIDDEN", async () => {
    const tents = await anItem(county, { category: "SHELTER" });
    const input = {
      countyId: county.id,
      itemId: tents.id,
      level: "TOWNSHIP",
      basis: "ABSOLUTE",
      quantity: "1",
    };
    const before = lineOf(await coverage(jia), tents) ?? null;

    const res = await svc.gql(SET, { input }, jia.officer);

    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(lineOf(await coverage(jia), tents) ?? null).toEqual(before);
    expect(before?.required ?? null).toBeNull();
  });
});

describe("coverage export", () => {
  it("downloads the subtree's coverage as CSV with Chinese headers and a BOM", async () => {
    const base = svc.url.replace(/\/graphql$/, "");
    const res = await fetch(`${base}/export/coverage.csv?regionId=${jia.id}`, {
      headers: { authorization: `Bearer ${await svc.token(jia.officer)}` },
    });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = new TextDecoder().decode(bytes).trim().split("\r\n");
    expect(rows[0]).toBe(
      "区域,区划代码,层级,物资编码,物资名称,单位,定额,在库,可用,30天内到期,保障率,状态,协议储备可调用,调用时限(小时)",
    );
    expect(
      rows.find((r) => r.startsWith(`${jia.nameZh},${jia.divisionCode},乡镇,${jackets.code},`)),
    ).toContain(",100,109,69,7,69.00%,不足,");
    const outsider = await fetch(`${base}/export/coverage.csv?regionId=${yi.id}`, {
      headers: { authorization: `Bearer ${await svc.token(jia.officer)}` },
    });
    expect(outsider.status).toBe(404);
  });
});
