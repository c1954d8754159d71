// The service must judge expiry in Asia/Shanghai whatever the server's zone: run this file in Los Angeles.
process.env.TZ = "America/Los_Angeles";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coldCaches } from "./support/caches.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import {
  type ChangeView,
  demoIds,
  type DemoIds,
  ISSUE,
  receiveLot,
  RECEIVE,
  type UserErrorView,
} from "./support/world.js";

let now = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
let ids: DemoIds;
let countyId: string;
beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
  ids = await demoIds(svc);
  const res = await svc.gql<{ regions: { nodes: { id: string }[] } }>(
    "{ regions(level: COUNTY) { nodes { id } } }",
  );
  countyId = res.data!.regions.nodes[0]!.id;
});
afterAll(() => svc.stop());

const KEEPER = "chengguan.keeper";

describe("expiry is decided by the date in Asia/Shanghai", () => {
  it("a lot that expires today is usable today and not tomorrow, with the process in another zone", async () => {
    expect(new Date("2026-11-24T12:00:00Z").getTimezoneOffset()).toBe(480); // Los Angeles, not Shanghai (-480)
    now = new Date("2026-11-24T02:00:00Z");
    const lot = await receiveLot(svc, KEEPER, {
      depotId: ids.depot("VP-CHENGGUAN-203"),
      itemId: ids.item("DISINFECTANT_84"),
      quantity: "4",
      receivedOn: "2026-11-01",
      expiresOn: "2026-11-24",
    });
    const issueOne = () =>
      svc.gql<{ issueStock: ChangeView }>(
        ISSUE,
        {
          input: {
            depotId: ids.depot("VP-CHENGGUAN-203"),
            itemId: ids.item("DISINFECTANT_84"),
            lotId: lot.id,
            quantity: "1",
            purpose: "DISTRIBUTION",
            recipient: "卫生室",
            reason: "disinfection",
          },
        },
        KEEPER,
      );
    // 23:30 on the 24th in Shanghai (07:30 in Los Angeles): still usable
    now = new Date("2026-11-24T15:30:00Z");
    expect((await issueOne()).data!.issueStock.userErrors).toEqual([]);
    // 00:30 on the 25th in Shanghai, still the 24th in Los Angeles: expired
    now = new Date("2026-11-24T16:30:00Z");
    expect((await issueOne()).data!.issueStock.userErrors).toMatchObject([{ code: "LOT_NOT_ISSUABLE" }]);
    const stock = await svc.gql<{
      node: { stock: { item: { code: string }; usable: string; expired: string }[] };
    }>(
      `query($id: ID!) { node(id: $id) { ... on Depot { stock { item { code } usable expired } } } }`,
      { id: ids.depot("VP-CHENGGUAN-203") },
      "auditor",
    );
    expect(stock.data!.node.stock.find((s) => s.item.code === "DISINFECTANT_84")).toEqual({
      item: { code: "DISINFECTANT_84" },
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

describe("expiring lots", () => {
  it("names each lot's depot and region without a statement more than the page itself", async () => {
    const ask = async (fields: string) => {
      const q = `query($region: ID!) { expiringLots(regionId: $region, within: 366, asOf: "2026-11-24", first: 50) {
        nodes { lot { lotCode ${fields} } } } }`;
      await svc.gql(q, { region: countyId }, "auditor"); // regions are held in memory after a first read
      const before = svc.database.statements();
      const res = await svc.gql<{ expiringLots: { nodes: { lot: { depot?: { code: string } } }[] } }>(
        q,
        { region: countyId },
        "auditor",
      );
      expect(res.errors).toBeUndefined();
      return { statements: svc.database.statements() - before, nodes: res.data!.expiringLots.nodes };
    };
    const bare = await ask("");
    const named = await ask("depot { code region { nameZh } }");
    expect(named.nodes.length).toBeGreaterThan(5);
    expect(named.nodes.every((n) => n.lot.depot && n.lot.depot.code.length > 0)).toBe(true);
    expect(named.statements).toBe(bare.statements);
  });

  it("lists every serviceable lot of the county expiring in the window, earliest first, page by page", async () => {
    const seen: ExpiringPage["expiringLots"]["edges"] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const res: { data: ExpiringPage | null } = await svc.gql<ExpiringPage>(
        EXPIRING,
        { region: countyId, within: 120, asOf: "2026-11-24", first: 4, after },
        "auditor",
      );
      seen.push(...res.data!.expiringLots.edges);
      if (!res.data!.expiringLots.pageInfo.hasNextPage) break;
      after = res.data!.expiringLots.pageInfo.endCursor;
    }
    const expected = await query<{ n: number }>(
      svc.database,
      sql`select count(*)::int as n from lots where condition = 'SERVICEABLE' and on_hand > 0
           and expires_on between '2026-11-24'::date and '2026-11-24'::date + 120`,
    );
    expect(seen.length).toBe(expected[0]!.n);
    expect(seen.length).toBeGreaterThan(5);
    const dates = seen.map((e) => e.node.lot.expiresOn);
    expect(dates).toEqual([...dates].sort());
    for (const e of seen) {
      const d = e.node.daysToExpiry;
      expect(e.node.bucket).toBe(
        d <= 30
          ? "WITHIN_30_DAYS"
          : d <= 60
            ? "WITHIN_60_DAYS"
            : d <= 90
              ? "WITHIN_90_DAYS"
              : "WITHIN_180_DAYS",
      );
    }
  });

  it("shows a keeper only the lots of the depots they keep", async () => {
    const res = await svc.gql<ExpiringPage>(
      EXPIRING,
      { region: countyId, within: 366, first: 100 },
      "hekou.keeper",
    );
    const lotIds = res.data!.expiringLots.edges.map((e) => e.node.lot.id);
    const depots = await svc.gql<{
      lots: { nodes: { id: string; depot: { keepers: { user: { username: string } }[] } }[] };
    }>(
      `query { lots(first: 100, condition: SERVICEABLE, expiringBefore: "2027-11-26") {
        nodes { id depot { keepers { user { username } } } } } }`,
      {},
      "hekou.keeper",
    );
    expect(lotIds.length).toBeGreaterThan(0);
    for (const lot of depots.data!.lots.nodes) {
      expect(lot.depot.keepers.map((k) => k.user.username)).toContain("hekou.keeper");
    }
  });
});

interface PlanPage {
  rotationPlan: {
    nodes: {
      daysToExpiry: number;
      lot: { id: string; onHand: string; allocated: string; item: { code: string } };
      actions: {
        kind: string;
        quantity: string;
        disposal: string | null;
        replacementQuantity: string | null;
        toRegion: { id: string; nameZh: string } | null;
        toDepot: { code: string } | null;
      }[];
    }[];
    pageInfo: { hasNextPage: boolean };
  };
}

const PLAN = `query($region: ID!, $asOf: String) { rotationPlan(regionId: $region, asOf: $asOf, first: 100) {
  nodes { daysToExpiry lot { id onHand allocated item { code } }
    actions { kind quantity disposal replacementQuantity toRegion { id nameZh } toDepot { code } } }
  pageInfo { hasNextPage } } }`;

const toThousandths = (q: string) => BigInt(Math.round(Number(q) * 1000));

describe("the rotation plan", () => {
  it("covers every lot in its rotation window, takes exactly its unallocated stock, and is the same twice", async () => {
    const a = await svc.gql<PlanPage>(PLAN, { region: countyId, asOf: "2026-11-24" });
    const b = await svc.gql<PlanPage>(PLAN, { region: countyId, asOf: "2026-11-24" });
    expect(a.errors).toBeUndefined();
    expect(a).toEqual(b);
    const expected = await query<{ n: number }>(
      svc.database,
      sql`select count(*)::int as n from lots l join items i on i.id = l.item_id
           where l.condition = 'SERVICEABLE' and l.on_hand > l.allocated and i.rotation_lead_days is not null
             and l.expires_on >= '2026-11-24'::date and l.expires_on - i.rotation_lead_days <= '2026-11-24'::date`,
    );
    const plan = a.data!.rotationPlan.nodes;
    expect(plan.length).toBe(expected[0]!.n);
    expect(plan.length).toBeGreaterThan(3);
    for (const p of plan) {
      const taken = p.actions.reduce((s, x) => s + toThousandths(x.quantity), 0n);
      expect(taken).toBe(toThousandths(p.lot.onHand) - toThousandths(p.lot.allocated));
    }
  });

  it("sends stock nearing expiry where the county is short, before anything else", async () => {
    // a county-warehouse lot of disinfectant expiring in 20 days: townships hold 5 L per 1,000 residents
    await receiveLot(svc, "county.keeper", {
      depotId: ids.depot("CW-01"),
      itemId: ids.item("DISINFECTANT_84"),
      quantity: "50",
      receivedOn: "2026-06-01",
      expiresOn: "2026-12-14",
      lotCode: "ROT-DIS-1",
    });
    const res = await svc.gql<PlanPage>(PLAN, { region: countyId, asOf: "2026-11-24" });
    const proposal = res.data!.rotationPlan.nodes.find(
      (p) => p.lot.onHand === "50" && p.daysToExpiry === 20,
    )!;
    expect(proposal.actions[0]!.kind).toBe("TRANSFER");
    const target = proposal.actions[0]!.toRegion!;
    // the target is genuinely short: its usable disinfectant is below 5 L per 1,000 residents
    const [short] = await query<{ required: string; usable: string }>(
      svc.database,
      sql`select (r.population * 5 / 1000.0)::text as required,
                 coalesce((select sum(l.on_hand - l.allocated) from region_paths p
                   join depots d on d.county_id = p.county_id and d.region_id = p.descendant_id
                   join lots l on l.county_id = d.county_id and l.depot_id = d.id
                   join items i on i.id = l.item_id
                  where p.ancestor_id = r.id and i.code = 'DISINFECTANT_84' and l.condition = 'SERVICEABLE'
                    and (l.expires_on is null or l.expires_on >= '2026-11-24')), 0)::text as usable
            from regions r where r.name_zh = ${target.nameZh}`,
    );
    expect(Number(short!.usable)).toBeLessThan(Number(short!.required));
  });

  it("proposes a drill for consumables nobody is short of, and rotation out with a replacement otherwise", async () => {
    const res = await svc.gql<PlanPage>(PLAN, { region: countyId, asOf: "2026-11-24" });
    for (const p of res.data!.rotationPlan.nodes) {
      const last = p.actions[p.actions.length - 1]!;
      if (last.kind === "ROTATE_OUT") {
        expect(last.replacementQuantity).toBe(last.quantity);
        expect(last.disposal).not.toBeNull();
      }
      if (last.kind === "USE_IN_DRILL") expect(["DISINFECTANT_84", "WOVEN_BAG"]).toContain(p.lot.item.code);
    }
    const quilts = res.data!.rotationPlan.nodes.filter((p) => p.lot.item.code === "QUILT");
    for (const q of quilts) {
      const rotate = q.actions.find((x) => x.kind === "ROTATE_OUT");
      if (rotate) expect(rotate.disposal).toBe("DONATE");
    }
  });
});

const ROTATE = `mutation($input: RotateOutInput!) { rotateOut(input: $input) {
  rotation { id status quantity disposal } movements { kind quantity } lots { id onHand } userErrors { field code } } }`;

describe("rotating stock out", () => {
  const quiltLot = () =>
    receiveLot(svc, KEEPER, {
      depotId: ids.depot("TD-CHENGGUAN"),
      itemId: ids.item("QUILT"),
      quantity: "40",
      receivedOn: "2024-01-01",
      expiresOn: "2027-01-31",
    });

  it("writes a ROTATION_OUT line and keeps the rotation open until a receipt replaces it", async () => {
    const lot = await quiltLot();
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
      KEEPER,
    );
    expect(res.data!.rotateOut).toMatchObject({
      rotation: { status: "OPEN", quantity: "40", disposal: "DONATE" },
      movements: [{ kind: "ROTATION_OUT", quantity: "-40" }],
      lots: [{ onHand: "0" }],
      userErrors: [],
    });
    const rotationId = res.data!.rotateOut.rotation.id;
    const replace = (lotCode: string) =>
      svc.gql<{ receiveStock: ChangeView }>(
        RECEIVE,
        {
          input: {
            depotId: ids.depot("TD-CHENGGUAN"),
            itemId: ids.item("QUILT"),
            quantity: "40",
            lotCode,
            receivedOn: "2026-11-20",
            source: "PURCHASE",
            reason: "replacement",
            replacesRotationId: rotationId,
          },
        },
        KEEPER,
      );
    expect((await replace("Q-2026-NEW")).data!.receiveStock.userErrors).toEqual([]);
    expect((await replace("Q-2026-NEW2")).data!.receiveStock.userErrors).toMatchObject([
      { code: "INVALID_TRANSITION", field: ["input", "replacesRotationId"] },
    ]);
    const rotations = await svc.gql<{
      rotations: { nodes: { id: string; status: string; replacementLot: { onHand: string } }[] };
    }>(
      "{ rotations(status: CLOSED, first: 100) { nodes { id status replacementLot { onHand } } } }",
      {},
      KEEPER,
    );
    expect(rotations.data!.rotations.nodes.find((r) => r.id === rotationId)).toEqual({
      id: rotationId,
      status: "CLOSED",
      replacementLot: { onHand: "40" },
    });
  });

  it("never removes allocated stock, and respects custody", async () => {
    const lot = await quiltLot();
    // a hold as approval makes it: on the lot and on its depot-item balance, which the invariant checks
    await query(
      svc.database,
      sql`with held as (
            update lots set allocated = 30
             where id = (select max(id) from lots where item_id = (select id from items where code = 'QUILT'))
            returning county_id, depot_id, item_id)
          update stock_levels s set allocated = s.allocated + 30 from held h
           where (s.county_id, s.depot_id, s.item_id) = (h.county_id, h.depot_id, h.item_id)`,
    );
    const tooMuch = await svc.gql<{ rotateOut: { userErrors: UserErrorView[] } }>(
      ROTATE,
      { input: { lotId: lot.id, quantity: "11", disposal: "SELL", reason: "sold" } },
      KEEPER,
    );
    expect(tooMuch.data!.rotateOut.userErrors).toMatchObject([
      { code: "INSUFFICIENT_STOCK", field: ["input", "quantity"] },
    ]);
    const outsider = await svc.gql<{ rotateOut: { userErrors: UserErrorView[] } }>(
      ROTATE,
      { input: { lotId: lot.id, quantity: "1", disposal: "SELL", reason: "sold" } },
      "hekou.keeper",
    );
    expect(outsider.data!.rotateOut.userErrors).toMatchObject([{ code: "NOT_FOUND" }]);
    const within = await svc.gql<{ rotateOut: { lots: { onHand: string }[]; userErrors: UserErrorView[] } }>(
      ROTATE,
      { input: { lotId: lot.id, quantity: "10", disposal: "SELL", reason: "sold" } },
      KEEPER,
    );
    expect(within.data!.rotateOut).toMatchObject({ userErrors: [], lots: [{ onHand: "30" }] });
  });
});

interface ReadinessPage {
  readiness: {
    nodes: {
      region: { id: string; level: string; nameZh: string };
      expired: { item: { code: string }; quantity: string; lots: number }[];
      expiringWithin30Days: { item: { code: string }; quantity: string }[];
      serialisedUnits: number;
      unitsTestOverdue: number;
      openRotations: number;
      depots: number;
      staleDepots: number;
      countedInTimeShare: number;
    }[];
    pageInfo: { hasNextPage: boolean };
  };
}

const READINESS = `query($region: ID!, $first: Int, $asOf: String) {
  readiness(regionId: $region, first: $first, asOf: $asOf) {
    nodes { region { id level nameZh } expired { item { code } quantity lots } expiringWithin30Days { item { code } quantity }
      serialisedUnits unitsTestOverdue openRotations depots staleDepots countedInTimeShare }
    pageInfo { hasNextPage } } }`;

describe("readiness", () => {
  it("equals what the lots say, for the county and each region below it", async () => {
    const res = await svc.gql<ReadinessPage>(
      READINESS,
      { region: countyId, first: 100, asOf: "2026-11-24" },
      "auditor",
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.readiness.nodes;
    const [regionCount] = await query<{ n: number }>(
      svc.database,
      sql`select count(*)::int as n from regions`,
    );
    expect(nodes.length).toBe(regionCount!.n);
    const county = nodes.find((n) => n.region.level === "COUNTY")!;
    const expired = await query<{ code: string; quantity: string }>(
      svc.database,
      sql`select i.code, sum(l.on_hand)::text as quantity from lots l join items i on i.id = l.item_id
           where l.on_hand > 0 and (l.condition = 'EXPIRED' or (l.condition <> 'DAMAGED' and l.expires_on < '2026-11-24'))
           group by i.code order by i.code`,
    );
    expect(county.expired.map((e) => [e.item.code, e.quantity]).sort()).toEqual(
      expired.map((e) => [e.code, String(Number(e.quantity))]).sort(),
    );
    const [units] = await query<{ total: number; overdue: number }>(
      svc.database,
      sql`select count(*)::int as total,
                 count(*) filter (where coalesce(l.last_test_run_on, l.received_on) + i.test_run_interval_days < '2026-11-24')::int as overdue
            from lots l join items i on i.id = l.item_id where l.on_hand > 0 and i.tracking_mode = 'SERIAL'`,
    );
    expect([county.serialisedUnits, county.unitsTestOverdue]).toEqual([units!.total, units!.overdue]);
    const [depots] = await query<{ n: number }>(svc.database, sql`select count(*)::int as n from depots`);
    expect(county.depots).toBe(depots!.n);
    // a township's figures are part of the county's
    const township = nodes.find((n) => n.region.nameZh === "城关镇")!;
    expect(township.depots).toBeLessThan(county.depots);
    expect(township.serialisedUnits).toBeLessThanOrEqual(county.serialisedUnits);
  });

  it("counts depots without a recent stock-take as stale, and a submitted count brings the share up", async () => {
    const before = await svc.gql<ReadinessPage>(READINESS, { region: countyId, first: 1 }, "auditor");
    const county = before.data!.readiness.nodes[0]!;
    const take = await svc.gql<{
      startStockTake: { stockTake: { id: string; lines: { bookQuantity: string; lot: { id: string } }[] } };
    }>(
      `mutation($input: StartStockTakeInput!) { startStockTake(input: $input) { stockTake { id lines { bookQuantity lot { id } } } } }`,
      { input: { depotId: ids.depot("VP-CHENGGUAN-201") } },
      KEEPER,
    );
    const t = take.data!.startStockTake.stockTake;
    await svc.gql(
      `mutation($input: SubmitStockTakeInput!) { submitStockTake(input: $input) { userErrors { code } } }`,
      {
        input: {
          stockTakeId: t.id,
          counts: t.lines.map((l) => ({ lotId: l.lot.id, countedQuantity: l.bookQuantity })),
        },
      },
      KEEPER,
    );
    const after = await svc.gql<ReadinessPage>(READINESS, { region: countyId, first: 1 }, "auditor");
    const now = after.data!.readiness.nodes[0]!;
    expect(now.staleDepots).toBe(county.staleDepots - 1);
    expect(now.countedInTimeShare).toBeCloseTo((now.depots - now.staleDepots) / now.depots, 4);
    expect(now.countedInTimeShare).toBeGreaterThan(county.countedInTimeShare);
  });

  it("is for officers and auditors over their own regions: a township office cannot read the county's", async () => {
    const res = await svc.gql<ReadinessPage>(READINESS, { region: countyId, first: 5 }, "chengguan.officer");
    expect(res.data!.readiness.nodes).toEqual([]);
    const keeper = await svc.gql(READINESS, { region: countyId, first: 5 }, KEEPER);
    expect(keeper.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("costs the same number of statements for one region as for fifty", async () => {
    const run = async (first: number) => {
      coldCaches(svc.database);
      const before = svc.database.statements();
      const res = await svc.gql<ReadinessPage>(READINESS, { region: countyId, first }, "auditor");
      expect(res.data!.readiness.nodes.length).toBe(first);
      return svc.database.statements() - before;
    };
    expect(await run(50)).toBe(await run(1));
  });
});
