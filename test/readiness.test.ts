// The service must judge expiry in Asia/Shanghai whatever the server's zone: run this file in Los Angeles.
process.env.TZ = "America/Los_Angeles";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coldCaches } from "./support/caches.js";
import {
  aCounty,
  aDepot,
  anItem,
  aVillage,
  type Depot,
  type Item,
  type ProvisionedCounty,
} from "./support/factories.js";
import { aStockTake, aTownshipWithDepot } from "./support/reportFactories.js";
import { anApprovedRequisition, between, type LendingPair } from "./support/requisitionFactories.js";
import { startTestService, type TestService } from "./support/service.js";
import { aLotOf, aNorm } from "./support/stockFactories.js";
import { books } from "./support/transit.js";
import { type ChangeView, ISSUE, RECEIVE, SET_CONDITION, type UserErrorView } from "./support/world.js";

const TODAY = "2026-11-24";
let now = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
/** Two neighbouring townships, each with its depot and keeper, and a county warehouse; items are per test. */
type Township = ProvisionedCounty["townships"][number];
let county: ProvisionedCounty;
let pair: LendingPair;
let warehouse: Depot;
beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
  county = await aCounty(svc, { townships: 2, neighbours: [[0, 1]], countyDepots: ["COUNTY_WAREHOUSE"] });
  pair = { county, lender: county.townships[0]!, borrower: county.townships[1]! };
  [warehouse] = county.depots as [Depot];
});
afterAll(() => svc.stop());

describe("expiry is decided by the date in Asia/Shanghai", () => {
  it("a lot that expires today is usable today and not tomorrow, with the process in another zone", async () => {
    expect(new Date("2026-11-24T12:00:00Z").getTimezoneOffset()).toBe(480); // Los Angeles, not Shanghai (-480)
    now = new Date("2026-11-24T02:00:00Z");
    const depot = pair.lender.depot;
    const disinfectant = await anItem(county, { category: "MEDICAL", shelfLifeDays: 365 });
    const [lot] = await aLotOf(depot, disinfectant, "4", { receivedOn: "2026-11-01", expiresOn: TODAY });
    const issueOne = () =>
      svc.gql<{ issueStock: ChangeView }>(
        ISSUE,
        {
          input: {
            depotId: depot.id,
            itemId: disinfectant.id,
            lotId: lot!.id,
            quantity: "1",
            purpose: "DISTRIBUTION",
            recipient: "卫生室",
            reason: "disinfection",
          },
        },
        depot.keeper,
      );
    // 23:30 on the 24th in Shanghai (07:30 in Los Angeles): still usable
    now = new Date("2026-11-24T15:30:00Z");
    expect((await issueOne()).data!.issueStock.userErrors).toEqual([]);
    // 00:30 on the 25th in Shanghai, still the 24th in Los Angeles: expired
    now = new Date("2026-11-24T16:30:00Z");
    expect((await issueOne()).data!.issueStock.userErrors).toMatchObject([{ code: "LOT_NOT_ISSUABLE" }]);
    const stock = await svc.gql<{
      node: { stock: { item: { id: string }; onHand: string; usable: string; expired: string }[] };
    }>(
      `query($id: ID!) { node(id: $id) { ... on Depot { stock { item { id } onHand usable expired } } } }`,
      { id: depot.id },
      county.auditor,
    );
    expect(stock.data!.node.stock.find((s) => s.item.id === disinfectant.id)).toEqual({
      item: { id: disinfectant.id },
      onHand: "3",
      usable: "0",
      expired: "3",
    });
    now = new Date("2026-11-24T02:00:00Z");
  });
});

interface ExpiringPage {
  expiringLots: {
    edges: {
      cursor: string;
      node: { daysToExpiry: number; bucket: string; lot: { id: string; expiresOn: string } };
    }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const EXPIRING = `query($region: ID!, $within: Int!, $asOf: String, $first: Int, $after: String) {
  expiringLots(regionId: $region, within: $within, asOf: $asOf, first: $first, after: $after) {
    edges { cursor node { daysToExpiry bucket lot { id expiresOn } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/**
 * A township of its own with its depot and a village point kept by the same keeper, holding lots of one item
 * that expire 0, 10, 45, 75, 100, 120 and 121 days after TODAY, alternating between the two depots; and three
 * that no expiry list shows: one expired, one quarantined, one issued to nothing.
 */
async function expiringWorld() {
  const township = await aTownshipWithDepot(county);
  const villageRegion = await aVillage(township);
  const village = await aDepot(villageRegion, { keeper: township.depot.keeper });
  const item = await anItem(county, { shelfLifeDays: 730 });
  const listed: { depot: Depot; region: string; expiresOn: string; days: number }[] = [
    { depot: village, region: villageRegion.nameZh, expiresOn: "2026-11-24", days: 0 },
    { depot: township.depot, region: township.nameZh, expiresOn: "2026-12-04", days: 10 },
    { depot: village, region: villageRegion.nameZh, expiresOn: "2027-01-08", days: 45 },
    { depot: township.depot, region: township.nameZh, expiresOn: "2027-02-07", days: 75 },
    { depot: village, region: villageRegion.nameZh, expiresOn: "2027-03-04", days: 100 },
    { depot: township.depot, region: township.nameZh, expiresOn: "2027-03-24", days: 120 },
    { depot: township.depot, region: township.nameZh, expiresOn: "2027-03-25", days: 121 },
  ];
  const lots: string[] = [];
  for (const l of listed) lots.push((await aLotOf(l.depot, item, "5", { expiresOn: l.expiresOn }))[0]!.id);
  await aLotOf(township.depot, item, "5", { expiresOn: "2026-11-20", acceptExpired: true });
  const [held] = await aLotOf(township.depot, item, "5", { expiresOn: "2026-12-01" });
  const quarantined = await svc.gql<{ setLotCondition: { userErrors: UserErrorView[] } }>(
    SET_CONDITION,
    { input: { lotId: held!.id, condition: "QUARANTINED", reason: "包装破损" } },
    township.depot.keeper,
  );
  expect(quarantined.data!.setLotCondition.userErrors).toEqual([]);
  const [used] = await aLotOf(township.depot, item, "5", { expiresOn: "2026-12-02" });
  const issued = await svc.gql<{ issueStock: ChangeView }>(
    ISSUE,
    {
      input: {
        depotId: township.depot.id,
        itemId: item.id,
        lotId: used!.id,
        quantity: "5",
        purpose: "DISTRIBUTION",
        recipient: "卫生室",
        reason: "用完",
      },
    },
    township.depot.keeper,
  );
  expect(issued.data!.issueStock.userErrors).toEqual([]);
  return { township, listed: listed.map((l, i) => ({ ...l, lotId: lots[i]! })) };
}

const bucketOf = (days: number) =>
  days <= 30
    ? "WITHIN_30_DAYS"
    : days <= 60
      ? "WITHIN_60_DAYS"
      : days <= 90
        ? "WITHIN_90_DAYS"
        : "WITHIN_180_DAYS";

describe("expiring lots", () => {
  it("names each lot's depot and region without a statement more than the page itself", async () => {
    const { township, listed } = await expiringWorld();
    const ask = async (fields: string) => {
      const q = `query($region: ID!) { expiringLots(regionId: $region, within: 366, asOf: "${TODAY}", first: 50) {
        nodes { lot { id ${fields} } } } }`;
      await svc.gql(q, { region: township.id }, county.auditor); // regions are held in memory after a first read
      const before = svc.database.statements();
      const res = await svc.gql<{
        expiringLots: {
          nodes: { lot: { id: string; depot?: { code: string; region: { nameZh: string } } } }[];
        };
      }>(q, { region: township.id }, county.auditor);
      expect(res.errors).toBeUndefined();
      return { statements: svc.database.statements() - before, nodes: res.data!.expiringLots.nodes };
    };
    const bare = await ask("");
    const named = await ask("depot { code region { nameZh } }");
    expect(named.nodes).toEqual(
      listed.map((l) => ({
        lot: { id: l.lotId, depot: { code: l.depot.code, region: { nameZh: l.region } } },
      })),
    );
    expect(bare.nodes).toEqual(listed.map((l) => ({ lot: { id: l.lotId } })));
    expect(named.statements).toBe(bare.statements);
  });

  it("lists every serviceable lot of the region expiring in the window, earliest first, page by page", async () => {
    const { township, listed } = await expiringWorld();
    const seen: ExpiringPage["expiringLots"]["edges"] = [];
    let pages = 0;
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const res: { data: ExpiringPage | null } = await svc.gql<ExpiringPage>(
        EXPIRING,
        { region: township.id, within: 120, asOf: TODAY, first: 4, after },
        county.auditor,
      );
      pages += 1;
      seen.push(...res.data!.expiringLots.edges);
      if (!res.data!.expiringLots.pageInfo.hasNextPage) break;
      after = res.data!.expiringLots.pageInfo.endCursor;
    }
    // within 120 days: not the one of day 121, nor the expired, quarantined and empty lots
    const inWindow = listed.filter((l) => l.days <= 120);
    expect(pages).toBe(2);
    expect(seen.map((e) => e.node)).toEqual(
      inWindow.map((l) => ({
        daysToExpiry: l.days,
        bucket: bucketOf(l.days),
        lot: { id: l.lotId, expiresOn: l.expiresOn },
      })),
    );
  });

  it("shows a keeper only the lots of the depots they keep", async () => {
    const item = await anItem(county, { shelfLifeDays: 730 });
    const [own] = await aLotOf(pair.lender.depot, item, "5", { expiresOn: "2027-01-10" });
    const [other] = await aLotOf(pair.borrower.depot, item, "5", { expiresOn: "2027-01-05" });
    const ask = async (as: string) => {
      const res = await svc.gql<{
        expiringLots: { nodes: { lot: { id: string; item: { id: string }; depot: { code: string } } }[] };
      }>(
        `query($region: ID!) { expiringLots(regionId: $region, within: 366, first: 100) {
          nodes { lot { id item { id } depot { code } } } } }`,
        { region: county.id },
        as,
      );
      return res.data!.expiringLots.nodes.map((n) => n.lot);
    };
    const keeper = await ask(pair.lender.depot.keeper);
    expect(keeper.filter((l) => l.item.id === item.id).map((l) => l.id)).toEqual([own!.id]);
    expect(new Set(keeper.map((l) => l.depot.code))).toEqual(new Set([pair.lender.depot.code]));
    // the county's auditor sees both, earliest first
    const auditor = await ask(county.auditor);
    expect(auditor.filter((l) => l.item.id === item.id).map((l) => l.id)).toEqual([other!.id, own!.id]);
  });
});

interface Proposal {
  daysToExpiry: number;
  lot: { id: string; onHand: string; allocated: string; item: { id: string } };
  actions: {
    kind: string;
    quantity: string;
    disposal: string | null;
    replacementQuantity: string | null;
    toRegion: { id: string } | null;
    toDepot: { code: string } | null;
  }[];
}

const PLAN = `query($region: ID!, $asOf: String) { rotationPlan(regionId: $region, asOf: $asOf, first: 100) {
  nodes { daysToExpiry lot { id onHand allocated item { id } }
    actions { kind quantity disposal replacementQuantity toRegion { id } toDepot { code } } }
  pageInfo { hasNextPage } } }`;

/** The county's rotation plan on TODAY, as its auditor reads it: the proposals for the test's own items. */
async function planFor(...items: Item[]): Promise<Proposal[]> {
  const res = await svc.gql<{ rotationPlan: { nodes: Proposal[]; pageInfo: { hasNextPage: boolean } } }>(
    PLAN,
    { region: county.id, asOf: TODAY },
    county.auditor,
  );
  expect(res.errors).toBeUndefined();
  expect(res.data!.rotationPlan.pageInfo.hasNextPage).toBe(false);
  const ids = new Set(items.map((i) => i.id));
  return res.data!.rotationPlan.nodes.filter((p) => ids.has(p.lot.item.id));
}

const action = (kind: string, quantity: string, more: Partial<Proposal["actions"][number]> = {}) => ({
  kind,
  quantity,
  disposal: null,
  replacementQuantity: null,
  toRegion: null,
  toDepot: null,
  ...more,
});
const rotateOut = (quantity: string, disposal: string) =>
  action("ROTATE_OUT", quantity, { disposal, replacementQuantity: quantity });

describe("the rotation plan", () => {
  it("covers every lot in its rotation window, takes exactly its unallocated stock, and is the same twice", async () => {
    // quilts rotate 60 days before expiry: lots 20 and 60 days out are in the window, 61 days out is not
    const quilts = await anItem(county, { category: "SHELTER", shelfLifeDays: 1825, rotationLeadDays: 60 });
    const depot = pair.lender.depot;
    const [soon] = await aLotOf(depot, quilts, "50", { expiresOn: "2026-12-14" });
    const [edge] = await aLotOf(depot, quilts, "30", { expiresOn: "2027-01-23" });
    await aLotOf(depot, quilts, "40", { expiresOn: "2027-01-24" });
    await aLotOf(depot, quilts, "10", { expiresOn: "2026-11-20", acceptExpired: true });
    // the neighbour's request holds 10 of them
    await anApprovedRequisition(between(pair, [{ item: quilts, quantity: "10" }]));

    const plan = await planFor(quilts);
    expect(await planFor(quilts)).toEqual(plan);
    expect(plan.map((p) => [p.lot.id, p.daysToExpiry])).toEqual([
      [soon!.id, 20],
      [edge!.id, 60],
    ]);
    const held = plan.reduce((n, p) => n + Number(p.lot.allocated), 0);
    expect(held).toBe(10);
    for (const p of plan) {
      const free = String(Number(p.lot.onHand) - Number(p.lot.allocated));
      expect(p.actions).toEqual([rotateOut(free, "DONATE")]);
    }
  });

  it("sends stock nearing expiry where the county is short, before anything else", async () => {
    // the borrowing township needs 100 of a disinfectant and holds none
    const disinfectant = await anItem(county, {
      category: "MEDICAL",
      shelfLifeDays: 365,
      rotationLeadDays: 60,
    });
    await aNorm(county, disinfectant, pair.borrower.id, "100");
    const [first] = await aLotOf(warehouse, disinfectant, "50", { expiresOn: "2026-12-14" });
    const [second] = await aLotOf(pair.lender.depot, disinfectant, "80", { expiresOn: "2026-12-24" });

    const plan = await planFor(disinfectant);

    const toBorrower = (quantity: string) =>
      action("TRANSFER", quantity, {
        toRegion: { id: pair.borrower.id },
        toDepot: { code: pair.borrower.depot.code },
      });
    // earliest first: the warehouse's 50 fill half the gap, the lender's lot the rest, and its last 30 go to a drill
    expect(plan.map((p) => ({ lot: p.lot.id, days: p.daysToExpiry, actions: p.actions }))).toEqual([
      { lot: first!.id, days: 20, actions: [toBorrower("50")] },
      { lot: second!.id, days: 30, actions: [toBorrower("50"), action("USE_IN_DRILL", "30")] },
    ]);
    // the target is genuinely short, as its coverage says
    const coverage = await svc.gql<{
      coverage: { lines: { item: { id: string }; required: string; usable: string }[] };
    }>(
      `query($r: ID!) { coverage(regionId: $r) { lines { item { id } required usable } } }`,
      { r: pair.borrower.id },
      county.auditor,
    );
    expect(coverage.data!.coverage.lines.find((l) => l.item.id === disinfectant.id)).toEqual({
      item: { id: disinfectant.id },
      required: "100",
      usable: "0",
    });
  });

  it("proposes a drill for consumables nobody is short of, and rotation out with a replacement otherwise", async () => {
    const lead = { shelfLifeDays: 730, rotationLeadDays: 60 };
    const bags = await anItem(county, { category: "FLOOD_CONTROL", ...lead });
    const pumps = await anItem(county, { category: "FLOOD_CONTROL", returnable: true, ...lead });
    const quilts = await anItem(county, { category: "SHELTER", ...lead });
    const cement = await anItem(county, { category: "CONSTRUCTION_MATERIAL", ...lead });
    const depot = pair.lender.depot;
    const [drill] = await aLotOf(depot, bags, "20", { expiresOn: "2026-12-14" });
    const [tooLate] = await aLotOf(depot, bags, "6", { expiresOn: "2026-11-29" });
    const [pump] = await aLotOf(depot, pumps, "2", { expiresOn: "2026-12-14" });
    const [quilt] = await aLotOf(depot, quilts, "12", { expiresOn: "2026-12-14" });
    const [bag] = await aLotOf(depot, cement, "3", { expiresOn: "2026-12-14" });

    const plan = await planFor(bags, pumps, quilts, cement);

    const byLot = new Map(plan.map((p) => [p.lot.id, p.actions]));
    expect(byLot).toEqual(
      new Map([
        [tooLate!.id, [rotateOut("6", "RETURN_TO_SUPPLIER")]], // five days: too late for a drill
        [drill!.id, [action("USE_IN_DRILL", "20")]],
        [pump!.id, [rotateOut("2", "RETURN_TO_SUPPLIER")]], // lent equipment is not used up in a drill
        [quilt!.id, [rotateOut("12", "DONATE")]],
        [bag!.id, [rotateOut("3", "SELL")]],
      ]),
    );
  });
});

const ROTATE = `mutation($input: RotateOutInput!) { rotateOut(input: $input) {
  rotation { id status quantity disposal } movements { kind quantity } lots { id onHand } userErrors { field code } } }`;

describe("rotating stock out", () => {
  const quiltLot = async () => {
    const quilts = await anItem(county, { category: "SHELTER", shelfLifeDays: 1825, rotationLeadDays: 180 });
    const [lot] = await aLotOf(pair.lender.depot, quilts, "40", {
      receivedOn: "2024-01-01",
      expiresOn: "2027-01-31",
    });
    return { quilts, lot: lot! };
  };

  it("writes a ROTATION_OUT line and keeps the rotation open until a receipt replaces it", async () => {
    const { quilts, lot } = await quiltLot();
    const keeper = pair.lender.depot.keeper;
    const res = await svc.gql<{ rotateOut: Record<string, unknown> & { rotation: { id: string } } }>(
      ROTATE,
      {
        input: {
          lotId: lot.id,
          quantity: "40",
          disposal: "DONATE",
          reason: "donated to the old people's home",
        },
      },
      keeper,
    );
    expect(res.data!.rotateOut).toMatchObject({
      rotation: { status: "OPEN", quantity: "40", disposal: "DONATE" },
      movements: [{ kind: "ROTATION_OUT", quantity: "-40" }],
      lots: [{ id: lot.id, onHand: "0" }],
      userErrors: [],
    });
    const rotationId = res.data!.rotateOut.rotation.id;
    const replace = (lotCode: string) =>
      svc.gql<{ receiveStock: ChangeView }>(
        RECEIVE,
        {
          input: {
            depotId: pair.lender.depot.id,
            itemId: quilts.id,
            quantity: "40",
            lotCode,
            receivedOn: "2026-11-20",
            source: "PURCHASE",
            reason: "replacement",
            replacesRotationId: rotationId,
          },
        },
        keeper,
      );
    expect((await replace(`${quilts.code}-NEW`)).data!.receiveStock.userErrors).toEqual([]);
    expect((await replace(`${quilts.code}-NEW2`)).data!.receiveStock.userErrors).toMatchObject([
      { code: "INVALID_TRANSITION", field: ["input", "replacesRotationId"] },
    ]);
    const rotations = await svc.gql<{
      rotations: { nodes: { id: string; status: string; replacementLot: { onHand: string } }[] };
    }>(
      "{ rotations(status: CLOSED, first: 100) { nodes { id status replacementLot { onHand } } } }",
      {},
      keeper,
    );
    expect(rotations.data!.rotations.nodes.find((r) => r.id === rotationId)).toEqual({
      id: rotationId,
      status: "CLOSED",
      replacementLot: { onHand: "40" },
    });
  });

  it("never removes allocated stock, and respects custody", async () => {
    const { quilts, lot } = await quiltLot();
    // the neighbour's approved request holds 30 of the 40
    await anApprovedRequisition(between(pair, [{ item: quilts, quantity: "30" }]));
    const rotate = (quantity: string, as: string) =>
      svc.gql<{ rotateOut: { lots: { onHand: string }[]; userErrors: UserErrorView[] } }>(
        ROTATE,
        { input: { lotId: lot.id, quantity, disposal: "SELL", reason: "sold" } },
        as,
      );
    const before = await books(svc);

    const tooMuch = await rotate("11", pair.lender.depot.keeper);
    const outsider = await rotate("1", pair.borrower.depot.keeper);

    expect(tooMuch.data!.rotateOut.userErrors).toMatchObject([
      { code: "INSUFFICIENT_STOCK", field: ["input", "quantity"] },
    ]);
    expect(outsider.data!.rotateOut.userErrors).toMatchObject([{ code: "NOT_FOUND" }]);
    expect(await books(svc)).toEqual(before);
    const within = await rotate("10", pair.lender.depot.keeper);
    expect(within.data!.rotateOut).toMatchObject({ userErrors: [], lots: [{ onHand: "30" }] });
  });
});

interface RegionFigures {
  region: { id: string; level: string };
  expired: { item: { id: string }; quantity: string; lots: number }[];
  expiringWithin30Days: { item: { id: string }; quantity: string; lots: number }[];
  serialisedUnits: number;
  unitsTestOverdue: number;
  openRotations: number;
  depots: number;
  staleDepots: number;
  countedInTimeShare: number;
}

interface ReadinessPage {
  readiness: { nodes: RegionFigures[]; pageInfo: { hasNextPage: boolean } };
}

const READINESS = `query($region: ID!, $first: Int, $asOf: String) {
  readiness(regionId: $region, first: $first, asOf: $asOf) {
    nodes { region { id level } expired { item { id } quantity lots } expiringWithin30Days { item { id } quantity lots }
      serialisedUnits unitsTestOverdue openRotations depots staleDepots countedInTimeShare }
    pageInfo { hasNextPage } } }`;

const readiness = async (region: string, as: string, vars: { first?: number; asOf?: string } = {}) => {
  const res = await svc.gql<ReadinessPage>(READINESS, { region, first: 100, ...vars }, as);
  expect(res.errors).toBeUndefined();
  return res.data!.readiness.nodes;
};

describe("readiness", () => {
  it("equals what the lots say, for the county and each region below it", async () => {
    // a county of its own: two townships, a village point under the first, a county warehouse
    const own = await aCounty(svc, {
      townships: 2,
      countyDepots: ["COUNTY_WAREHOUSE"],
      items: [
        { shelfLifeDays: 730 },
        { shelfLifeDays: 730 },
        { trackingMode: "SERIAL", testRunIntervalDays: 90 },
      ],
    });
    const [t1, t2] = own.townships as [Township, Township];
    const [cw] = own.depots as [Depot];
    const [a, b, generators] = own.items as [Item, Item, Item];
    const villageRegion = await aVillage(t1);
    const village = await aDepot(villageRegion, { keeper: t1.depot.keeper });
    const expired = { acceptExpired: true };
    await aLotOf(t1.depot, a, "20", { expiresOn: "2026-11-01", ...expired });
    await aLotOf(t1.depot, a, "15", { expiresOn: "2026-12-10" }); // 16 days left
    await aLotOf(t1.depot, a, "60", { expiresOn: "2030-01-01" });
    await aLotOf(village, a, "5", { expiresOn: "2026-10-01", ...expired });
    await aLotOf(t2.depot, b, "7", { expiresOn: "2026-11-23", ...expired }); // yesterday
    await aLotOf(t2.depot, b, "9", { expiresOn: TODAY }); // still usable today
    await aLotOf(cw, a, "40", { expiresOn: "2030-01-01" });
    await aLotOf(t1.depot, generators, "3", { receivedOn: "2026-01-10" }); // never test-run in 90 days
    await aLotOf(cw, generators, "2", { receivedOn: "2026-11-01" });

    const nodes = await readiness(own.id, own.auditor, { asOf: TODAY });

    const q = (item: Item, quantity: string, lots: number) => ({ item: { id: item.id }, quantity, lots });
    const figures = (r: { id: string }, level: string, f: Partial<RegionFigures>) => ({
      region: { id: r.id, level },
      expired: [],
      expiringWithin30Days: [],
      serialisedUnits: 0,
      unitsTestOverdue: 0,
      openRotations: 0,
      staleDepots: f.depots,
      countedInTimeShare: 0,
      ...f,
    });
    const byRegion = new Map(nodes.map((n) => [n.region.id, n]));
    expect(nodes).toHaveLength(4);
    expect(byRegion).toEqual(
      new Map([
        [
          own.id,
          figures(own, "COUNTY", {
            expired: [q(a, "25", 2), q(b, "7", 1)],
            expiringWithin30Days: [q(a, "15", 1), q(b, "9", 1)],
            serialisedUnits: 5,
            unitsTestOverdue: 3,
            depots: 4,
          }),
        ],
        [
          t1.id,
          figures(t1, "TOWNSHIP", {
            expired: [q(a, "25", 2)],
            expiringWithin30Days: [q(a, "15", 1)],
            serialisedUnits: 3,
            unitsTestOverdue: 3,
            depots: 2,
          }),
        ],
        [
          t2.id,
          figures(t2, "TOWNSHIP", {
            expired: [q(b, "7", 1)],
            expiringWithin30Days: [q(b, "9", 1)],
            depots: 1,
          }),
        ],
        [villageRegion.id, figures(villageRegion, "VILLAGE", { expired: [q(a, "5", 1)], depots: 1 })],
      ]),
    );
    // scoped by county: neither county's officer reads the other's readiness
    expect(await readiness(county.id, own.officer)).toEqual([]);
    expect(await readiness(own.id, county.officer)).toEqual([]);
  });

  it("counts depots without a recent stock-take as stale, and a submitted count brings the share up", async () => {
    // a township of its own with two depots, neither counted yet
    const township = await aTownshipWithDepot(county);
    await aDepot(await aVillage(township), { keeper: township.depot.keeper });
    const item = await anItem(county);
    await aLotOf(township.depot, item, "12");
    const census = async (asOf?: string) => {
      const [own] = await readiness(township.id, county.auditor, { first: 1, ...(asOf ? { asOf } : {}) });
      return {
        depots: own!.depots,
        staleDepots: own!.staleDepots,
        countedInTimeShare: own!.countedInTimeShare,
      };
    };
    expect(await census()).toEqual({ depots: 2, staleDepots: 2, countedInTimeShare: 0 });

    await aStockTake(township.depot);

    expect(await census()).toEqual({ depots: 2, staleDepots: 1, countedInTimeShare: 0.5 });
    // counted today, the depot stays in time for 90 days and is stale on the 91st
    expect(await census("2027-02-22")).toEqual({ depots: 2, staleDepots: 1, countedInTimeShare: 0.5 });
    expect(await census("2027-02-23")).toEqual({ depots: 2, staleDepots: 2, countedInTimeShare: 0 });
  });

  it("is for officers and auditors over their own regions: a township office cannot read the county's", async () => {
    const office = pair.lender.officer;
    expect(await readiness(county.id, office)).toEqual([]);
    expect((await readiness(pair.lender.id, office)).map((n) => n.region.id)).toEqual([pair.lender.id]);
    expect(await readiness(pair.borrower.id, office)).toEqual([]);
    const keeper = await svc.gql(READINESS, { region: county.id, first: 5 }, pair.lender.depot.keeper);
    expect(keeper.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("costs the same number of statements for one region as for fifty", async () => {
    // fifty regions: the county and 49 townships, each with a depot, some holding stock
    const big = await aCounty(svc, { townships: 49, items: [{ shelfLifeDays: 730 }] });
    const [item] = big.items as [Item];
    for (const t of big.townships.slice(0, 3)) {
      await aLotOf(t.depot, item, "5", { expiresOn: "2026-11-01", acceptExpired: true });
      await aLotOf(t.depot, item, "5", { expiresOn: "2026-12-01" });
    }
    const run = async (first: number) => {
      coldCaches(svc.database);
      const before = svc.database.statements();
      const res = await svc.gql<ReadinessPage>(READINESS, { region: big.id, first }, big.auditor);
      expect(res.data!.readiness.nodes.length).toBe(first);
      return svc.database.statements() - before;
    };
    expect(await run(50)).toBe(await run(1));
  });
});
