import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REQUISITION_FIELDS, type RequisitionView, step, view } from "./support/requisitions.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import { demoIds, type DemoIds } from "./support/world.js";

let now = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
let ids: DemoIds;
const region: Record<string, string> = {};

beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
  ids = await demoIds(svc);
  const res = await svc.gql<{ regions: { nodes: { id: string; nameEn: string; level: string }[] } }>(
    "{ regions(first: 100) { nodes { id nameEn level } } }",
  );
  for (const r of res.data!.regions.nodes) {
    if (r.level !== "VILLAGE") region[r.nameEn.split(" ")[0]!.toLowerCase()] = r.id;
  }
});
afterAll(() => svc.stop());

const create = (input: Record<string, unknown>, as = "hekou.officer") =>
  step(
    svc,
    "createRequisition",
    "CreateRequisitionInput",
    {
      requestingRegionId: region.hekou,
      supplyingRegionId: region.chengguan,
      destinationDepotId: ids.depot("TD-HEKOU"),
      priority: "URGENT",
      reason: "李庄段堤防管涌，需要发电机和救生衣",
      incident: "2026-11-24 河口镇李庄段管涌",
      ...input,
    },
    as,
  );
const submit = (id: string, as = "hekou.officer") =>
  step(svc, "submitRequisition", "RequisitionStepInput", { requisitionId: id }, as);
const approve = (id: string, as: string, extra: Record<string, unknown> = {}) =>
  step(svc, "approveRequisition", "ApproveRequisitionInput", { requisitionId: id, ...extra }, as);
const dispatch = (id: string, as: string) =>
  step(
    svc,
    "dispatchRequisition",
    "DispatchRequisitionInput",
    { requisitionId: id, carrier: "城关镇应急运输队", vehicle: "豫Q·C2301", driverContact: "13900001111" },
    as,
  );
const cancel = (id: string, as = "hekou.officer") =>
  step(svc, "cancelRequisition", "RequisitionReasonInput", { requisitionId: id, reason: "险情解除" }, as);

const line = (r: RequisitionView, code: string) => r.lines.find((l) => l.item.code === code)!;

async function stockOf(depot: string, item: string) {
  const res = await svc.gql<{
    node: {
      stock: {
        item: { code: string };
        onHand: string;
        allocated: string;
        usable: string;
        inTransit: string;
        damaged: string;
      }[];
    };
  }>(
    `query($id: ID!) { node(id: $id) { ... on Depot { stock { item { code } onHand allocated usable inTransit damaged } } } }`,
    { id: ids.depot(depot) },
    "auditor",
  );
  return (
    res.data!.node.stock.find((s) => s.item.code === item) ?? {
      onHand: "0",
      allocated: "0",
      usable: "0",
      inTransit: "0",
      damaged: "0",
    }
  );
}

async function ledgerBalances() {
  return query(
    svc.database,
    sql`select l.id from lots l left join movements m on m.county_id = l.county_id and m.lot_id = l.id
         group by l.id, l.on_hand having l.on_hand <> coalesce(sum(m.quantity), 0)`,
  );
}

describe("a flooding township gets a neighbour's generator, and nothing goes missing on the way", () => {
  let id: string;

  it("drafts and submits a request, merging the same item asked twice", async () => {
    const created = await create({
      lines: [
        { itemId: ids.item("GENERATOR_30KW"), quantity: "1" },
        { itemId: ids.item("LIFE_JACKET"), quantity: "10" },
        { itemId: ids.item("LIFE_JACKET"), quantity: "5" },
        { itemId: ids.item("WOVEN_BAG"), quantity: "500" },
      ],
    });
    expect(created.userErrors).toEqual([]);
    id = created.requisition!.id;
    expect(created.requisition!.status).toBe("DRAFT");
    expect(created.requisition!.lines.map((l) => [l.item.code, l.requestedQuantity])).toEqual([
      ["GENERATOR_30KW", "1"],
      ["LIFE_JACKET", "15"],
      ["WOVEN_BAG", "500"],
    ]);
    expect((await submit(id)).requisition!.status).toBe("SUBMITTED");
  });

  it("cannot be approved by its creator, nor by the county before the supplier", async () => {
    expect(
      (await approve(id, "hekou.officer")).topLevel ??
        (await approve(id, "hekou.officer")).userErrors[0]?.code,
    ).toBe("SELF_APPROVAL");
    expect((await approve(id, "county.officer")).topLevel).toBe("FORBIDDEN");
  });

  it("the lender approves in part; the lots are held first-expiry-first-out and stop being usable", async () => {
    const before = await stockOf("TD-CHENGGUAN", "GENERATOR_30KW");
    const approved = await approve(id, "chengguan.officer", {
      lines: [
        {
          lineId: (await view(svc, id))!.lines.find((l) => l.item.code === "WOVEN_BAG")!.id,
          approvedQuantity: "300",
        },
      ],
      returnDueOn: "2026-12-10",
    });
    expect(approved.userErrors).toEqual([]);
    const r = approved.requisition!;
    expect(r.status).toBe("PARTIALLY_APPROVED");
    expect(line(r, "WOVEN_BAG").approvedQuantity).toBe("300");
    expect(line(r, "GENERATOR_30KW").allocations).toMatchObject([
      { quantity: "1", status: "HELD", lot: { depot: { code: "TD-CHENGGUAN" } } },
    ]);
    const after = await stockOf("TD-CHENGGUAN", "GENERATOR_30KW");
    expect(after).toMatchObject({
      onHand: before.onHand,
      allocated: "1",
      usable: String(Number(before.usable) - 1),
    });
  });

  it("once approved, the held generator cannot be issued by the lender's keeper", async () => {
    const res = await svc.gql<{ issueStock: { userErrors: { code: string }[] } }>(
      `mutation($input: IssueStockInput!) { issueStock(input: $input) { userErrors { code } } }`,
      {
        input: {
          depotId: ids.depot("TD-CHENGGUAN"),
          itemId: ids.item("GENERATOR_30KW"),
          quantity: "1",
          purpose: "FLOOD_FIGHTING",
          recipient: "城关镇抢险队",
          reason: "own use",
        },
      },
      "chengguan.keeper",
    );
    expect(res.data!.issueStock.userErrors).toMatchObject([{ code: "INSUFFICIENT_STOCK" }]);
  });

  it("dispatch moves the stock off the lender into transit, as TRANSFER_OUT lines", async () => {
    const dispatched = await dispatch(id, "chengguan.keeper");
    expect(dispatched.userErrors).toEqual([]);
    expect(dispatched.requisition!.status).toBe("IN_TRANSIT");
    expect(await stockOf("TD-CHENGGUAN", "GENERATOR_30KW")).toMatchObject({ allocated: "0" });
    expect(await stockOf("TD-HEKOU", "GENERATOR_30KW")).toMatchObject({ inTransit: "1" });
    const transit = await svc.gql<{ inTransit: { nodes: { quantity: string; item: { code: string } }[] } }>(
      "query($r: ID!) { inTransit(regionId: $r) { nodes { quantity item { code } } } }",
      { r: region.hekou },
      "hekou.officer",
    );
    expect(transit.data!.inTransit.nodes.map((n) => n.item.code).sort()).toEqual(
      expect.arrayContaining(["GENERATOR_30KW", "LIFE_JACKET", "WOVEN_BAG"]),
    );
    const out = await query<{ n: number }>(
      svc.database,
      sql`select count(*)::int as n from movements where kind = 'TRANSFER_OUT' and requisition_id is not null`,
    );
    expect(out[0]!.n).toBeGreaterThanOrEqual(3);
    expect(await ledgerBalances()).toEqual([]);
  });

  it("each lot at the destination shows its item's depot-wide figures, what is on its way included", async () => {
    const res = await svc.gql<{
      lots: { nodes: { item: { code: string }; stockLevel: { onHand: string; inTransit: string } }[] };
    }>(
      `query($d: ID!) { lots(depotId: $d, first: 50) { nodes { item { code } stockLevel { onHand inTransit } } } }`,
      { d: ids.depot("TD-HEKOU") },
      "hekou.keeper",
    );
    const lots = res.data!.lots.nodes;
    expect(lots.length).toBeGreaterThan(0);
    for (const lot of lots) {
      const depotWide = await stockOf("TD-HEKOU", lot.item.code);
      expect([lot.item.code, lot.stockLevel]).toEqual([
        lot.item.code,
        { onHand: depotWide.onHand, inTransit: depotWide.inTransit },
      ]);
    }
    expect(lots.some((l) => l.stockLevel.inTransit !== "0")).toBe(true);
  });

  it("a dispatched request cannot be cancelled", async () => {
    const res = await cancel(id);
    expect(res.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
  });

  it("the receiver counts it: accepted stock becomes lots at the destination, shortfalls become discrepancies", async () => {
    const r = (await view(svc, id))!;
    const lines = [
      { lineId: line(r, "GENERATOR_30KW").id, acceptedQuantity: "1" },
      {
        lineId: line(r, "LIFE_JACKET").id,
        acceptedQuantity: "13",
        rejectedQuantity: "1",
        rejectedReason: "破损",
        missingQuantity: "1",
        missingReason: "途中遗失，已报告",
      },
      { lineId: line(r, "WOVEN_BAG").id, acceptedQuantity: "300" },
    ];
    const unbalanced = await step(
      svc,
      "receiveRequisition",
      "ReceiveRequisitionInput",
      { requisitionId: id, lines: [{ ...lines[1], missingQuantity: "0" }, lines[0], lines[2]] },
      "hekou.keeper",
    );
    expect(unbalanced.userErrors).toMatchObject([
      { code: "INVALID_QUANTITY", field: ["input", "lines", "0", "acceptedQuantity"] },
    ]);
    const received = await step(
      svc,
      "receiveRequisition",
      "ReceiveRequisitionInput",
      { requisitionId: id, lines },
      "hekou.keeper",
    );
    expect(received.userErrors).toEqual([]);
    expect(received.requisition!.status).toBe("RECEIVED");
    const jackets = line(received.requisition!, "LIFE_JACKET");
    expect(jackets.discrepancies.map((d) => [d.kind, d.quantity])).toEqual([
      ["REJECTED", "1"],
      ["MISSING", "1"],
    ]);
    expect(jackets.loans).toMatchObject([
      { quantity: "13", status: "OPEN", dueOn: "2026-12-10", overdue: false },
    ]);
    expect(await stockOf("TD-HEKOU", "GENERATOR_30KW")).toMatchObject({ inTransit: "0" });
    expect(await ledgerBalances()).toEqual([]);
    // the discrepancy is visible to both townships and the county
    for (const who of ["hekou.officer", "chengguan.officer", "county.officer", "auditor"]) {
      const seen = await view(svc, id, who);
      expect(line(seen!, "LIFE_JACKET").discrepancies).toHaveLength(2);
    }
  });

  it("overdue loans are listed for both sides and the county", async () => {
    now = new Date("2026-12-11T02:00:00Z");
    for (const [who, r] of [
      ["hekou.officer", region.hekou],
      ["chengguan.officer", region.chengguan],
      ["county.officer", region.qinghe],
    ] as const) {
      const res = await svc.gql<{ loans: { nodes: { overdue: boolean; quantity: string }[] } }>(
        "query($r: ID) { loans(regionId: $r, overdueOnly: true) { nodes { overdue quantity } } }",
        { r },
        who,
      );
      expect(res.data!.loans.nodes.map((n) => n.quantity).sort()).toEqual(["1", "13"]);
      expect(res.data!.loans.nodes.every((n) => n.overdue)).toBe(true);
    }
    const readiness = await svc.gql<{ readiness: { nodes: { overdueLoans: number }[] } }>(
      "query($r: ID!) { readiness(regionId: $r, first: 1) { nodes { overdueLoans } } }",
      { r: region.hekou },
      "hekou.officer",
    );
    expect(readiness.data!.readiness.nodes[0]!.overdueLoans).toBe(2);
  });

  it("lent equipment comes back: damaged returns do not restore usable stock, and the request closes", async () => {
    const r = (await view(svc, id))!;
    const usableBefore = await stockOf("TD-CHENGGUAN", "GENERATOR_30KW");
    const returned = await step(
      svc,
      "returnRequisition",
      "ReturnRequisitionInput",
      {
        requisitionId: id,
        lines: [
          { lineId: line(r, "GENERATOR_30KW").id, quantity: "1", damaged: true },
          { lineId: line(r, "LIFE_JACKET").id, quantity: "13", damaged: false },
        ],
      },
      "hekou.keeper",
    );
    expect(returned.userErrors).toEqual([]);
    expect(returned.requisition!.status).toBe("CLOSED");
    const after = await stockOf("TD-CHENGGUAN", "GENERATOR_30KW");
    expect(after.usable).toBe(usableBefore.usable);
    expect(after.damaged).toBe("1");
    expect(returned.requisition!.timeline.map((t) => t.toStatus)).toEqual([
      "DRAFT",
      "SUBMITTED",
      "PARTIALLY_APPROVED",
      "IN_TRANSIT",
      "RECEIVED",
      "RETURNED",
      "CLOSED",
    ]);
    expect(await ledgerBalances()).toEqual([]);
    const lines = await svc.gql<{ requisition: { movements: { kind: string; quantity: string }[] } }>(
      "query($id: ID!) { requisition(id: $id) { movements { kind quantity } } }",
      { id },
      "auditor",
    );
    const kinds = lines.data!.requisition.movements.map((m) => m.kind);
    // dispatch out of the lender, receipt into the borrower, and back again for the lent equipment
    expect(new Set(kinds)).toEqual(new Set(["TRANSFER_OUT", "TRANSFER_IN", "RETURN"]));
    const net = lines.data!.requisition.movements.reduce((s, m) => s + Number(m.quantity), 0);
    // 1 jacket never arrived (missing, open until settled); the rejected one is kept in quarantine at the receiver
    expect(net).toBe(-1);
    now = new Date("2026-11-24T02:00:00Z");
  });
});

describe("routing", () => {
  it.each([
    ["a township that is not a neighbour", () => ({ supplyingRegionId: region.zhangji })],
    ["the township itself", () => ({ supplyingRegionId: region.hekou })],
  ])("asking %s is ROUTE_NOT_ALLOWED", async (_name, extra) => {
    const res = await create({ ...extra(), lines: [{ itemId: ids.item("WOVEN_BAG"), quantity: "10" }] });
    expect(res.userErrors).toMatchObject([
      { code: "ROUTE_NOT_ALLOWED", field: ["input", "supplyingRegionId"] },
    ]);
  });

  it("the county is always a valid supplier", async () => {
    const res = await create({
      supplyingRegionId: region.qinghe,
      lines: [{ itemId: ids.item("WOVEN_BAG"), quantity: "10" }],
    });
    expect(res.userErrors).toEqual([]);
  });
});

describe("the lifecycle refuses what is not in its table, and changes nothing", () => {
  it("a draft cannot be dispatched or approved", async () => {
    const created = await create({ lines: [{ itemId: ids.item("WOVEN_BAG"), quantity: "10" }] });
    const id = created.requisition!.id;
    expect((await dispatch(id, "chengguan.officer")).userErrors).toMatchObject([
      { code: "INVALID_TRANSITION" },
    ]);
    expect((await approve(id, "chengguan.officer")).userErrors).toMatchObject([
      { code: "INVALID_TRANSITION" },
    ]);
    expect((await view(svc, id))!.status).toBe("DRAFT");
  });

  it("cancelling an approved request gives every held lot back to the lender", async () => {
    const before = await stockOf("TD-CHENGGUAN", "LIFE_JACKET");
    const created = await create({ lines: [{ itemId: ids.item("LIFE_JACKET"), quantity: "4" }] });
    const id = created.requisition!.id;
    await submit(id);
    expect((await approve(id, "chengguan.officer")).requisition!.status).toBe("APPROVED");
    expect(Number((await stockOf("TD-CHENGGUAN", "LIFE_JACKET")).allocated)).toBe(
      Number(before.allocated) + 4,
    );
    const cancelled = await cancel(id);
    expect(cancelled.requisition!.status).toBe("CANCELLED");
    expect(cancelled.requisition!.lines[0]!.allocations).toMatchObject([{ status: "RELEASED" }]);
    expect(await stockOf("TD-CHENGGUAN", "LIFE_JACKET")).toMatchObject({
      allocated: before.allocated,
      usable: before.usable,
    });
    expect((await cancel(id)).userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
  });
});

describe("the reserve floor", () => {
  it("only an emergency approved by the county may take a lender below it", async () => {
    // 城关镇 may lend only 100 woven bags above its safety stock, all from its township depot
    await query(
      svc.database,
      sql`update stock_levels s set reserve_floor = s.on_hand - s.allocated - (case when d.code = 'TD-CHENGGUAN' then 100 else 0 end)
            from depots d
           where d.county_id = s.county_id and d.id = s.depot_id and d.code like '%CHENGGUAN%'
             and s.item_id = (select id from items where code = 'WOVEN_BAG')`,
    );
    const urgent = await create({ lines: [{ itemId: ids.item("WOVEN_BAG"), quantity: "150" }] });
    await submit(urgent.requisition!.id);
    expect((await approve(urgent.requisition!.id, "chengguan.officer")).userErrors).toMatchObject([
      { code: "RESERVE_FLOOR" },
    ]);

    const emergency = await create({
      priority: "EMERGENCY",
      lines: [{ itemId: ids.item("WOVEN_BAG"), quantity: "150" }],
    });
    const id = emergency.requisition!.id;
    await submit(id);
    const bySupplier = await approve(id, "chengguan.officer");
    expect(bySupplier.requisition).toMatchObject({ status: "SUBMITTED", awaitingCountyApproval: true });
    expect(bySupplier.requisition!.lines[0]!.allocations).toEqual([]);
    expect((await approve(id, "chengguan.officer")).userErrors).toMatchObject([{ code: "REPEAT_APPROVAL" }]);
    const byCounty = await approve(id, "county.officer");
    expect(byCounty.userErrors).toEqual([]);
    expect(byCounty.requisition).toMatchObject({ status: "APPROVED", awaitingCountyApproval: false });
    const held = byCounty.requisition!.lines[0]!.allocations.reduce((s, a) => s + Number(a.quantity), 0);
    expect(held).toBe(150);
    await query(svc.database, sql`update stock_levels set reserve_floor = 0`);
  });
});

describe("escalation and agent-held county stock", () => {
  it("a refused request goes to the county, which lends from its warehouse and, with a release order, its agent's store", async () => {
    const asked = await create({ lines: [{ itemId: ids.item("WOVEN_BAG"), quantity: "60000" }] });
    const id = asked.requisition!.id;
    await submit(id);
    const rejected = await step(
      svc,
      "rejectRequisition",
      "RequisitionReasonInput",
      { requisitionId: id, reason: "本镇也在防汛" },
      "chengguan.officer",
    );
    expect(rejected.requisition!.status).toBe("REJECTED");
    const escalated = await step(
      svc,
      "escalateRequisition",
      "RequisitionReasonInput",
      { requisitionId: id, reason: "邻镇无力支援" },
      "hekou.officer",
    );
    expect(escalated.userErrors).toEqual([]);
    const toCounty = escalated.requisition!;
    expect(toCounty).toMatchObject({ status: "SUBMITTED" });
    expect((await view(svc, id))!.status).toBe("ESCALATED");
    // the county warehouse holds 50,000 bags: the rest must come from the agent storage point
    const noOrder = await approve(toCounty.id, "county.officer");
    expect(noOrder.userErrors).toMatchObject([
      { code: "RELEASE_ORDER_REQUIRED", field: ["input", "releaseOrderNo"] },
    ]);
    const withOrder = await approve(toCounty.id, "county.officer", {
      releaseOrderNo: "清应急动〔2026〕17号",
    });
    expect(withOrder.userErrors).toEqual([]);
    const depots = withOrder.requisition!.lines[0]!.allocations.map((a) => a.lot.depot.code);
    expect(new Set(depots)).toEqual(new Set(["CW-01", "AS-SHUNDA"]));
  });
});

describe("idempotency keys on requisition commands", () => {
  it("a retried create returns the same request and makes only one", async () => {
    const input = {
      lines: [{ itemId: ids.item("TENT"), quantity: "2" }],
      idempotencyKey: "req-hekou-tents-1",
    };
    const first = await create(input);
    const again = await create(input);
    expect(again).toEqual(first);
    const other = await create({ ...input, lines: [{ itemId: ids.item("TENT"), quantity: "3" }] });
    expect(other.userErrors).toMatchObject([{ code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH" }]);
    const list = await svc.gql<{ requisitions: { nodes: { id: string }[] } }>(
      `query($r: ID) { requisitions(regionId: $r, direction: OUTGOING, first: 100) { nodes { id } } }`,
      { r: region.hekou },
      "hekou.officer",
    );
    expect(list.data!.requisitions.nodes.filter((n) => n.id === first.requisition!.id)).toHaveLength(1);
  });
});

describe("reading requisitions", () => {
  it("a township that is neither side cannot see a request, exactly as if it did not exist", async () => {
    const created = await create({ lines: [{ itemId: ids.item("TENT"), quantity: "1" }] });
    const id = created.requisition!.id;
    expect(await view(svc, id, "zhangji.officer")).toBeNull();
    expect(await view(svc, id, "chengguan.officer")).not.toBeNull();
    const q = `query($id: ID!) { requisition(id: $id) { ${REQUISITION_FIELDS} } }`;
    const statements = async (as: string) => {
      const before = svc.database.statements();
      await svc.gql(q, { id }, as);
      return svc.database.statements() - before;
    };
    expect(await statements("county.officer")).toBeLessThan(25);
  });
});
