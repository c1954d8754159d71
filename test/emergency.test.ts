import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coldCaches } from "./support/caches.js";
import {
  aCounty,
  anItem,
  type Depot,
  type Item,
  type ProvisionedCounty,
  type Township,
} from "./support/factories.js";
import {
  aLendingPair,
  aStockedItem,
  aSubmittedRequisition,
  between,
  DISPATCH,
} from "./support/requisitionFactories.js";
import { step } from "./support/requisitions.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import { aLotOf, aNorm, stockAt } from "./support/stockFactories.js";
import { books } from "./support/transit.js";
import type { UserErrorView } from "./support/world.js";

// 10:00 in Shanghai on 2026-11-24; tests move it forward where the day matters
let now = new Date("2026-11-24T02:00:00Z");
const DAY = 86_400_000;
let svc: TestService;
/** Two townships with a depot and keeper each, and a county warehouse; items and emergencies are per test. */
let county: ProvisionedCounty;
let east: Township & { depot: Depot };
let west: Township & { depot: Depot };
beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
  county = await aCounty(svc, { townships: 2, countyDepots: ["COUNTY_WAREHOUSE"] });
  [east, west] = county.townships as [typeof east, typeof west];
});
afterAll(() => svc.stop());

interface EmergencyView {
  id: string;
  number: number;
  level: string;
  active: boolean;
  region: { id: string };
  declaredBy: { username: string };
  declaredAt: string;
}
const EMERGENCY = "id number level active region { id } declaredBy { username } declaredAt";
type Payload<T> = T & { userErrors: UserErrorView[] };

async function declare(as: string, regionId: string, extra: Record<string, unknown> = {}) {
  return svc.gql<{ declareEmergency: Payload<{ emergency: EmergencyView | null }> }>(
    `mutation($input: DeclareEmergencyInput!) { declareEmergency(input: $input) {
       emergency { ${EMERGENCY} } userErrors { code field message } } }`,
    { input: { regionId, level: "LEVEL_III", reason: "暴雨洪涝", ...extra } },
    as,
  );
}

/** An emergency a test relies on: a refusal fails it at once. */
async function anEmergency(as: string, regionId: string, extra: Record<string, unknown> = {}) {
  const res = await declare(as, regionId, extra);
  const e = res.data?.declareEmergency.emergency;
  if (!e) throw new Error(`declareEmergency: ${JSON.stringify(res.errors ?? res.data)}`);
  return e;
}

function end(as: string, emergencyId: string, note = "水位回落") {
  return svc.gql<{ endEmergency: Payload<{ emergency: { id: string; active: boolean } | null }> }>(
    `mutation($input: EndEmergencyInput!) { endEmergency(input: $input) {
       emergency { id active } userErrors { code field message } } }`,
    { input: { emergencyId, note } },
    as,
  );
}

interface IssuedLine {
  id: string;
  emergencyNumber: number | null;
  emergency: { id: string } | null;
}
function issue(
  depot: Depot,
  item: Item,
  quantity: string,
  extra: Record<string, unknown> = {},
  as = depot.keeper,
) {
  return svc.gql<{ issueStock: Payload<{ movements: IssuedLine[] }> }>(
    `mutation($input: IssueStockInput!) { issueStock(input: $input) {
       movements { id emergencyNumber emergency { id } } userErrors { code field message } } }`,
    {
      input: {
        depotId: depot.id,
        itemId: item.id,
        quantity,
        purpose: "FLOOD_FIGHTING",
        recipient: "抢险队",
        reason: "堵口",
        ...extra,
      },
    },
    as,
  );
}

const paperworkRows = async () =>
  (await query<{ n: number }>(svc.database, sql`select count(*)::int as n from emergency_paperwork`))[0]!.n;

interface PaperworkView {
  id: string;
  status: string;
  overdue: boolean;
  note: string | null;
  owedBy: { id: string };
  emergency: { number: number };
  movement: { id: string } | null;
}
const PAPERWORK = "id status overdue note owedBy { id } emergency { number } movement { id }";

async function paperworkOf(as: string, args = "") {
  const res = await svc.gql<{ emergencyPaperwork: { nodes: PaperworkView[] } }>(
    `{ emergencyPaperwork(first: 100${args}) { nodes { ${PAPERWORK} } } }`,
    {},
    as,
  );
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.emergencyPaperwork.nodes;
}

function resolve(verb: "approvePaperwork" | "contestPaperwork", as: string, itemId: string, note: string) {
  return svc.gql<Record<string, Payload<{ paperwork: { id: string; status: string; note: string } | null }>>>(
    `mutation($input: ResolvePaperworkInput!) { ${verb}(input: $input) {
       paperwork { id status note } userErrors { code field message } } }`,
    { input: { itemId, note } },
    as,
  );
}

/** Bags at the east depot with a reserve floor of 80 of 100: an ordinary issue may take 20 at most. */
async function bagsAboveAFloor(): Promise<Item> {
  const bags = await anItem(county);
  await aNorm(county, bags, east.id, "100", "80");
  await aLotOf(east.depot, bags, "100");
  return bags;
}

/** Ends every emergency still active in the county, so each test starts with none. */
async function endAll() {
  const res = await svc.gql<{ emergencies: { nodes: { id: string }[] } }>(
    `{ emergencies(first: 100, activeOnly: true) { nodes { id } } }`,
    {},
    county.officer,
  );
  for (const e of res.data!.emergencies.nodes) await end(county.officer, e.id, "测试结束");
}

describe("declaring and ending an emergency", () => {
  it("a township office declares for its own township, not for another; the county for any region", async () => {
    const own = await declare(east.officer, east.id);
    expect(own.data!.declareEmergency.userErrors).toEqual([]);
    const first = own.data!.declareEmergency.emergency!;
    expect(first).toMatchObject({
      level: "LEVEL_III",
      active: true,
      region: { id: east.id },
      declaredBy: { username: east.officer },
      declaredAt: now.toISOString(),
    });

    const other = await declare(east.officer, west.id);
    expect(other.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(other.data?.declareEmergency ?? null).toBeNull();

    const byCounty = await anEmergency(county.officer, west.id);
    expect(byCounty.number).toBe(first.number + 1);
    await endAll();
  });

  it("a keeper, an auditor and a region of another county are refused declaring: FORBIDDEN, FORBIDDEN, NOT_FOUND", async () => {
    const past = await declare(east.officer, east.id, {
      until: new Date(now.getTime() - 1000).toISOString(),
    });
    expect(past.data!.declareEmergency.userErrors).toMatchObject([
      { code: "INVALID_INPUT", field: ["input", "until"] },
    ]);
    const keeper = await declare(east.depot.keeper, east.id);
    expect(keeper.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const auditor = await declare(county.auditor, east.id);
    expect(auditor.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const elsewhere = await aCounty(svc, { townships: 1 });
    const foreign = await declare(county.officer, elsewhere.townships[0]!.id);
    expect(foreign.data!.declareEmergency.userErrors).toMatchObject([
      { code: "NOT_FOUND", field: ["input", "regionId"] },
    ]);
    expect(
      await query(svc.database, sql`select 1 from emergencies where county_id = ${elsewhere.countyId}`),
    ).toEqual([]);
  });

  it("two declarations at once in one county take different numbers", async () => {
    const [a, b] = await Promise.all([
      anEmergency(east.officer, east.id),
      anEmergency(west.officer, west.id),
    ]);
    expect(Math.abs(a.number - b.number)).toBe(1);
    await endAll();
  });

  it("the keeper and the auditor see it, with who declared it; another township's keeper does not", async () => {
    const e = await anEmergency(east.officer, east.id);
    const seen = async (as: string) => {
      const res = await svc.gql<{
        emergencies: { nodes: { id: string }[] };
        region: { activeEmergencies: { id: string; declaredBy: { username: string } }[] };
      }>(
        `query($r: ID!) { emergencies(first: 100, activeOnly: true) { nodes { id } }
           region(id: $r) { activeEmergencies { id declaredBy { username } } } }`,
        { r: east.id },
        as,
      );
      return {
        listed: res.data!.emergencies.nodes.map((n) => n.id),
        onRegion: res.data!.region.activeEmergencies,
      };
    };
    for (const as of [east.depot.keeper, county.auditor, county.officer, east.officer]) {
      const s = await seen(as);
      expect(s.listed).toContain(e.id);
      expect(s.onRegion).toEqual([{ id: e.id, declaredBy: { username: east.officer } }]);
    }
    expect((await seen(west.depot.keeper)).listed).not.toContain(e.id);
    expect((await seen(west.officer)).listed).not.toContain(e.id);

    const ended = await end(west.officer, e.id);
    expect(ended.data!.endEmergency.userErrors).toMatchObject([{ code: "NOT_FOUND" }]);
    const endedByOwn = await end(east.officer, e.id, " ");
    expect(endedByOwn.data!.endEmergency.userErrors).toMatchObject([
      { code: "INVALID_INPUT", field: ["input", "note"] },
    ]);
    expect((await end(east.officer, e.id)).data!.endEmergency.emergency).toEqual({ id: e.id, active: false });
    expect((await end(east.officer, e.id)).data!.endEmergency.userErrors).toMatchObject([
      { code: "INVALID_TRANSITION" },
    ]);
    expect((await seen(east.depot.keeper)).onRegion).toEqual([]);
  });
});

describe("issuing under an emergency (先处置后补手续)", () => {
  it("without an emergency covering the depot, emergency: true is refused and nothing is written", async () => {
    const bags = await bagsAboveAFloor();
    await anEmergency(west.officer, west.id); // covers the other township only
    const before = { books: await books(svc), paperwork: await paperworkRows() };

    const res = await issue(east.depot, bags, "30", { emergency: true });

    expect(res.data!.issueStock.userErrors).toMatchObject([
      { code: "NO_ACTIVE_EMERGENCY", field: ["input", "emergency"] },
    ]);
    expect({ books: await books(svc), paperwork: await paperworkRows() }).toEqual(before);
    await endAll();
  });

  it("crosses the reserve floor, names the emergency on the line and opens paperwork; after endEmergency it is refused", async () => {
    const bags = await bagsAboveAFloor();
    expect((await issue(east.depot, bags, "30")).data!.issueStock.userErrors).toMatchObject([
      { code: "RESERVE_FLOOR" },
    ]);
    const e = await anEmergency(county.officer, county.id); // the county's covers every township

    const res = await issue(east.depot, bags, "30", { emergency: true });

    expect(res.data!.issueStock.userErrors).toEqual([]);
    const [line] = res.data!.issueStock.movements;
    expect(line).toMatchObject({ emergencyNumber: e.number, emergency: { id: e.id } });
    expect((await stockAt(east.depot, bags)).usable).toBe("70");
    const owed = (await paperworkOf(east.officer)).filter((p) => p.movement?.id === line!.id);
    expect(owed).toMatchObject([
      { status: "OPEN", overdue: false, owedBy: { id: east.id }, emergency: { number: e.number } },
    ]);
    // the line as the ledger query reads it (compiled to SQL) names the emergency too
    const ledger = await svc.gql<{ movements: { nodes: { id: string; emergencyNumber: number | null }[] } }>(
      `query($d: ID!, $i: ID!) { movements(depotId: $d, itemId: $i, first: 5) { nodes { id emergencyNumber } } }`,
      { d: east.depot.id, i: bags.id },
      county.auditor,
    );
    expect(ledger.data!.movements.nodes.map((n) => n.emergencyNumber)).toEqual([e.number, null]);
    const csv = await fetch(
      `${svc.url.replace(/\/graphql$/, "")}/export/ledger.csv?depotId=${encodeURIComponent(east.depot.id)}`,
      { headers: { authorization: `Bearer ${await svc.token(county.auditor)}` } },
    );
    const [header, ...rows] = (await csv.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n")
      .map((l) => l.split(","));
    const numberAt = header!.indexOf("应急响应编号");
    const issued = rows.filter((r) => r[header!.indexOf("物资编码")] === bags.code);
    expect(issued.map((r) => [r[header!.indexOf("类型")], r[numberAt]])).toEqual([
      ["入库", ""],
      ["出库", String(e.number)],
    ]);

    await end(county.officer, e.id);
    const before = { books: await books(svc), paperwork: await paperworkRows() };
    const after = await issue(east.depot, bags, "10", { emergency: true });
    expect(after.data!.issueStock.userErrors).toMatchObject([{ code: "NO_ACTIVE_EMERGENCY" }]);
    expect({ books: await books(svc), paperwork: await paperworkRows() }).toEqual(before);
  });

  it("an emergency past its end time covers nothing", async () => {
    const bags = await bagsAboveAFloor();
    await anEmergency(east.officer, east.id, { until: new Date(now.getTime() + 3_600_000).toISOString() });
    const before = await books(svc);
    now = new Date(now.getTime() + 2 * 3_600_000);
    try {
      const res = await issue(east.depot, bags, "30", { emergency: true });
      expect(res.data!.issueStock.userErrors).toMatchObject([{ code: "NO_ACTIVE_EMERGENCY" }]);
      expect(await books(svc)).toEqual(before);
    } finally {
      now = new Date("2026-11-24T02:00:00Z");
      await endAll();
    }
  });

  it("expired and quarantined stock is still never issued, emergency or not", async () => {
    const medicine = await anItem(county, { category: "MEDICAL", shelfLifeDays: 365 });
    const [expired] = await aLotOf(east.depot, medicine, "10", {
      receivedOn: "2025-01-10",
      expiresOn: "2026-01-10",
      acceptExpired: true,
    });
    const [sealed] = await aLotOf(east.depot, medicine, "10", { expiresOn: "2027-06-30" });
    await svc.gql(
      `mutation($input: SetLotConditionInput!) { setLotCondition(input: $input) { userErrors { code } } }`,
      { input: { lotId: sealed!.id, condition: "QUARANTINED", reason: "封条破损" } },
      east.depot.keeper,
    );
    await anEmergency(east.officer, east.id);
    const before = { books: await books(svc), paperwork: await paperworkRows() };

    const named = await issue(east.depot, medicine, "1", { emergency: true, lotId: expired!.id });
    const quarantined = await issue(east.depot, medicine, "1", { emergency: true, lotId: sealed!.id });
    const fefo = await issue(east.depot, medicine, "1", { emergency: true });

    expect(named.data!.issueStock.userErrors).toMatchObject([{ code: "LOT_NOT_ISSUABLE" }]);
    expect(quarantined.data!.issueStock.userErrors).toMatchObject([{ code: "LOT_NOT_ISSUABLE" }]);
    expect(fefo.data!.issueStock.userErrors).toMatchObject([{ code: "INSUFFICIENT_STOCK" }]);
    expect({ books: await books(svc), paperwork: await paperworkRows() }).toEqual(before);
    await endAll();
  });
});

describe("the paperwork after (补办手续)", () => {
  /** Two emergency issues at the east depot: two open paperwork items owed by the east township's office. */
  async function twoItems(): Promise<PaperworkView[]> {
    const bags = await bagsAboveAFloor();
    await anEmergency(east.officer, east.id);
    const lines: string[] = [];
    for (const q of ["25", "5"]) {
      const res = await issue(east.depot, bags, q, { emergency: true });
      lines.push(res.data!.issueStock.movements[0]!.id);
    }
    await endAll();
    const items = (await paperworkOf(east.officer)).filter((p) => lines.includes(p.movement?.id ?? ""));
    expect(items).toHaveLength(2);
    return items;
  }

  it("the owing office approves or contests with a note; others are refused and nothing changes", async () => {
    const [first, second] = await twoItems();

    const blank = await resolve("approvePaperwork", east.officer, first!.id, "  ");
    expect(blank.data!.approvePaperwork!.userErrors).toMatchObject([
      { code: "INVALID_INPUT", field: ["input", "note"] },
    ]);
    const otherTownship = await resolve("approvePaperwork", west.officer, first!.id, "同意");
    expect(otherTownship.data!.approvePaperwork!.userErrors).toMatchObject([{ code: "NOT_FOUND" }]);
    const county_ = await resolve("approvePaperwork", county.officer, first!.id, "同意");
    expect(county_.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const keeper = await resolve("approvePaperwork", east.depot.keeper, first!.id, "同意");
    expect(keeper.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await paperworkOf(east.officer)).find((p) => p.id === first!.id)).toMatchObject({
      status: "OPEN",
      note: null,
    });

    const approved = await resolve("approvePaperwork", east.officer, first!.id, "镇长口头指令，已补签");
    expect(approved.data!.approvePaperwork!.paperwork).toEqual({
      id: first!.id,
      status: "APPROVED",
      note: "镇长口头指令，已补签",
    });
    const again = await resolve("contestPaperwork", east.officer, first!.id, "重复");
    expect(again.data!.contestPaperwork!.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    const contested = await resolve("contestPaperwork", east.officer, second!.id, "领用人未签字");
    expect(contested.data!.contestPaperwork!.paperwork).toMatchObject({ status: "CONTESTED" });

    // the county and auditors read it; keepers are not asked to
    for (const as of [county.officer, county.auditor]) {
      const seen = (await paperworkOf(as)).filter((p) => p.id === first!.id || p.id === second!.id);
      expect(seen.map((p) => p.status).sort()).toEqual(["APPROVED", "CONTESTED"]);
    }
    expect(
      (await svc.gql(`{ emergencyPaperwork { nodes { id } } }`, {}, east.depot.keeper)).errors?.[0]
        ?.extensions?.code,
    ).toBe("FORBIDDEN");
    expect(await paperworkOf(west.officer, `, status: APPROVED`)).not.toContainEqual(
      expect.objectContaining({ id: first!.id }),
    );
  });

  it("paperwork open longer than EMERGENCY_PAPERWORK_DAYS shows as overdue in readiness for the township and the county", async () => {
    const readinessOf = async (as: string, regionId: string) => {
      const res = await svc.gql<{
        readiness: { nodes: { region: { id: string }; openPaperwork: number; overduePaperwork: number }[] };
      }>(
        `query($r: ID!) { readiness(regionId: $r, first: 100) { nodes { region { id } openPaperwork overduePaperwork } } }`,
        { r: regionId },
        as,
      );
      const row = res.data!.readiness.nodes.find((n) => n.region.id === regionId)!;
      return { open: row.openPaperwork, overdue: row.overduePaperwork };
    };
    const start = now;
    const baseline = {
      township: await readinessOf(east.officer, east.id),
      county: await readinessOf(county.officer, county.id),
    };
    const [item] = await twoItems();
    await resolve("approvePaperwork", east.officer, item!.id, "已补签"); // one of the two stays open
    try {
      now = new Date(start.getTime() + 7 * DAY); // seven days on: due, not yet overdue
      expect(await readinessOf(east.officer, east.id)).toEqual({
        open: baseline.township.open + 1,
        overdue: baseline.township.overdue,
      });
      expect((await paperworkOf(east.officer, ", overdueOnly: true")).length).toBe(baseline.township.overdue);

      // eight days on, every item still open is overdue: those of earlier tests were opened the same day
      now = new Date(start.getTime() + 8 * DAY);
      expect(await readinessOf(east.officer, east.id)).toEqual({
        open: baseline.township.open + 1,
        overdue: baseline.township.open + 1,
      });
      expect(await readinessOf(county.officer, county.id)).toEqual({
        open: baseline.county.open + 1,
        overdue: baseline.county.open + 1,
      });
      expect(await readinessOf(west.officer, west.id)).toEqual({ open: 0, overdue: 0 });
      // the 战备状况 export lists each overdue item under the depot it went out of
      const csv = await fetch(
        `${svc.url.replace(/\/graphql$/, "")}/export/readiness.csv?regionId=${encodeURIComponent(east.id)}`,
        { headers: { authorization: `Bearer ${await svc.token(east.officer)}` } },
      );
      const [header, ...rows] = (await csv.text())
        .replace(/^\uFEFF/, "")
        .trim()
        .split("\r\n")
        .map((l) => l.split(","));
      const listed = rows.filter((r) => r[header!.indexOf("问题")] === "应急补办手续逾期");
      expect(listed).toHaveLength(baseline.township.open + 1);
      expect(new Set(listed.map((r) => r[header!.indexOf("储备点编码")]))).toEqual(
        new Set([east.depot.code]),
      );
      const overdue = await paperworkOf(county.auditor, ", overdueOnly: true");
      expect(overdue.every((p) => p.status === "OPEN" && p.overdue)).toBe(true);
      expect(overdue.map((p) => p.id)).not.toContain(item!.id);
      expect(overdue).toHaveLength(baseline.county.open + 1);
    } finally {
      now = start;
    }
  });
});

describe("an emergency requisition between townships under a declared emergency", () => {
  it("goes on the supplier's approval alone, even into the lender's floor; the county's approval follows as paperwork", async () => {
    const pair = await aLendingPair(svc);
    const bags = await aStockedItem(pair, "250");
    // the lender may lend only the 100 bags above its safety stock of 150: normally the county must approve too
    await aNorm(pair.county, bags, pair.lender.id, "250", "150");
    const e = await anEmergency(pair.borrower.officer, pair.borrower.id);
    const asked = await aSubmittedRequisition(
      between(pair, [{ item: bags, quantity: "150" }], { priority: "EMERGENCY" }),
    );

    const approved = await step(
      svc,
      "approveRequisition",
      "ApproveRequisitionInput",
      { requisitionId: asked.id },
      pair.lender.officer,
    );

    expect(approved.userErrors).toEqual([]);
    expect(approved.requisition).toMatchObject({ status: "APPROVED", awaitingCountyApproval: false });
    expect(approved.requisition!.lines[0]!.allocations.map((a) => a.quantity)).toEqual(["150"]);
    const dispatched = await step(
      svc,
      "dispatchRequisition",
      "DispatchRequisitionInput",
      { requisitionId: asked.id, ...DISPATCH },
      pair.lender.depot.keeper,
    );
    expect(dispatched.requisition).toMatchObject({ status: "IN_TRANSIT" });
    const seen = await svc.gql<{
      requisition: {
        emergency: { number: number };
        timeline: { toStatus: string; note: string }[];
        movements: { kind: string; emergencyNumber: number | null }[];
      };
    }>(
      `query($id: ID!) { requisition(id: $id) { emergency { number } timeline { toStatus note }
        movements { kind emergencyNumber } } }`,
      { id: asked.id },
      pair.county.officer,
    );
    expect(seen.data!.requisition.emergency).toEqual({ number: e.number });
    // the ledger lines that left the lender say they went out under the emergency
    expect(seen.data!.requisition.movements).toEqual([{ kind: "TRANSFER_OUT", emergencyNumber: e.number }]);
    expect(seen.data!.requisition.timeline.find((t) => t.toStatus === "APPROVED")!.note).toContain(
      `under emergency ${e.number}`,
    );

    const owed = await svc.gql<{
      emergencyPaperwork: {
        nodes: { id: string; owedBy: { id: string }; requisition: { id: string } | null }[];
      };
    }>(
      `{ emergencyPaperwork(first: 100, status: OPEN) { nodes { id owedBy { id } requisition { id } } } }`,
      {},
      pair.county.officer,
    );
    const item = owed.data!.emergencyPaperwork.nodes.filter((p) => p.requisition?.id === asked.id);
    expect(item).toMatchObject([{ owedBy: { id: pair.county.id } }]);
    const byTownship = await resolve("approvePaperwork", pair.lender.officer, item[0]!.id, "同意");
    expect(byTownship.data!.approvePaperwork!.userErrors).toMatchObject([{ code: "NOT_FOUND" }]);
    const byCounty = await resolve("approvePaperwork", pair.county.officer, item[0]!.id, "县应急局补批");
    expect(byCounty.data!.approvePaperwork!.paperwork).toMatchObject({ status: "APPROVED" });
  });
});

describe("emergency lists are batched", () => {
  it("regions(first: 1) and regions(first: 3) with their active emergencies run the same number of statements", async () => {
    const e = await anEmergency(county.officer, county.id); // covers the county and both townships
    const LIST = `query($first: Int) { regions(first: $first) { nodes {
      activeEmergencies { number active region { id } declaredBy { username } } } } }`;
    const run = async (first: number) => {
      coldCaches(svc.database);
      const before = svc.database.statements();
      const res = await svc.gql<{ regions: { nodes: { activeEmergencies: { number: number }[] }[] } }>(
        LIST,
        { first },
        county.auditor,
      );
      const nodes = res.data!.regions.nodes;
      return {
        statements: svc.database.statements() - before,
        n: nodes.length,
        numbers: nodes.map((r) => r.activeEmergencies.map((x) => x.number)),
      };
    };

    const one = await run(1);
    const all = await run(3);

    expect(all.numbers).toEqual([[e.number], [e.number], [e.number]]);
    expect([one.n, all.n]).toEqual([1, 3]);
    expect(all.statements).toBe(one.statements);
    await endAll();
  });
});
