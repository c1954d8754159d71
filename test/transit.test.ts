import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { step, view } from "./support/requisitions.js";
import { startTestService, type TestService } from "./support/service.js";
import { books, imbalances, requisitionSteps, stockOf, transitWorld } from "./support/transit.js";
import type { DemoIds } from "./support/world.js";

const now = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
let ids: DemoIds;
let steps: ReturnType<typeof requisitionSteps>;

beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
  const world = await transitWorld(svc);
  ids = world.ids;
  steps = requisitionSteps(svc, ids, world.region);
});
afterAll(() => svc.stop());

const lender = () => ids.depot("TD-CHENGGUAN");
const receiver = () => ids.depot("TD-HEKOU");

interface TransitView {
  status: string;
  timeline: { toStatus: string; note: string; actor: { username: string } }[];
  movements: { kind: string; quantity: string }[];
  returnLegs: { id: string; status: string; destinationDepot: { code: string } | null }[];
  lines: {
    id: string;
    allocations: { status: string; quantity: string }[];
    discrepancies: {
      id: string;
      kind: string;
      quantity: string;
      disposition: string | null;
      open: boolean;
      settlement: string | null;
      settledBy: { username: string } | null;
      quarantinedLot: { condition: string; onHand: string; depot: { code: string } } | null;
      returnLeg: { id: string; status: string } | null;
    }[];
  }[];
}

async function read(id: string, as = "county.officer"): Promise<TransitView | null> {
  const res = await svc.gql<{ requisition: TransitView | null }>(
    `query($id: ID!) { requisition(id: $id) { status timeline { toStatus note actor { username } }
       movements { kind quantity } returnLegs { id status destinationDepot { code } }
       lines { id allocations { status quantity }
         discrepancies { id kind quantity disposition open settlement settledBy { username }
           quarantinedLot { condition onHand depot { code } } returnLeg { id status } } } } }`,
    { id },
    as,
  );
  return res.data!.requisition;
}

const settle = (input: Record<string, unknown>, as = "chengguan.officer") =>
  svc.gql<{
    settleDiscrepancy: {
      requisition: { id: string } | null;
      userErrors: { code: string; field: string[] }[];
    };
  }>(
    `mutation($input: SettleDiscrepancyInput!) { settleDiscrepancy(input: $input) { requisition { id } userErrors { code field } } }`,
    { input: { note: "核实情况", ...input } },
    as,
  );

describe("a recall (车辆返回) puts dispatched stock back on the lots it left", () => {
  it("only the sender may recall; to the receiver's keeper the depot it left is NOT_FOUND and nothing changes", async () => {
    const id = await steps.underway([{ item: "LIFE_JACKET", quantity: "6" }]);
    const before = await books(svc);
    const res = await steps.recall(id, "hekou.keeper");
    expect(res.userErrors).toMatchObject([{ code: "NOT_FOUND", field: ["input", "requisitionId"] }]);
    expect(await books(svc)).toEqual(before);
    expect((await view(svc, id))!.status).toBe("IN_TRANSIT");
    await steps.recall(id);
  });

  it("every travelled lot gets its stock back by a RETURN line; the dispatch's lines stay; RECALLED in the timeline", async () => {
    const untouched = await stockOf(svc, lender(), "LIFE_JACKET");
    const id = await steps.underway([{ item: "LIFE_JACKET", quantity: "5" }]);
    expect(await stockOf(svc, lender(), "LIFE_JACKET")).toMatchObject({
      onHand: String(Number(untouched.onHand) - 5),
    });
    expect((await stockOf(svc, receiver(), "LIFE_JACKET")).inTransit).toBe("5");
    const before = await books(svc);
    const recalled = await steps.recall(id, "chengguan.keeper", "险情解除，车辆返回城关");
    expect(recalled.userErrors).toEqual([]);
    expect(recalled.requisition!.status).toBe("RECALLED");
    const r = (await read(id, "hekou.officer"))!;
    expect(r.timeline.at(-1)).toEqual({
      toStatus: "RECALLED",
      note: "险情解除，车辆返回城关",
      actor: { username: "chengguan.keeper" },
    });
    expect(r.lines[0]!.allocations.map((a) => a.status)).toEqual(["RECALLED"]);
    // both lines are on the lender's books: the receiving township reads the recall in the timeline, not the ledger
    expect(r.movements).toEqual([]);
    expect((await read(id, "chengguan.officer"))!.movements.map((m) => [m.kind, m.quantity])).toEqual([
      ["TRANSFER_OUT", "-5"],
      ["RETURN", "5"],
    ]);
    expect(await stockOf(svc, lender(), "LIFE_JACKET")).toEqual(untouched);
    expect((await stockOf(svc, receiver(), "LIFE_JACKET")).inTransit).toBe("0");
    expect((await books(svc)).movements).toBe(before.movements + 1);
    expect(await imbalances(svc)).toEqual([]);
  });

  it("a recalled requisition cannot be received or recalled again; a received one cannot be recalled", async () => {
    const id = await steps.underway([{ item: "LIFE_JACKET", quantity: "1" }]);
    await steps.recall(id);
    const before = await books(svc);
    const lineId = (await view(svc, id))!.lines[0]!.id;
    expect((await steps.receive(id, [{ lineId, acceptedQuantity: "1" }])).userErrors).toMatchObject([
      { code: "INVALID_TRANSITION" },
    ]);
    expect((await steps.recall(id)).userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    const held = await steps.underway([{ item: "LIFE_JACKET", quantity: "1" }], false);
    expect((await steps.recall(held)).userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    await steps.cancel(held);
    const received = await steps.underway([{ item: "WOVEN_BAG", quantity: "10" }]);
    const bagLine = (await view(svc, received))!.lines[0]!.id;
    await steps.receive(received, [{ lineId: bagLine, acceptedQuantity: "10" }]);
    const afterReceipt = await books(svc);
    expect((await steps.recall(received)).userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    expect(await books(svc)).toEqual(afterReceipt);
    expect(afterReceipt.movements).toBeGreaterThan(before.movements);
  });
});

describe("recall and settlement are retry-safe", () => {
  it("a retried recall with the same key answers the same and writes its RETURN lines once", async () => {
    const id = await steps.underway([{ item: "LIFE_JACKET", quantity: "2" }]);
    const input = { requisitionId: id, reason: "车辆返回", idempotencyKey: "recall-lj-2" };
    const first = await step(svc, "recallRequisition", "RequisitionReasonInput", input, "chengguan.keeper");
    const ledger = await books(svc);
    const again = await step(svc, "recallRequisition", "RequisitionReasonInput", input, "chengguan.keeper");
    expect(again).toEqual(first);
    expect(await books(svc)).toEqual(ledger);
  });
});

describe("stock rejected on arrival goes back on someone's books", () => {
  it("KEEP_QUARANTINED: a quarantined lot at the receiver, never usable, open until settled", async () => {
    const id = await steps.underway([{ item: "LIFE_JACKET", quantity: "4" }]);
    const lineId = (await view(svc, id))!.lines[0]!.id;
    const before = await stockOf(svc, receiver(), "LIFE_JACKET");
    const res = await steps.receive(id, [
      {
        lineId,
        acceptedQuantity: "3",
        rejectedQuantity: "1",
        rejectedReason: "浮力块破损",
        rejectedDisposition: "KEEP_QUARANTINED",
      },
    ]);
    expect(res.userErrors).toEqual([]);
    const after = await stockOf(svc, receiver(), "LIFE_JACKET");
    expect(after).toMatchObject({
      onHand: String(Number(before.onHand) + 4),
      usable: String(Number(before.usable) + 3),
      quarantined: String(Number(before.quarantined) + 1),
    });
    const [d] = (await read(id))!.lines[0]!.discrepancies;
    expect(d).toMatchObject({
      kind: "REJECTED",
      quantity: "1",
      disposition: "KEEP_QUARANTINED",
      open: true,
      settlement: null,
      quarantinedLot: { condition: "QUARANTINED", onHand: "1", depot: { code: "TD-HEKOU" } },
    });
    // visible to both townships and the county while open
    for (const who of ["hekou.officer", "chengguan.officer", "county.officer"]) {
      expect((await read(id, who))!.lines[0]!.discrepancies[0]!.open).toBe(true);
    }
    expect(await imbalances(svc)).toEqual([]);
  });

  it("RETURN: a return leg in transit to the lender, in neither depot's stock until the lender counts it", async () => {
    const lenderBefore = await stockOf(svc, lender(), "LIFE_JACKET");
    const id = await steps.underway([{ item: "LIFE_JACKET", quantity: "3" }]);
    const lineId = (await view(svc, id))!.lines[0]!.id;
    const receiverBefore = await stockOf(svc, receiver(), "LIFE_JACKET");
    const res = await steps.receive(id, [
      {
        lineId,
        acceptedQuantity: "1",
        rejectedQuantity: "2",
        rejectedReason: "型号不符",
        rejectedDisposition: "RETURN",
      },
    ]);
    expect(res.userErrors).toEqual([]);
    const r = (await read(id))!;
    expect(r.returnLegs).toMatchObject([
      { status: "IN_TRANSIT", destinationDepot: { code: "TD-CHENGGUAN" } },
    ]);
    const leg = r.returnLegs[0]!.id;
    expect(r.lines[0]!.discrepancies[0]).toMatchObject({
      disposition: "RETURN",
      settlement: "RETURNED",
      open: false,
      returnLeg: { id: leg, status: "IN_TRANSIT" },
    });
    expect(await stockOf(svc, receiver(), "LIFE_JACKET")).toMatchObject({
      onHand: String(Number(receiverBefore.onHand) + 1),
      usable: String(Number(receiverBefore.usable) + 1),
    });
    const lenderOnRoad = await stockOf(svc, lender(), "LIFE_JACKET");
    expect(lenderOnRoad).toMatchObject({ onHand: String(Number(lenderBefore.onHand) - 3), inTransit: "2" });
    const transit = await svc.gql<{
      inTransit: { nodes: { quantity: string; requisition: { id: string } }[] };
    }>(
      "query($d: ID!) { inTransit(depotId: $d) { nodes { quantity requisition { id } } } }",
      { d: lender() },
      "chengguan.officer",
    );
    expect(transit.data!.inTransit.nodes.filter((n) => n.requisition.id === leg)).toMatchObject([
      { quantity: "2" },
    ]);
    // the lender counts it like any shipment; it comes back quarantined, for the lender to inspect
    const legLine = (await view(svc, leg, "chengguan.keeper"))!.lines[0]!.id;
    const back = await steps.receive(leg, [{ lineId: legLine, acceptedQuantity: "2" }], "chengguan.keeper");
    expect(back.userErrors).toEqual([]);
    expect(back.requisition!.status).toBe("CLOSED");
    expect(back.requisition!.lines[0]!.loans).toEqual([]);
    expect(await stockOf(svc, lender(), "LIFE_JACKET")).toMatchObject({
      onHand: String(Number(lenderBefore.onHand) - 1),
      usable: String(Number(lenderBefore.usable) - 3),
      quarantined: String(Number(lenderBefore.quarantined) + 2),
      inTransit: "0",
    });
    expect(await imbalances(svc)).toEqual([]);
  });
});

describe("settleDiscrepancy: found, written off with a cause, or returned — each a ledger line", () => {
  async function shortDelivery(missing: string, rejected = "0") {
    const id = await steps.underway([{ item: "WOVEN_BAG", quantity: "100" }]);
    const lineId = (await view(svc, id))!.lines[0]!.id;
    const accepted = String(100 - Number(missing) - Number(rejected));
    const res = await steps.receive(id, [
      {
        lineId,
        acceptedQuantity: accepted,
        missingQuantity: missing,
        missingReason: "途中遗失",
        rejectedQuantity: rejected,
        rejectedReason: Number(rejected) > 0 ? "受潮" : null,
      },
    ]);
    expect(res.userErrors).toEqual([]);
    const discrepancies = (await read(id))!.lines[0]!.discrepancies;
    return { id, discrepancies };
  }

  it("only the county or the lender's office settles; the receiver's office is FORBIDDEN; nothing changes", async () => {
    const { discrepancies } = await shortDelivery("5");
    const before = await books(svc);
    const res = await settle(
      { discrepancyId: discrepancies[0]!.id, settlement: "FOUND", foundAtDepotId: receiver() },
      "hekou.officer",
    );
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    const stranger = await settle(
      { discrepancyId: discrepancies[0]!.id, settlement: "FOUND" },
      "zhangji.officer",
    );
    expect(stranger.data!.settleDiscrepancy.userErrors).toMatchObject([{ code: "NOT_FOUND" }]);
    expect(await books(svc)).toEqual(before);
  });

  it("an open discrepancy is listed for both townships and the county until it is settled", async () => {
    const { discrepancies } = await shortDelivery("2");
    const open = async (as: string) => {
      const res = await svc.gql<{
        openDiscrepancies: { nodes: { id: string; kind: string; requisition: { id: string } | null }[] };
      }>("{ openDiscrepancies(first: 100) { nodes { id kind requisition { id } } } }", {}, as);
      return res.data!.openDiscrepancies.nodes.map((n) => n.id);
    };
    for (const who of ["hekou.officer", "chengguan.officer", "county.officer", "auditor"]) {
      expect(await open(who)).toContain(discrepancies[0]!.id);
    }
    expect(await open("zhangji.officer")).not.toContain(discrepancies[0]!.id);
    await settle({ discrepancyId: discrepancies[0]!.id, settlement: "RETURNED" }, "county.officer");
    expect(await open("county.officer")).not.toContain(discrepancies[0]!.id);
  });

  it("FOUND at the destination: booked in there as a TRANSFER_IN line, and settled once", async () => {
    const { id, discrepancies } = await shortDelivery("5");
    const before = await stockOf(svc, receiver(), "WOVEN_BAG");
    const ledger = await books(svc);
    const res = await settle({
      discrepancyId: discrepancies[0]!.id,
      settlement: "FOUND",
      foundAtDepotId: receiver(),
    });
    expect(res.data!.settleDiscrepancy.userErrors).toEqual([]);
    expect(await stockOf(svc, receiver(), "WOVEN_BAG")).toMatchObject({
      onHand: String(Number(before.onHand) + 5),
      usable: String(Number(before.usable) + 5),
    });
    expect((await books(svc)).movements).toBe(ledger.movements + 1);
    const d = (await read(id, "hekou.officer"))!.lines[0]!.discrepancies[0]!;
    expect(d).toMatchObject({
      open: false,
      settlement: "FOUND",
      settledBy: { username: "chengguan.officer" },
    });
    const again = await settle({ discrepancyId: d.id, settlement: "FOUND", foundAtDepotId: receiver() });
    expect(again.data!.settleDiscrepancy.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    expect(await imbalances(svc)).toEqual([]);
  });

  it("WRITTEN_OFF needs a cause and leaves a WRITE_OFF line; RETURNED puts missing stock back at the lender", async () => {
    const { id, discrepancies } = await shortDelivery("4");
    const noCause = await settle(
      { discrepancyId: discrepancies[0]!.id, settlement: "WRITTEN_OFF" },
      "county.officer",
    );
    expect(noCause.data!.settleDiscrepancy.userErrors).toMatchObject([
      { code: "INVALID_INPUT", field: ["input", "cause"] },
    ]);
    const lenderBefore = await stockOf(svc, lender(), "WOVEN_BAG");
    const off = await settle(
      { discrepancyId: discrepancies[0]!.id, settlement: "WRITTEN_OFF", cause: "LOST" },
      "county.officer",
    );
    expect(off.data!.settleDiscrepancy.userErrors).toEqual([]);
    expect(await stockOf(svc, lender(), "WOVEN_BAG")).toEqual(lenderBefore);
    const kinds = (await read(id))!.movements.map((m) => m.kind);
    expect(kinds.slice(-2)).toEqual(["RETURN", "WRITE_OFF"]);

    const other = await shortDelivery("3");
    const returned = await settle({ discrepancyId: other.discrepancies[0]!.id, settlement: "RETURNED" });
    expect(returned.data!.settleDiscrepancy.userErrors).toEqual([]);
    expect(await stockOf(svc, lender(), "WOVEN_BAG")).toMatchObject({
      onHand: String(Number(lenderBefore.onHand) - 100 + 3),
    });
    expect(await imbalances(svc)).toEqual([]);
  });

  it("rejected stock kept in quarantine is returned on a return leg or written off from its lot, never 'found'", async () => {
    const { discrepancies } = await shortDelivery("0", "6");
    const rejected = discrepancies.find((d) => d.kind === "REJECTED")!;
    const before = await books(svc);
    const found = await settle({
      discrepancyId: rejected.id,
      settlement: "FOUND",
      foundAtDepotId: receiver(),
    });
    expect(found.data!.settleDiscrepancy.userErrors).toMatchObject([{ code: "INVALID_INPUT" }]);
    expect(await books(svc)).toEqual(before);
    const quarantined = await stockOf(svc, receiver(), "WOVEN_BAG");
    const sent = await settle({ discrepancyId: rejected.id, settlement: "RETURNED" });
    expect(sent.data!.settleDiscrepancy.userErrors).toEqual([]);
    expect(await stockOf(svc, receiver(), "WOVEN_BAG")).toMatchObject({
      quarantined: String(Number(quarantined.quarantined) - 6),
    });
    expect((await stockOf(svc, lender(), "WOVEN_BAG")).inTransit).toBe("6");
    const settled = (await read(sent.data!.settleDiscrepancy.requisition!.id))!.lines[0]!.discrepancies[0]!;
    expect(settled).toMatchObject({
      open: false,
      settlement: "RETURNED",
      returnLeg: { status: "IN_TRANSIT" },
    });

    const second = await shortDelivery("0", "2");
    const off = await settle({
      discrepancyId: second.discrepancies[0]!.id,
      settlement: "WRITTEN_OFF",
      cause: "DAMAGED",
    });
    expect(off.data!.settleDiscrepancy.userErrors).toEqual([]);
    expect((await stockOf(svc, receiver(), "WOVEN_BAG")).quarantined).toBe(
      String(Number(quarantined.quarantined) - 6),
    );
    expect(await imbalances(svc)).toEqual([]);
  });
});
