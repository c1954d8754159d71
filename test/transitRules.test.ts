import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aDepot, anItem, aVillage, type Depot, type Item, unique } from "./support/factories.js";
import {
  aLendingPair,
  aSubmittedRequisition,
  between,
  type LendingPair,
  stepsOf,
} from "./support/requisitionFactories.js";
import { step, view } from "./support/requisitions.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import { aLotOf, stockAt } from "./support/stockFactories.js";
import { books, imbalances } from "./support/transit.js";
import { type ChangeView, ISSUE, LOT, type LotView, RECEIVE, SET_CONDITION } from "./support/world.js";

let now = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
/** Two neighbouring townships (the borrower asks the lender) and a county warehouse with a keeper of its own. */
let pair: LendingPair;
let warehouse: Depot;
let steps: ReturnType<typeof stepsOf>;

beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
  pair = await aLendingPair(svc, { countyDepots: ["COUNTY_WAREHOUSE"] });
  [warehouse] = pair.county.depots as [Depot];
  steps = stepsOf(pair);
});
afterAll(() => svc.stop());

const generator = () => anItem(pair.county, { trackingMode: "SERIAL", returnable: true });
const serial = () => `GEN30-${unique()}`;
const dispatch = (id: string) =>
  step(
    svc,
    "dispatchRequisition",
    "DispatchRequisitionInput",
    { requisitionId: id, carrier: "城关镇应急运输队", vehicle: "豫Q·C2301", driverContact: "13900001111" },
    pair.lender.depot.keeper,
  );
const approve = (id: string, as: string) =>
  step(svc, "approveRequisition", "ApproveRequisitionInput", { requisitionId: id }, as);
const viewed = async (id: string) => (await view(svc, id, pair.county.officer))!;

const receiveGenerator = (item: Item, serialNumber: string, depot: Depot = pair.lender.depot) =>
  svc.gql<{ receiveStock: ChangeView }>(
    RECEIVE,
    {
      input: {
        depotId: depot.id,
        itemId: item.id,
        quantity: "1",
        serialNumbers: [serialNumber],
        lotCode: `LOT-${serialNumber}`,
        receivedOn: "2026-11-01",
        source: "PURCHASE",
        reason: "采购入库",
      },
    },
    depot.keeper,
  );

const heldLot = async (id: string) => (await viewed(id)).lines[0]!.allocations[0]!.lot.id;
const lot = async (id: string) =>
  (
    await svc.gql<{ node: LotView & { lastTestRunOn: string | null } }>(
      LOT.replace("serialNumber", "serialNumber lastTestRunOn"),
      { id },
      pair.county.auditor,
    )
  ).data!.node;

describe("a serial number is unique among lots that hold stock, not among emptied lots", () => {
  it("a unit on the books cannot be received twice; nothing is written", async () => {
    const item = await generator();
    const sn = serial();
    expect((await receiveGenerator(item, sn)).data!.receiveStock.userErrors).toEqual([]);
    const before = await books(svc);

    const again = await receiveGenerator(item, sn, pair.borrower.depot);

    expect(again.data!.receiveStock.userErrors).toMatchObject([
      { code: "INVALID_INPUT", field: ["input", "serialNumbers"] },
    ]);
    expect(await books(svc)).toEqual(before);
  });

  it("a unit that was issued and came back is received again as a new lot", async () => {
    const item = await generator();
    const sn = serial();
    const [first] = (await receiveGenerator(item, sn)).data!.receiveStock.lots;
    const issued = await svc.gql<{ issueStock: ChangeView }>(
      ISSUE,
      {
        input: {
          depotId: pair.lender.depot.id,
          itemId: item.id,
          lotId: first!.id,
          quantity: "1",
          purpose: "FLOOD_FIGHTING",
          recipient: "城关镇抢险队",
          reason: "抢险出库",
        },
      },
      pair.lender.depot.keeper,
    );
    expect(issued.data!.issueStock.userErrors).toEqual([]);

    const back = await receiveGenerator(item, sn);

    expect(back.data!.receiveStock.userErrors).toEqual([]);
    expect(back.data!.receiveStock.lots).toMatchObject([{ serialNumber: sn, onHand: "1" }]);
    expect(back.data!.receiveStock.lots[0]!.id).not.toBe(first!.id);
    expect(await stockAt(pair.lender.depot, item)).toMatchObject({ onHand: "1", usable: "1" });
    expect(await imbalances(svc)).toEqual([]);
  });

  it("a unit on the road is still on the books; after the trip its attributes arrive with it", async () => {
    const item = await generator();
    await receiveGenerator(item, serial());
    const id = await steps.underway([{ item, quantity: "1" }], false);
    const sourceId = await heldLot(id);
    const run = await svc.gql<{ recordTestRun: { userErrors: unknown[] } }>(
      `mutation($input: RecordTestRunInput!) { recordTestRun(input: $input) { userErrors { code } } }`,
      {
        input: {
          lotId: sourceId,
          kind: "TEST_RUN",
          outcome: "PASSED",
          performedOn: "2026-11-23",
          runMinutes: 30,
        },
      },
      pair.lender.depot.keeper,
    );
    expect(run.data!.recordTestRun.userErrors).toEqual([]);
    expect((await dispatch(id)).userErrors).toEqual([]);
    const source = await lot(sourceId);
    expect(source.lastTestRunOn).toBe("2026-11-23");
    expect(source.onHand).toBe("0");

    const meanwhile = await receiveGenerator(item, source.serialNumber!, warehouse);
    const lineId = (await viewed(id)).lines[0]!.id;
    const received = await steps.receive(id, [{ lineId, acceptedQuantity: "1" }]);

    expect(meanwhile.data!.receiveStock.userErrors).toMatchObject([{ code: "INVALID_INPUT" }]);
    expect(received.userErrors).toEqual([]);
    const arrived = await svc.gql<{
      requisition: { lines: { allocations: { receivedLot: { id: string } }[] }[] };
    }>(
      "query($id: ID!) { requisition(id: $id) { lines { allocations { receivedLot { id } } } } }",
      { id },
      pair.county.auditor,
    );
    const twin = await lot(arrived.data!.requisition.lines[0]!.allocations[0]!.receivedLot.id);
    expect({ ...twin, id: null, onHand: null }).toEqual({ ...source, id: null, onHand: null });
    expect(twin.onHand).toBe("1");
  });
});

describe("unusable held stock blocks the dispatch (LOT_NOT_ISSUABLE); nothing leaves", () => {
  async function refusedDispatch(id: string) {
    const before = await books(svc);
    const res = await dispatch(id);
    expect(res.userErrors).toMatchObject([{ code: "LOT_NOT_ISSUABLE", field: ["input", "requisitionId"] }]);
    expect(await books(svc)).toEqual(before);
    expect((await viewed(id)).status).toBe("APPROVED");
    return res.userErrors[0]!.message;
  }

  it("a held generator that failed its test run is quarantined and may not travel", async () => {
    const item = await generator();
    await receiveGenerator(item, serial());
    const id = await steps.underway([{ item, quantity: "1" }], false);
    const lotId = await heldLot(id);
    const run = await svc.gql<{ recordTestRun: { userErrors: unknown[] } }>(
      `mutation($input: RecordTestRunInput!) { recordTestRun(input: $input) { userErrors { code } } }`,
      { input: { lotId, kind: "TEST_RUN", outcome: "FAILED", performedOn: "2026-11-24", runMinutes: 5 } },
      pair.lender.depot.keeper,
    );
    expect(run.data!.recordTestRun.userErrors).toEqual([]);

    expect(await refusedDispatch(id)).toMatch(/quarantined/);
    // the way out: the requester cancels, the hold is released, the unit stays quarantined
    expect((await steps.cancel(id)).requisition!.status).toBe("CANCELLED");
    expect(await lot(lotId)).toMatchObject({ allocated: "0", condition: "QUARANTINED" });
  });

  it.each(["QUARANTINED", "DAMAGED"])("a held lot set to %s may not travel", async (condition) => {
    const jackets = await anItem(pair.county, { returnable: true });
    await aLotOf(pair.lender.depot, jackets, "40");
    const id = await steps.underway([{ item: jackets, quantity: "2" }], false);
    const lotId = await heldLot(id);
    const set = await svc.gql<{ setLotCondition: { userErrors: unknown[] } }>(
      SET_CONDITION,
      { input: { lotId, condition, reason: "检查发现问题" } },
      pair.lender.depot.keeper,
    );
    expect(set.data!.setLotCondition.userErrors).toEqual([]);

    expect(await refusedDispatch(id)).toMatch(condition === "DAMAGED" ? /damaged/ : /quarantined/);
  });

  it("a held lot that expired by the dispatch day may not travel", async () => {
    const cement = await anItem(pair.county, { unitCode: "tonne", shelfLifeDays: 365 });
    const [soon] = await aLotOf(pair.lender.depot, cement, "10", { expiresOn: "2026-12-04" });
    await aLotOf(pair.lender.depot, cement, "50", { expiresOn: "2027-06-01" });
    // the lot that expires first is held first (first-expiry-first-out)
    const id = await steps.underway([{ item: cement, quantity: "10" }], false);
    expect(await heldLot(id)).toBe(soon!.id);
    now = new Date("2026-12-05T02:00:00Z");
    try {
      expect(await refusedDispatch(id)).toMatch(/expired on 2026-12-04/);
    } finally {
      now = new Date("2026-11-24T02:00:00Z");
    }
    expect((await dispatch(id)).requisition!.status).toBe("IN_TRANSIT");
    expect(await imbalances(svc)).toEqual([]);
  });
});

describe("an emergency dips into the floor only as far as it must (rule 3)", () => {
  it("takes what lies above the floors first, then spreads the rest so no depot is emptied", async () => {
    const bags = await anItem(pair.county);
    const village = await aVillage(pair.lender);
    const depots = [pair.lender.depot, await aDepot(pair.lender), await aDepot(village)];
    const held = ["600", "500", "400"];
    for (const [i, d] of depots.entries()) await aLotOf(d, bags, held[i]!);
    // the lender keeps a floor of all its bags except 100 at its township depot: a floor set per depot, which a
    // norm (spread over the region's depots by the county) does not give
    await query(
      svc.database,
      sql`update stock_levels s set reserve_floor = s.on_hand - (case when s.depot_id = ${pair.lender.depot.depotId} then 100 else 0 end)
           where s.county_id = ${pair.county.countyId} and s.item_id = ${bags.itemId}`,
    );
    const floors = [500, 500, 400];
    const floorTotal = 1400;
    const asked = await aSubmittedRequisition(
      between(pair, [{ item: bags, quantity: "1100" }], { priority: "EMERGENCY" }),
    );

    const byLender = await approve(asked.id, pair.lender.officer);
    const byCounty = await approve(asked.id, pair.county.officer);

    expect(byLender.requisition).toMatchObject({ awaitingCountyApproval: true });
    expect(byCounty.userErrors).toEqual([]);
    const notes = await svc.gql<{ requisition: { timeline: { note: string }[] } }>(
      "query($id: ID!) { requisition(id: $id) { timeline { note } } }",
      { id: asked.id },
      pair.borrower.officer,
    );
    expect(notes.data!.requisition.timeline.at(-1)!.note).toMatch(
      new RegExp(`动用储备底线.*${pair.lender.depot.code} \\d+`),
    );
    const res = await svc.gql<{
      requisition: {
        lines: { allocations: { quantity: string; floorUsed: string; lot: { depot: { code: string } } }[] }[];
      };
    }>(
      "query($id: ID!) { requisition(id: $id) { lines { allocations { quantity floorUsed lot { depot { code } } } } } }",
      { id: asked.id },
      pair.lender.officer,
    );
    const allocations = res.data!.requisition.lines[0]!.allocations;
    const sum = (code: string, field: "quantity" | "floorUsed") =>
      allocations.filter((a) => a.lot.depot.code === code).reduce((s, a) => s + Number(a[field]), 0);
    expect(allocations.reduce((s, a) => s + Number(a.quantity), 0)).toBe(1100);
    // 100 came from above the floor; the 1000 below it is shared by every depot in proportion to its floor
    expect(allocations.reduce((s, a) => s + Number(a.floorUsed), 0)).toBe(1000);
    for (const [i, d] of depots.entries()) {
      const share = (1000 * floors[i]!) / floorTotal;
      expect(Math.abs(sum(d.code, "floorUsed") - share)).toBeLessThan(1);
      const given = sum(d.code, "quantity");
      expect(given).toBeLessThan(Number(held[i]));
      expect(await stockAt(d, bags)).toMatchObject({ usable: String(Number(held[i]) - given) });
    }
  });
});

describe("one request, one escalation", () => {
  const escalate = (id: string) =>
    step(
      svc,
      "escalateRequisition",
      "RequisitionReasonInput",
      { requisitionId: id, reason: "邻镇无力支援" },
      pair.borrower.officer,
    );
  const reject = (id: string, reason: string) =>
    step(
      svc,
      "rejectRequisition",
      "RequisitionReasonInput",
      { requisitionId: id, reason },
      pair.lender.officer,
    );
  const escalationOf = async (id: string) =>
    (
      await svc.gql<{ requisition: { escalatedTo: { id: string; status: string } | null } }>(
        "query($id: ID!) { requisition(id: $id) { escalatedTo { id status } } }",
        { id },
        pair.borrower.officer,
      )
    ).data!.requisition.escalatedTo;
  const count = async () =>
    (await query<{ n: number }>(svc.database, sql`select count(*)::int as n from requisitions`))[0]!.n;

  it("a partly approved shortfall goes to the county once; the second try is INVALID_TRANSITION", async () => {
    const jackets = await anItem(pair.county, { returnable: true });
    await aLotOf(pair.lender.depot, jackets, "10");
    const asked = await aSubmittedRequisition(between(pair, [{ item: jackets, quantity: "30" }]));
    await step(
      svc,
      "approveRequisition",
      "ApproveRequisitionInput",
      { requisitionId: asked.id, lines: [{ lineId: asked.lineOf(jackets), approvedQuantity: "10" }] },
      pair.lender.officer,
    );

    const first = await escalate(asked.id);
    const n = await count();
    const second = await escalate(asked.id);

    expect(first.userErrors).toEqual([]);
    expect(await escalationOf(asked.id)).toEqual({ id: first.requisition!.id, status: "SUBMITTED" });
    expect(first.requisition!.lines).toMatchObject([
      { item: { code: jackets.code }, requestedQuantity: "20" },
    ]);
    expect(second.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    expect(await count()).toBe(n);
  });

  it("a refused request escalated once cannot be escalated or refused again", async () => {
    const bags = await anItem(pair.county);
    const asked = await aSubmittedRequisition(between(pair, [{ item: bags, quantity: "60000" }]));
    expect((await reject(asked.id, "本镇也在防汛")).userErrors).toEqual([]);

    const first = await escalate(asked.id);
    const n = await count();
    const again = await escalate(asked.id);
    const refuse = await reject(asked.id, "再次拒绝");

    expect(first.userErrors).toEqual([]);
    expect(again.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    expect(refuse.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    expect(await count()).toBe(n);
    expect(await escalationOf(asked.id)).toMatchObject({ id: first.requisition!.id });
    expect((await viewed(asked.id)).status).toBe("ESCALATED");
  });
});
