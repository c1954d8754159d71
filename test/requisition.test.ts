import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  aCounty,
  aDepot,
  anItem,
  aTownship,
  countyRegion,
  type Depot,
  type Item,
} from "./support/factories.js";
import {
  aDispatchedRequisition,
  aDraftRequisition,
  aLendingPair,
  anApprovedRequisition,
  aReceivedRequisition,
  aStockedItem,
  aSubmittedRequisition,
  between,
  DISPATCH,
  type LendingPair,
} from "./support/requisitionFactories.js";
import { REQUISITION_FIELDS, type RequisitionView, step, view } from "./support/requisitions.js";
import { startTestService, type TestService } from "./support/service.js";
import { aLotOf, aNorm, stockAt } from "./support/stockFactories.js";
import { books } from "./support/transit.js";

const TODAY = new Date("2026-11-24T02:00:00Z");
let now = TODAY;
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
});
beforeEach(() => {
  now = TODAY;
});
afterAll(() => svc.stop());

const approve = (id: string, as: string, extra: Record<string, unknown> = {}) =>
  step(svc, "approveRequisition", "ApproveRequisitionInput", { requisitionId: id, ...extra }, as);
const dispatch = (id: string, as: string) =>
  step(svc, "dispatchRequisition", "DispatchRequisitionInput", { requisitionId: id, ...DISPATCH }, as);
const cancel = (id: string, as: string) =>
  step(svc, "cancelRequisition", "RequisitionReasonInput", { requisitionId: id, reason: "险情解除" }, as);

const line = (r: RequisitionView, item: Item) => r.lines.find((l) => l.item.code === item.code)!;

/** A lending pair whose lender holds a generator (serialised, lent), 40 life jackets (lent) and 1,000 woven bags. */
async function floodReserve() {
  const pair = await aLendingPair(svc, {
    items: [{ trackingMode: "SERIAL", returnable: true }, { returnable: true }, {}],
  });
  const [generator, jackets, bags] = pair.county.items as [Item, Item, Item];
  await aLotOf(pair.lender.depot, generator, "1");
  await aLotOf(pair.lender.depot, jackets, "40");
  await aLotOf(pair.lender.depot, bags, "1000");
  return { pair, generator, jackets, bags };
}

describe("a flooding township gets a neighbour's generator, and nothing goes missing on the way", () => {
  it("drafts and submits a request, merging the same item asked twice", async () => {
    const { pair, generator, jackets, bags } = await floodReserve();

    const draft = await aDraftRequisition(
      between(pair, [
        { item: generator, quantity: "1" },
        { item: jackets, quantity: "10" },
        { item: jackets, quantity: "5" },
        { item: bags, quantity: "500" },
      ]),
    );
    const submitted = await step(
      svc,
      "submitRequisition",
      "RequisitionStepInput",
      { requisitionId: draft.id },
      pair.borrower.officer,
    );

    expect(draft.view.status).toBe("DRAFT");
    expect(draft.view.lines.map((l) => [l.item.code, l.requestedQuantity])).toEqual([
      [generator.code, "1"],
      [jackets.code, "15"],
      [bags.code, "500"],
    ]);
    expect(submitted.requisition!.status).toBe("SUBMITTED");
  });

  it("cannot be approved by its creator, nor by the county before the supplier, and nothing is held", async () => {
    const { pair, jackets } = await floodReserve();
    const asked = await aSubmittedRequisition(between(pair, [{ item: jackets, quantity: "4" }]));
    const before = await books(svc);

    const byCreator = await approve(asked.id, pair.borrower.officer);
    const byCounty = await approve(asked.id, pair.county.officer);

    expect(byCreator.topLevel ?? byCreator.userErrors[0]?.code).toBe("SELF_APPROVAL");
    expect(byCounty.topLevel).toBe("FORBIDDEN");
    expect((await view(svc, asked.id, pair.county.officer))!.status).toBe("SUBMITTED");
    expect(await books(svc)).toEqual(before);
  });

  it("the lender approves in part; the lots are held first-expiry-first-out and stop being usable", async () => {
    const pair = await aLendingPair(svc);
    const kits = await anItem(pair.county, { shelfLifeDays: 730 });
    const [later] = await aLotOf(pair.lender.depot, kits, "10", { expiresOn: "2027-09-01" });
    const [sooner] = await aLotOf(pair.lender.depot, kits, "10", { expiresOn: "2027-03-01" });
    const asked = await aSubmittedRequisition(between(pair, [{ item: kits, quantity: "8" }]));

    const approved = await approve(asked.id, pair.lender.officer, {
      lines: [{ lineId: asked.lineOf(kits), approvedQuantity: "6" }],
    });

    expect(approved.userErrors).toEqual([]);
    expect(approved.requisition!.status).toBe("PARTIALLY_APPROVED");
    expect(line(approved.requisition!, kits)).toMatchObject({
      approvedQuantity: "6",
      allocations: [
        { quantity: "6", status: "HELD", lot: { id: sooner!.id, depot: { code: pair.lender.depot.code } } },
      ],
    });
    expect(later!.id).not.toBe(sooner!.id);
    expect(await stockAt(pair.lender.depot, kits)).toMatchObject({
      onHand: "20",
      allocated: "6",
      usable: "14",
    });
  });

  it("once approved, the held generator cannot be issued by the lender's keeper, and nothing changes", async () => {
    const { pair, generator } = await floodReserve();
    await anApprovedRequisition(between(pair, [{ item: generator, quantity: "1" }]));
    const before = await books(svc);

    const res = await svc.gql<{ issueStock: { userErrors: { code: string }[] } }>(
      `mutation($input: IssueStockInput!) { issueStock(input: $input) { userErrors { code } } }`,
      {
        input: {
          depotId: pair.lender.depot.id,
          itemId: generator.id,
          quantity: "1",
          purpose: "FLOOD_FIGHTING",
          recipient: "本镇抢险队",
          reason: "own use",
        },
      },
      pair.lender.depot.keeper,
    );

    expect(res.data!.issueStock.userErrors).toMatchObject([{ code: "INSUFFICIENT_STOCK" }]);
    expect(await books(svc)).toEqual(before);
    expect(await stockAt(pair.lender.depot, generator)).toMatchObject({
      onHand: "1",
      allocated: "1",
      usable: "0",
    });
  });

  it("dispatch moves the stock off the lender into transit, as TRANSFER_OUT lines", async () => {
    const { pair, generator, jackets } = await floodReserve();
    const approved = await anApprovedRequisition(
      between(pair, [
        { item: generator, quantity: "1" },
        { item: jackets, quantity: "15" },
      ]),
    );

    const dispatched = await dispatch(approved.id, pair.lender.depot.keeper);

    expect(dispatched.userErrors).toEqual([]);
    expect(dispatched.requisition!.status).toBe("IN_TRANSIT");
    expect(await stockAt(pair.lender.depot, generator)).toMatchObject({ onHand: "0", allocated: "0" });
    expect(await stockAt(pair.lender.depot, jackets)).toMatchObject({ onHand: "25", allocated: "0" });
    expect(await stockAt(pair.borrower.depot, generator)).toMatchObject({ onHand: "0", inTransit: "1" });
    const transit = await svc.gql<{ inTransit: { nodes: { quantity: string; item: { code: string } }[] } }>(
      "query($r: ID!) { inTransit(regionId: $r) { nodes { quantity item { code } } } }",
      { r: pair.borrower.id },
      pair.borrower.officer,
    );
    expect(transit.data!.inTransit.nodes.map((n) => [n.item.code, n.quantity]).sort()).toEqual(
      [
        [generator.code, "1"],
        [jackets.code, "15"],
      ].sort(),
    );
    const ledger = await svc.gql<{ requisition: { movements: { kind: string; quantity: string }[] } }>(
      "query($id: ID!) { requisition(id: $id) { movements { kind quantity } } }",
      { id: approved.id },
      pair.county.auditor,
    );
    expect(ledger.data!.requisition.movements.map((m) => [m.kind, m.quantity]).sort()).toEqual([
      ["TRANSFER_OUT", "-1"],
      ["TRANSFER_OUT", "-15"],
    ]);
  });

  it("each lot at the destination shows its item's depot-wide figures, what is on its way included", async () => {
    const { pair, jackets } = await floodReserve();
    await aLotOf(pair.borrower.depot, jackets, "3");
    await aDispatchedRequisition(between(pair, [{ item: jackets, quantity: "5" }]), pair.lender.depot);

    const res = await svc.gql<{
      lots: {
        nodes: {
          item: { code: string };
          onHand: string;
          stockLevel: { onHand: string; inTransit: string };
        }[];
      };
    }>(
      `query($d: ID!) { lots(depotId: $d, first: 50) { nodes { item { code } onHand stockLevel { onHand inTransit } } } }`,
      { d: pair.borrower.depot.id },
      pair.borrower.depot.keeper,
    );

    expect(res.data!.lots.nodes).toEqual([
      { item: { code: jackets.code }, onHand: "3", stockLevel: { onHand: "3", inTransit: "5" } },
    ]);
  });

  it("a dispatched request cannot be cancelled, and nothing changes", async () => {
    const { pair, jackets } = await floodReserve();
    const sent = await aDispatchedRequisition(
      between(pair, [{ item: jackets, quantity: "5" }]),
      pair.lender.depot,
    );
    const before = await books(svc);

    const res = await cancel(sent.id, pair.borrower.officer);

    expect(res.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    expect((await view(svc, sent.id, pair.county.officer))!.status).toBe("IN_TRANSIT");
    expect(await books(svc)).toEqual(before);
  });

  it("the receiver counts it: accepted stock becomes lots at the destination, shortfalls become discrepancies", async () => {
    const { pair, generator, jackets, bags } = await floodReserve();
    const plan = between(pair, [
      { item: generator, quantity: "1" },
      { item: jackets, quantity: "15" },
      { item: bags, quantity: "300" },
    ]);
    const sent = await aDispatchedRequisition(plan, pair.lender.depot, {
      input: { returnDueOn: "2026-12-10" },
    });
    const lines = [
      { lineId: sent.lineOf(generator), acceptedQuantity: "1" },
      {
        lineId: sent.lineOf(jackets),
        acceptedQuantity: "13",
        rejectedQuantity: "1",
        rejectedReason: "破损",
        missingQuantity: "1",
        missingReason: "途中遗失，已报告",
      },
      { lineId: sent.lineOf(bags), acceptedQuantity: "300" },
    ];
    const receive = (input: Record<string, unknown>[]) =>
      step(
        svc,
        "receiveRequisition",
        "ReceiveRequisitionInput",
        { requisitionId: sent.id, lines: input },
        pair.borrower.depot.keeper,
      );
    const before = await books(svc);

    const unbalanced = await receive([{ ...lines[1], missingQuantity: "0" }, lines[0]!, lines[2]!]);
    const afterRefusal = await books(svc);
    const received = await receive(lines);

    expect(unbalanced.userErrors).toMatchObject([
      { code: "INVALID_QUANTITY", field: ["input", "lines", "0", "acceptedQuantity"] },
    ]);
    expect(afterRefusal).toEqual(before);
    expect(received.userErrors).toEqual([]);
    expect(received.requisition!.status).toBe("RECEIVED");
    const jacketLine = line(received.requisition!, jackets);
    expect(jacketLine.discrepancies.map((d) => [d.kind, d.quantity])).toEqual([
      ["REJECTED", "1"],
      ["MISSING", "1"],
    ]);
    expect(jacketLine.loans).toMatchObject([
      { quantity: "13", status: "OPEN", dueOn: "2026-12-10", overdue: false },
    ]);
    expect(await stockAt(pair.borrower.depot, generator)).toMatchObject({ onHand: "1", inTransit: "0" });
    expect(await stockAt(pair.borrower.depot, jackets)).toMatchObject({
      onHand: "14",
      usable: "13",
      quarantined: "1",
    });
    expect(await stockAt(pair.borrower.depot, bags)).toMatchObject({ onHand: "300", usable: "300" });
    // the discrepancy is visible to both townships and the county
    for (const who of [
      pair.borrower.officer,
      pair.lender.officer,
      pair.county.officer,
      pair.county.auditor,
    ]) {
      const seen = await view(svc, sent.id, who);
      expect(line(seen!, jackets).discrepancies).toHaveLength(2);
    }
  });

  it("overdue loans are listed for both sides and the county", async () => {
    const { pair, generator, jackets } = await floodReserve();
    const plan = between(pair, [
      { item: generator, quantity: "1" },
      { item: jackets, quantity: "13" },
    ]);
    await aReceivedRequisition(plan, pair.lender.depot, { input: { returnDueOn: "2026-12-10" } });

    now = new Date("2026-12-11T02:00:00Z");

    for (const [who, r] of [
      [pair.borrower.officer, pair.borrower.id],
      [pair.lender.officer, pair.lender.id],
      [pair.county.officer, pair.county.id],
    ] as const) {
      const res = await svc.gql<{ loans: { nodes: { overdue: boolean; quantity: string }[] } }>(
        "query($r: ID) { loans(regionId: $r, overdueOnly: true) { nodes { overdue quantity } } }",
        { r },
        who,
      );
      expect(res.data!.loans.nodes.map((n) => [n.quantity, n.overdue]).sort()).toEqual([
        ["1", true],
        ["13", true],
      ]);
    }
    const readiness = await svc.gql<{ readiness: { nodes: { overdueLoans: number }[] } }>(
      "query($r: ID!) { readiness(regionId: $r, first: 1) { nodes { overdueLoans } } }",
      { r: pair.borrower.id },
      pair.borrower.officer,
    );
    expect(readiness.data!.readiness.nodes[0]!.overdueLoans).toBe(2);
  });

  it("lent equipment comes back: damaged returns do not restore usable stock, and the request closes", async () => {
    const { pair, generator, jackets } = await floodReserve();
    const plan = between(pair, [
      { item: generator, quantity: "1" },
      { item: jackets, quantity: "13" },
    ]);
    const lent = await aReceivedRequisition(plan, pair.lender.depot);

    const returned = await step(
      svc,
      "returnRequisition",
      "ReturnRequisitionInput",
      {
        requisitionId: lent.id,
        lines: [
          { lineId: lent.lineOf(generator), quantity: "1", damaged: true },
          { lineId: lent.lineOf(jackets), quantity: "13", damaged: false },
        ],
      },
      pair.borrower.depot.keeper,
    );

    expect(returned.userErrors).toEqual([]);
    expect(returned.requisition!.status).toBe("CLOSED");
    expect(await stockAt(pair.lender.depot, generator)).toMatchObject({
      onHand: "1",
      usable: "0",
      damaged: "1",
    });
    expect(await stockAt(pair.lender.depot, jackets)).toMatchObject({ onHand: "40", usable: "40" });
    expect(await stockAt(pair.borrower.depot, jackets)).toMatchObject({ onHand: "0" });
    expect(returned.requisition!.timeline.map((t) => t.toStatus)).toEqual([
      "DRAFT",
      "SUBMITTED",
      "APPROVED",
      "IN_TRANSIT",
      "RECEIVED",
      "RETURNED",
      "CLOSED",
    ]);
    const lines = await svc.gql<{ requisition: { movements: { kind: string; quantity: string }[] } }>(
      "query($id: ID!) { requisition(id: $id) { movements { kind quantity } } }",
      { id: lent.id },
      pair.county.auditor,
    );
    const kinds = lines.data!.requisition.movements.map((m) => m.kind);
    // dispatch out of the lender, receipt into the borrower, and back again for the lent equipment
    expect(new Set(kinds)).toEqual(new Set(["TRANSFER_OUT", "TRANSFER_IN", "RETURN"]));
    const net = lines.data!.requisition.movements.reduce((s, m) => s + Number(m.quantity), 0);
    expect(net).toBe(0);
  });
});

describe("routing", () => {
  it.each([
    ["a township that is not a neighbour", (p: LendingPair) => aTownship(p.county)],
    ["the township itself", (p: LendingPair) => Promise.resolve(p.borrower)],
  ])("asking %s is ROUTE_NOT_ALLOWED, and nothing is written", async (_name, supplier) => {
    const pair = await aLendingPair(svc);
    const bags = await aStockedItem(pair, "100");
    const to = await supplier(pair);
    const before = await books(svc);

    const res = await step(
      svc,
      "createRequisition",
      "CreateRequisitionInput",
      {
        requestingRegionId: pair.borrower.id,
        supplyingRegionId: to.id,
        destinationDepotId: pair.borrower.depot.id,
        priority: "URGENT",
        reason: "堤防管涌",
        lines: [{ itemId: bags.id, quantity: "10" }],
      },
      pair.borrower.officer,
    );

    expect(res.userErrors).toMatchObject([
      { code: "ROUTE_NOT_ALLOWED", field: ["input", "supplyingRegionId"] },
    ]);
    expect(await books(svc)).toEqual(before);
  });

  it("the county is always a valid supplier", async () => {
    const county = await aCounty(svc);
    const town = await aTownship(county);
    const depot = await aDepot(town);
    const bags = await anItem(county);

    const asked = await aDraftRequisition({
      from: town,
      to: countyRegion(county),
      destination: depot,
      lines: [{ item: bags, quantity: "10" }],
    });

    expect(asked.view).toMatchObject({ status: "DRAFT", lines: [{ requestedQuantity: "10" }] });
  });
});

describe("the lifecycle refuses what is not in its table, and changes nothing", () => {
  it("a draft cannot be dispatched or approved", async () => {
    const { pair, bags } = await floodReserve();
    const draft = await aDraftRequisition(between(pair, [{ item: bags, quantity: "10" }]));
    const before = await books(svc);

    const dispatched = await dispatch(draft.id, pair.lender.officer);
    const approved = await approve(draft.id, pair.lender.officer);

    expect(dispatched.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    expect(approved.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    expect((await view(svc, draft.id, pair.county.officer))!.status).toBe("DRAFT");
    expect(await books(svc)).toEqual(before);
  });

  it("cancelling an approved request gives every held lot back to the lender", async () => {
    const { pair, jackets } = await floodReserve();
    const approved = await anApprovedRequisition(between(pair, [{ item: jackets, quantity: "4" }]));
    const held = await stockAt(pair.lender.depot, jackets);

    const cancelled = await cancel(approved.id, pair.borrower.officer);
    const again = await cancel(approved.id, pair.borrower.officer);

    expect(held).toMatchObject({ allocated: "4", usable: "36" });
    expect(cancelled.requisition!.status).toBe("CANCELLED");
    expect(cancelled.requisition!.lines[0]!.allocations).toMatchObject([{ status: "RELEASED" }]);
    expect(await stockAt(pair.lender.depot, jackets)).toMatchObject({
      onHand: "40",
      allocated: "0",
      usable: "40",
    });
    expect(again.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
  });
});

describe("the reserve floor", () => {
  it("only an emergency approved by the county may take a lender below it", async () => {
    const pair = await aLendingPair(svc);
    const bags = await aStockedItem(pair, "250");
    // the lender may lend only the 100 bags above its safety stock of 150
    await aNorm(pair.county, bags, pair.lender.id, "250", "150");
    const urgent = await aSubmittedRequisition(between(pair, [{ item: bags, quantity: "150" }]));
    const before = await books(svc);

    const refused = await approve(urgent.id, pair.lender.officer);

    expect(refused.userErrors).toMatchObject([{ code: "RESERVE_FLOOR" }]);
    expect(await books(svc)).toEqual(before);

    const emergency = await aSubmittedRequisition(
      between(pair, [{ item: bags, quantity: "150" }], { priority: "EMERGENCY" }),
    );
    const bySupplier = await approve(emergency.id, pair.lender.officer);
    const twice = await approve(emergency.id, pair.lender.officer);
    const byCounty = await approve(emergency.id, pair.county.officer);

    expect(bySupplier.requisition).toMatchObject({ status: "SUBMITTED", awaitingCountyApproval: true });
    expect(bySupplier.requisition!.lines[0]!.allocations).toEqual([]);
    expect(twice.userErrors).toMatchObject([{ code: "REPEAT_APPROVAL" }]);
    expect(byCounty.userErrors).toEqual([]);
    expect(byCounty.requisition).toMatchObject({ status: "APPROVED", awaitingCountyApproval: false });
    expect(byCounty.requisition!.lines[0]!.allocations.map((a) => a.quantity)).toEqual(["150"]);
    expect(await stockAt(pair.lender.depot, bags)).toMatchObject({ onHand: "250", allocated: "150" });
  });
});

describe("escalation and agent-held county stock", () => {
  it("a refused request goes to the county, which lends from its warehouse and, with a release order, its agent's store", async () => {
    const pair = await aLendingPair(svc, { countyDepots: ["COUNTY_WAREHOUSE", "AGENT_STORAGE"] });
    const [warehouse, agent] = pair.county.depots as [Depot, Depot];
    const bags = await aStockedItem(pair, "100");
    await aLotOf(warehouse, bags, "500");
    await aLotOf(agent, bags, "500");
    const asked = await aSubmittedRequisition(between(pair, [{ item: bags, quantity: "600" }]));
    const rejected = await step(
      svc,
      "rejectRequisition",
      "RequisitionReasonInput",
      { requisitionId: asked.id, reason: "本镇也在防汛" },
      pair.lender.officer,
    );

    const escalated = await step(
      svc,
      "escalateRequisition",
      "RequisitionReasonInput",
      { requisitionId: asked.id, reason: "邻镇无力支援" },
      pair.borrower.officer,
    );

    expect(rejected.requisition!.status).toBe("REJECTED");
    expect(escalated.userErrors).toEqual([]);
    const toCounty = escalated.requisition!;
    expect(toCounty).toMatchObject({ status: "SUBMITTED" });
    expect((await view(svc, asked.id, pair.county.officer))!.status).toBe("ESCALATED");
    // the warehouse holds 500 bags: the rest must come from the agent storage point
    const before = await books(svc);
    const noOrder = await approve(toCounty.id, pair.county.officer);
    expect(noOrder.userErrors).toMatchObject([
      { code: "RELEASE_ORDER_REQUIRED", field: ["input", "releaseOrderNo"] },
    ]);
    expect(await books(svc)).toEqual(before);
    const withOrder = await approve(toCounty.id, pair.county.officer, {
      releaseOrderNo: "清应急动〔2026〕17号",
    });
    expect(withOrder.userErrors).toEqual([]);
    const held = withOrder.requisition!.lines[0]!.allocations.map((a) => [a.lot.depot.code, a.quantity]);
    expect(held.sort()).toEqual(
      [
        [warehouse.code, "500"],
        [agent.code, "100"],
      ].sort(),
    );
  });
});

describe("idempotency keys on requisition commands", () => {
  it("a retried create returns the same request and makes only one", async () => {
    const pair = await aLendingPair(svc);
    const tents = await aStockedItem(pair, "10", { returnable: true });
    const create = (quantity: string) =>
      step(
        svc,
        "createRequisition",
        "CreateRequisitionInput",
        {
          requestingRegionId: pair.borrower.id,
          supplyingRegionId: pair.lender.id,
          destinationDepotId: pair.borrower.depot.id,
          priority: "URGENT",
          reason: "安置受灾群众",
          lines: [{ itemId: tents.id, quantity }],
          idempotencyKey: "req-tents-1",
        },
        pair.borrower.officer,
      );

    const first = await create("2");
    const again = await create("2");
    const other = await create("3");

    expect(again).toEqual(first);
    expect(other.userErrors).toMatchObject([{ code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH" }]);
    const list = await svc.gql<{ requisitions: { nodes: { id: string }[] } }>(
      `query($r: ID) { requisitions(regionId: $r, direction: OUTGOING, first: 100) { nodes { id } } }`,
      { r: pair.borrower.id },
      pair.borrower.officer,
    );
    expect(list.data!.requisitions.nodes.map((n) => n.id)).toEqual([first.requisition!.id]);
  });
});

describe("reading requisitions", () => {
  it("a township that is neither side cannot see a request, exactly as if it did not exist", async () => {
    const pair = await aLendingPair(svc);
    const stranger = await aTownship(pair.county);
    const tents = await aStockedItem(pair, "10", { returnable: true });
    const asked = await aDraftRequisition(between(pair, [{ item: tents, quantity: "1" }]));

    expect(await view(svc, asked.id, stranger.officer)).toBeNull();
    expect(await view(svc, asked.id, pair.lender.officer)).toMatchObject({ id: asked.id, status: "DRAFT" });
    const q = `query($id: ID!) { requisition(id: $id) { ${REQUISITION_FIELDS} } }`;
    const before = svc.database.statements();
    await svc.gql(q, { id: asked.id }, pair.county.officer);
    expect(svc.database.statements() - before).toBeLessThan(25);
  });
});
