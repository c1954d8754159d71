import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { step, view } from "./support/requisitions.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import { books, imbalances, requisitionSteps, stockOf, transitWorld } from "./support/transit.js";
import {
  type ChangeView,
  type DemoIds,
  ISSUE,
  LOT,
  type LotView,
  RECEIVE,
  SET_CONDITION,
} from "./support/world.js";

let now = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
let ids: DemoIds;
let region: Record<string, string>;
let steps: ReturnType<typeof requisitionSteps>;

beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
  ({ ids, region } = await transitWorld(svc));
  steps = requisitionSteps(svc, ids, region);
});
afterAll(() => svc.stop());

const receiveGenerator = (serial: string, depot = "TD-CHENGGUAN", as = "chengguan.keeper") =>
  svc.gql<{ receiveStock: ChangeView }>(
    RECEIVE,
    {
      input: {
        depotId: ids.depot(depot),
        itemId: ids.item("GENERATOR_30KW"),
        quantity: "1",
        serialNumbers: [serial],
        lotCode: `LOT-${serial}`,
        receivedOn: "2026-11-01",
        source: "PURCHASE",
        reason: "采购入库",
      },
    },
    as,
  );

const heldLot = async (id: string) => (await view(svc, id))!.lines[0]!.allocations[0]!.lot.id;
const lot = async (id: string) =>
  (
    await svc.gql<{ node: LotView & { lastTestRunOn: string | null } }>(
      LOT.replace("serialNumber", "serialNumber lastTestRunOn"),
      { id },
      "auditor",
    )
  ).data!.node;

describe("a serial number is unique among lots that hold stock, not among emptied lots", () => {
  it("a unit on the books cannot be received twice; nothing is written", async () => {
    expect((await receiveGenerator("GEN30-RT-1")).data!.receiveStock.userErrors).toEqual([]);
    const before = await books(svc);
    const again = await receiveGenerator("GEN30-RT-1", "TD-HEKOU", "hekou.keeper");
    expect(again.data!.receiveStock.userErrors).toMatchObject([
      { code: "INVALID_INPUT", field: ["input", "serialNumbers"] },
    ]);
    expect(await books(svc)).toEqual(before);
  });

  it("a unit that was issued and came back is received again as a new lot", async () => {
    const [first] = (await receiveGenerator("GEN30-RT-2")).data!.receiveStock.lots;
    const issued = await svc.gql<{ issueStock: ChangeView }>(
      ISSUE,
      {
        input: {
          depotId: ids.depot("TD-CHENGGUAN"),
          itemId: ids.item("GENERATOR_30KW"),
          lotId: first!.id,
          quantity: "1",
          purpose: "FLOOD_FIGHTING",
          recipient: "城关镇抢险队",
          reason: "抢险出库",
        },
      },
      "chengguan.keeper",
    );
    expect(issued.data!.issueStock.userErrors).toEqual([]);
    const back = await receiveGenerator("GEN30-RT-2");
    expect(back.data!.receiveStock.userErrors).toEqual([]);
    expect(back.data!.receiveStock.lots).toMatchObject([{ serialNumber: "GEN30-RT-2", onHand: "1" }]);
    expect(await imbalances(svc)).toEqual([]);
  });

  it("a unit on the road is still on the books; after the trip its attributes arrive with it", async () => {
    const id = await steps.underway([{ item: "GENERATOR_30KW", quantity: "1" }], false);
    const sourceId = await heldLot(id);
    await svc.gql(
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
      "chengguan.keeper",
    );
    expect((await steps.dispatch(id)).userErrors).toEqual([]);
    const source = await lot(sourceId);
    expect(source.lastTestRunOn).toBe("2026-11-23");
    expect(source.onHand).toBe("0");
    const meanwhile = await receiveGenerator(source.serialNumber!, "CW-01", "county.keeper");
    expect(meanwhile.data!.receiveStock.userErrors).toMatchObject([{ code: "INVALID_INPUT" }]);
    const lineId = (await view(svc, id))!.lines[0]!.id;
    const received = await steps.receive(id, [{ lineId, acceptedQuantity: "1" }]);
    expect(received.userErrors).toEqual([]);
    const arrived = await svc.gql<{
      requisition: { lines: { allocations: { receivedLot: { id: string } }[] }[] };
    }>(
      "query($id: ID!) { requisition(id: $id) { lines { allocations { receivedLot { id } } } } }",
      { id },
      "auditor",
    );
    const twin = await lot(arrived.data!.requisition.lines[0]!.allocations[0]!.receivedLot.id);
    expect({ ...twin, id: null, onHand: null }).toEqual({ ...source, id: null, onHand: null });
  });
});

describe("unusable held stock blocks the dispatch (LOT_NOT_ISSUABLE); nothing leaves", () => {
  async function refusedDispatch(id: string) {
    const before = await books(svc);
    const res = await steps.dispatch(id);
    expect(res.userErrors).toMatchObject([{ code: "LOT_NOT_ISSUABLE", field: ["input", "requisitionId"] }]);
    expect(await books(svc)).toEqual(before);
    expect((await view(svc, id))!.status).toBe("APPROVED");
    return res.userErrors[0]!.message;
  }

  it("a held generator that failed its test run is quarantined and may not travel", async () => {
    const id = await steps.underway([{ item: "GENERATOR_30KW", quantity: "1" }], false);
    const lotId = await heldLot(id);
    const run = await svc.gql<{ recordTestRun: { userErrors: unknown[] } }>(
      `mutation($input: RecordTestRunInput!) { recordTestRun(input: $input) { userErrors { code } } }`,
      { input: { lotId, kind: "TEST_RUN", outcome: "FAILED", performedOn: "2026-11-24", runMinutes: 5 } },
      "chengguan.keeper",
    );
    expect(run.data!.recordTestRun.userErrors).toEqual([]);
    expect(await refusedDispatch(id)).toMatch(/quarantined/);
    // the way out: the requester cancels, the hold is released, the unit stays quarantined
    expect((await steps.cancel(id)).requisition!.status).toBe("CANCELLED");
    expect(await lot(lotId)).toMatchObject({ allocated: "0", condition: "QUARANTINED" });
  });

  it.each(["QUARANTINED", "DAMAGED"])("a held lot set to %s may not travel", async (condition) => {
    const id = await steps.underway([{ item: "LIFE_JACKET", quantity: "2" }], false);
    const lotId = await heldLot(id);
    const set = await svc.gql<{ setLotCondition: { userErrors: unknown[] } }>(
      SET_CONDITION,
      { input: { lotId, condition, reason: "检查发现问题" } },
      "chengguan.keeper",
    );
    expect(set.data!.setLotCondition.userErrors).toEqual([]);
    expect(await refusedDispatch(id)).toMatch(condition === "DAMAGED" ? /damaged/ : /quarantined/);
    await steps.cancel(id);
    if (condition === "QUARANTINED") {
      await svc.gql(
        SET_CONDITION,
        { input: { lotId, condition: "SERVICEABLE", reason: "复检合格" } },
        "chengguan.keeper",
      );
    }
  });

  it("a held lot that expired by the dispatch day may not travel", async () => {
    // 城关镇's small cement lot expires on 2026-12-04 and is held first (first-expiry-first-out)
    const id = await steps.underway([{ item: "CEMENT", quantity: "10" }], false);
    now = new Date("2026-12-05T02:00:00Z");
    try {
      expect(await refusedDispatch(id)).toMatch(/expired on 2026-12-04/);
    } finally {
      now = new Date("2026-11-24T02:00:00Z");
    }
    expect((await steps.dispatch(id)).requisition!.status).toBe("IN_TRANSIT");
    expect(await imbalances(svc)).toEqual([]);
  });
});

describe("an emergency dips into the floor only as far as it must (rule 3)", () => {
  it("takes what lies above the floors first, then spreads the rest so no depot is emptied", async () => {
    // 城关镇 keeps a floor of all its woven bags except 100 at its township depot
    await query(
      svc.database,
      sql`update stock_levels s set reserve_floor = s.on_hand - s.allocated - (case when d.code = 'TD-CHENGGUAN' then 100 else 0 end)
            from depots d
           where d.county_id = s.county_id and d.id = s.depot_id and d.code like '%CHENGGUAN%'
             and s.item_id = (select id from items where code = 'WOVEN_BAG')`,
    );
    const floors = await query<{ code: string; floor: string }>(
      svc.database,
      sql`select d.code, s.reserve_floor::text as floor from stock_levels s join depots d on d.id = s.depot_id
           where d.code like '%CHENGGUAN%' and s.item_id = (select id from items where code = 'WOVEN_BAG')`,
    );
    const floorTotal = floors.reduce((s, f) => s + Number(f.floor), 0);
    const id = await steps.create([{ item: "WOVEN_BAG", quantity: "1100" }], { priority: "EMERGENCY" });
    await steps.submit(id);
    expect((await steps.approve(id)).requisition).toMatchObject({ awaitingCountyApproval: true });
    const byCounty = await steps.approve(id, "county.officer");
    expect(byCounty.userErrors).toEqual([]);
    const notes = await svc.gql<{ requisition: { timeline: { note: string }[] } }>(
      "query($id: ID!) { requisition(id: $id) { timeline { note } } }",
      { id },
      "hekou.officer",
    );
    expect(notes.data!.requisition.timeline.at(-1)!.note).toMatch(/动用储备底线.*TD-CHENGGUAN \d+/);
    const res = await svc.gql<{
      requisition: {
        lines: { allocations: { quantity: string; floorUsed: string; lot: { depot: { code: string } } }[] }[];
      };
    }>(
      "query($id: ID!) { requisition(id: $id) { lines { allocations { quantity floorUsed lot { depot { code } } } } } }",
      { id },
      "chengguan.officer",
    );
    const allocations = res.data!.requisition.lines[0]!.allocations;
    const used = new Map<string, number>();
    for (const a of allocations)
      used.set(a.lot.depot.code, (used.get(a.lot.depot.code) ?? 0) + Number(a.floorUsed));
    const total = allocations.reduce((s, a) => s + Number(a.quantity), 0);
    expect(total).toBe(1100);
    // 100 came from above the floor; the 1000 below it is shared by every depot in proportion to its floor
    expect([...used.values()].reduce((s, u) => s + u, 0)).toBe(1000);
    for (const f of floors) {
      const share = (1000 * Number(f.floor)) / floorTotal;
      expect(Math.abs((used.get(f.code) ?? 0) - share)).toBeLessThan(1);
      const left = await stockOf(svc, ids.depot(f.code), "WOVEN_BAG");
      expect(Number(left.usable)).toBeGreaterThan(0);
    }
    await query(svc.database, sql`update stock_levels set reserve_floor = 0`);
    await steps.cancel(id);
  });
});

describe("one request, one escalation", () => {
  const escalate = (id: string) =>
    step(
      svc,
      "escalateRequisition",
      "RequisitionReasonInput",
      { requisitionId: id, reason: "邻镇无力支援" },
      "hekou.officer",
    );
  const escalationOf = async (id: string) =>
    (
      await svc.gql<{ requisition: { escalatedTo: { id: string; status: string } | null } }>(
        "query($id: ID!) { requisition(id: $id) { escalatedTo { id status } } }",
        { id },
        "hekou.officer",
      )
    ).data!.requisition.escalatedTo;
  const count = async () =>
    (await query<{ n: number }>(svc.database, sql`select count(*)::int as n from requisitions`))[0]!.n;

  it("a partly approved shortfall goes to the county once; the second try is INVALID_TRANSITION", async () => {
    const id = await steps.create([{ item: "LIFE_JACKET", quantity: "30" }]);
    await steps.submit(id);
    const lineId = (await view(svc, id))!.lines[0]!.id;
    await steps.approve(id, "chengguan.officer", { lines: [{ lineId, approvedQuantity: "10" }] });
    const first = await escalate(id);
    expect(first.userErrors).toEqual([]);
    expect(await escalationOf(id)).toEqual({ id: first.requisition!.id, status: "SUBMITTED" });
    const n = await count();
    expect((await escalate(id)).userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    expect(await count()).toBe(n);
    await steps.cancel(id);
  });

  it("a refused request escalated once cannot be escalated or refused again", async () => {
    const id = await steps.create([{ item: "WOVEN_BAG", quantity: "60000" }]);
    await steps.submit(id);
    await step(
      svc,
      "rejectRequisition",
      "RequisitionReasonInput",
      { requisitionId: id, reason: "本镇也在防汛" },
      "chengguan.officer",
    );
    const first = await escalate(id);
    expect(first.userErrors).toEqual([]);
    const n = await count();
    expect((await escalate(id)).userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    const refuse = await step(
      svc,
      "rejectRequisition",
      "RequisitionReasonInput",
      { requisitionId: id, reason: "再次拒绝" },
      "chengguan.officer",
    );
    expect(refuse.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    expect(await count()).toBe(n);
    expect(await escalationOf(id)).toMatchObject({ id: first.requisition!.id });
    expect((await view(svc, id))!.status).toBe("ESCALATED");
  });
});
