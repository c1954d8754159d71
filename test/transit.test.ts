import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aTownship, type Item } from "./support/factories.js";
import { aLendingPair, type LendingPair, stepsOf } from "./support/requisitionFactories.js";
import { step, view } from "./support/requisitions.js";
import { startTestService, type TestService } from "./support/service.js";
import { aLotOf, stockAt } from "./support/stockFactories.js";
import { books, imbalances } from "./support/transit.js";

const now = new Date("2026-11-24T02:00:00Z");
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
});
afterAll(() => svc.stop());

/** Two neighbouring townships of a county of their own; the lender holds 40 life jackets and 1,000 woven bags. */
async function given() {
  const pair = await aLendingPair(svc, { items: [{ returnable: true }, {}] });
  const [jackets, bags] = pair.county.items as [Item, Item];
  await aLotOf(pair.lender.depot, jackets, "40");
  await aLotOf(pair.lender.depot, bags, "1000");
  return { pair, jackets, bags, steps: stepsOf(pair) };
}
type World = Awaited<ReturnType<typeof given>>;

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

async function read(pair: LendingPair, id: string, as = pair.county.officer): Promise<TransitView | null> {
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

const settle = (pair: LendingPair, input: Record<string, unknown>, as = pair.lender.officer) =>
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
    const { pair, jackets, steps } = await given();
    const id = await steps.underway([{ item: jackets, quantity: "6" }]);
    const before = await books(svc);
    const res = await steps.recall(id, pair.borrower.depot.keeper);
    expect(res.userErrors).toMatchObject([{ code: "NOT_FOUND", field: ["input", "requisitionId"] }]);
    expect(await books(svc)).toEqual(before);
    expect((await view(svc, id, pair.county.officer))!.status).toBe("IN_TRANSIT");
    await steps.recall(id);
  });

  it("every travelled lot gets its stock back by a RETURN line; the dispatch's lines stay; RECALLED in the timeline", async () => {
    const { pair, jackets, steps } = await given();
    const untouched = await stockAt(pair.lender.depot, jackets);
    const id = await steps.underway([{ item: jackets, quantity: "5" }]);
    expect(await stockAt(pair.lender.depot, jackets)).toMatchObject({
      onHand: String(Number(untouched.onHand) - 5),
    });
    expect((await stockAt(pair.borrower.depot, jackets)).inTransit).toBe("5");
    const before = await books(svc);
    const recalled = await steps.recall(id, pair.lender.depot.keeper, "险情解除，车辆返回城关");
    expect(recalled.userErrors).toEqual([]);
    expect(recalled.requisition!.status).toBe("RECALLED");
    const r = (await read(pair, id, pair.borrower.officer))!;
    expect(r.timeline.at(-1)).toEqual({
      toStatus: "RECALLED",
      note: "险情解除，车辆返回城关",
      actor: { username: pair.lender.depot.keeper },
    });
    expect(r.lines[0]!.allocations.map((a) => a.status)).toEqual(["RECALLED"]);
    // both lines are on the lender's books: the receiving township reads the recall in the timeline, not the ledger
    expect(r.movements).toEqual([]);
    expect((await read(pair, id, pair.lender.officer))!.movements.map((m) => [m.kind, m.quantity])).toEqual([
      ["TRANSFER_OUT", "-5"],
      ["RETURN", "5"],
    ]);
    expect(await stockAt(pair.lender.depot, jackets)).toEqual(untouched);
    expect((await stockAt(pair.borrower.depot, jackets)).inTransit).toBe("0");
    expect((await books(svc)).movements).toBe(before.movements + 1);
    expect(await imbalances(svc)).toEqual([]);
  });

  it("a recalled requisition cannot be received or recalled again; a received one cannot be recalled", async () => {
    const { pair, jackets, bags, steps } = await given();
    const id = await steps.underway([{ item: jackets, quantity: "1" }]);
    await steps.recall(id);
    const before = await books(svc);
    const lineId = (await view(svc, id, pair.county.officer))!.lines[0]!.id;
    expect((await steps.receive(id, [{ lineId, acceptedQuantity: "1" }])).userErrors).toMatchObject([
      { code: "INVALID_TRANSITION" },
    ]);
    expect((await steps.recall(id)).userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    const held = await steps.underway([{ item: jackets, quantity: "1" }], false);
    expect((await steps.recall(held)).userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    await steps.cancel(held);
    const received = await steps.underway([{ item: bags, quantity: "10" }]);
    const bagLine = (await view(svc, received, pair.county.officer))!.lines[0]!.id;
    await steps.receive(received, [{ lineId: bagLine, acceptedQuantity: "10" }]);
    const afterReceipt = await books(svc);
    expect((await steps.recall(received)).userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    expect(await books(svc)).toEqual(afterReceipt);
    expect(afterReceipt.movements).toBeGreaterThan(before.movements);
  });
});

describe("recall and settlement are retry-safe", () => {
  it("a retried recall with the same key answers the same and writes its RETURN lines once", async () => {
    const { pair, jackets, steps } = await given();
    const id = await steps.underway([{ item: jackets, quantity: "2" }]);
    const input = { requisitionId: id, reason: "车辆返回", idempotencyKey: "recall-lj-2" };
    const first = await step(
      svc,
      "recallRequisition",
      "RequisitionReasonInput",
      input,
      pair.lender.depot.keeper,
    );
    const ledger = await books(svc);
    const again = await step(
      svc,
      "recallRequisition",
      "RequisitionReasonInput",
      input,
      pair.lender.depot.keeper,
    );
    expect(again).toEqual(first);
    expect(await books(svc)).toEqual(ledger);
  });
});

describe("stock rejected on arrival goes back on someone's books", () => {
  it("KEEP_QUARANTINED: a quarantined lot at the receiver, never usable, open until settled", async () => {
    const { pair, jackets, steps } = await given();
    const id = await steps.underway([{ item: jackets, quantity: "4" }]);
    const lineId = (await view(svc, id, pair.county.officer))!.lines[0]!.id;
    const before = await stockAt(pair.borrower.depot, jackets);
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
    const after = await stockAt(pair.borrower.depot, jackets);
    expect(after).toMatchObject({
      onHand: String(Number(before.onHand) + 4),
      usable: String(Number(before.usable) + 3),
      quarantined: String(Number(before.quarantined) + 1),
    });
    const [d] = (await read(pair, id))!.lines[0]!.discrepancies;
    expect(d).toMatchObject({
      kind: "REJECTED",
      quantity: "1",
      disposition: "KEEP_QUARANTINED",
      open: true,
      settlement: null,
      quarantinedLot: { condition: "QUARANTINED", onHand: "1", depot: { code: pair.borrower.depot.code } },
    });
    // visible to both townships and the county while open
    for (const who of [pair.borrower.officer, pair.lender.officer, pair.county.officer]) {
      expect((await read(pair, id, who))!.lines[0]!.discrepancies[0]!.open).toBe(true);
    }
    expect(await imbalances(svc)).toEqual([]);
  });

  it("RETURN: a return leg in transit to the lender, in neither depot's stock until the lender counts it", async () => {
    const { pair, jackets, steps } = await given();
    const lenderBefore = await stockAt(pair.lender.depot, jackets);
    const id = await steps.underway([{ item: jackets, quantity: "3" }]);
    const lineId = (await view(svc, id, pair.county.officer))!.lines[0]!.id;
    const receiverBefore = await stockAt(pair.borrower.depot, jackets);
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
    const r = (await read(pair, id))!;
    expect(r.returnLegs).toMatchObject([
      { status: "IN_TRANSIT", destinationDepot: { code: pair.lender.depot.code } },
    ]);
    const leg = r.returnLegs[0]!.id;
    expect(r.lines[0]!.discrepancies[0]).toMatchObject({
      disposition: "RETURN",
      settlement: "RETURNED",
      open: false,
      returnLeg: { id: leg, status: "IN_TRANSIT" },
    });
    expect(await stockAt(pair.borrower.depot, jackets)).toMatchObject({
      onHand: String(Number(receiverBefore.onHand) + 1),
      usable: String(Number(receiverBefore.usable) + 1),
    });
    const lenderOnRoad = await stockAt(pair.lender.depot, jackets);
    expect(lenderOnRoad).toMatchObject({ onHand: String(Number(lenderBefore.onHand) - 3), inTransit: "2" });
    const transit = await svc.gql<{
      inTransit: { nodes: { quantity: string; requisition: { id: string } }[] };
    }>(
      "query($d: ID!) { inTransit(depotId: $d) { nodes { quantity requisition { id } } } }",
      { d: pair.lender.depot.id },
      pair.lender.officer,
    );
    expect(transit.data!.inTransit.nodes.filter((n) => n.requisition.id === leg)).toMatchObject([
      { quantity: "2" },
    ]);
    // the lender counts it like any shipment; it comes back quarantined, for the lender to inspect
    const legLine = (await view(svc, leg, pair.lender.depot.keeper))!.lines[0]!.id;
    const back = await steps.receive(
      leg,
      [{ lineId: legLine, acceptedQuantity: "2" }],
      pair.lender.depot.keeper,
    );
    expect(back.userErrors).toEqual([]);
    expect(back.requisition!.status).toBe("CLOSED");
    expect(back.requisition!.lines[0]!.loans).toEqual([]);
    expect(await stockAt(pair.lender.depot, jackets)).toMatchObject({
      onHand: String(Number(lenderBefore.onHand) - 1),
      usable: String(Number(lenderBefore.usable) - 3),
      quarantined: String(Number(lenderBefore.quarantined) + 2),
      inTransit: "0",
    });
    expect(await imbalances(svc)).toEqual([]);
  });
});

describe("settleDiscrepancy: found, written off with a cause, or returned — each a ledger line", () => {
  async function shortDelivery(w: World, missing: string, rejected = "0") {
    const { pair, bags, steps } = w;
    const id = await steps.underway([{ item: bags, quantity: "100" }]);
    const lineId = (await view(svc, id, pair.county.officer))!.lines[0]!.id;
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
    const discrepancies = (await read(pair, id))!.lines[0]!.discrepancies;
    return { id, discrepancies };
  }

  it("only the county or the lender's office settles; the receiver's office is FORBIDDEN; nothing changes", async () => {
    const w = await given();
    const { pair } = w;
    const outsider = await aTownship(pair.county);
    const { discrepancies } = await shortDelivery(w, "5");
    const before = await books(svc);
    const res = await settle(
      pair,
      { discrepancyId: discrepancies[0]!.id, settlement: "FOUND", foundAtDepotId: pair.borrower.depot.id },
      pair.borrower.officer,
    );
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    const stranger = await settle(
      pair,
      { discrepancyId: discrepancies[0]!.id, settlement: "FOUND" },
      outsider.officer,
    );
    expect(stranger.data!.settleDiscrepancy.userErrors).toMatchObject([{ code: "NOT_FOUND" }]);
    expect(await books(svc)).toEqual(before);
  });

  it("an open discrepancy is listed for both townships and the county until it is settled", async () => {
    const w = await given();
    const { pair } = w;
    const outsider = await aTownship(pair.county);
    const { discrepancies } = await shortDelivery(w, "2");
    const open = async (as: string) => {
      const res = await svc.gql<{
        openDiscrepancies: { nodes: { id: string; kind: string; requisition: { id: string } | null }[] };
      }>("{ openDiscrepancies(first: 100) { nodes { id kind requisition { id } } } }", {}, as);
      return res.data!.openDiscrepancies.nodes.map((n) => n.id);
    };
    for (const who of [
      pair.borrower.officer,
      pair.lender.officer,
      pair.county.officer,
      pair.county.auditor,
    ]) {
      expect(await open(who)).toContain(discrepancies[0]!.id);
    }
    expect(await open(outsider.officer)).not.toContain(discrepancies[0]!.id);
    await settle(pair, { discrepancyId: discrepancies[0]!.id, settlement: "RETURNED" }, pair.county.officer);
    expect(await open(pair.county.officer)).not.toContain(discrepancies[0]!.id);
  });

  it("FOUND at the destination: booked in there as a TRANSFER_IN line, and settled once", async () => {
    const w = await given();
    const { pair, bags } = w;
    const { id, discrepancies } = await shortDelivery(w, "5");
    const before = await stockAt(pair.borrower.depot, bags);
    const ledger = await books(svc);
    const res = await settle(pair, {
      discrepancyId: discrepancies[0]!.id,
      settlement: "FOUND",
      foundAtDepotId: pair.borrower.depot.id,
    });
    expect(res.data!.settleDiscrepancy.userErrors).toEqual([]);
    expect(await stockAt(pair.borrower.depot, bags)).toMatchObject({
      onHand: String(Number(before.onHand) + 5),
      usable: String(Number(before.usable) + 5),
    });
    expect((await books(svc)).movements).toBe(ledger.movements + 1);
    const d = (await read(pair, id, pair.borrower.officer))!.lines[0]!.discrepancies[0]!;
    expect(d).toMatchObject({
      open: false,
      settlement: "FOUND",
      settledBy: { username: pair.lender.officer },
    });
    const again = await settle(pair, {
      discrepancyId: d.id,
      settlement: "FOUND",
      foundAtDepotId: pair.borrower.depot.id,
    });
    expect(again.data!.settleDiscrepancy.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    expect(await imbalances(svc)).toEqual([]);
  });

  it("WRITTEN_OFF needs a cause and leaves a WRITE_OFF line; RETURNED puts missing stock back at the lender", async () => {
    const w = await given();
    const { pair, bags } = w;
    const { id, discrepancies } = await shortDelivery(w, "4");
    const noCause = await settle(
      pair,
      { discrepancyId: discrepancies[0]!.id, settlement: "WRITTEN_OFF" },
      pair.county.officer,
    );
    expect(noCause.data!.settleDiscrepancy.userErrors).toMatchObject([
      { code: "INVALID_INPUT", field: ["input", "cause"] },
    ]);
    const lenderBefore = await stockAt(pair.lender.depot, bags);
    const off = await settle(
      pair,
      { discrepancyId: discrepancies[0]!.id, settlement: "WRITTEN_OFF", cause: "LOST" },
      pair.county.officer,
    );
    expect(off.data!.settleDiscrepancy.userErrors).toEqual([]);
    expect(await stockAt(pair.lender.depot, bags)).toEqual(lenderBefore);
    const kinds = (await read(pair, id))!.movements.map((m) => m.kind);
    expect(kinds.slice(-2)).toEqual(["RETURN", "WRITE_OFF"]);

    const other = await shortDelivery(w, "3");
    const returned = await settle(pair, {
      discrepancyId: other.discrepancies[0]!.id,
      settlement: "RETURNED",
    });
    expect(returned.data!.settleDiscrepancy.userErrors).toEqual([]);
    expect(await stockAt(pair.lender.depot, bags)).toMatchObject({
      onHand: String(Number(lenderBefore.onHand) - 100 + 3),
    });
    expect(await imbalances(svc)).toEqual([]);
  });

  it("rejected stock kept in quarantine is returned on a return leg or written off from its lot, never 'found'", async () => {
    const w = await given();
    const { pair, bags } = w;
    const { discrepancies } = await shortDelivery(w, "0", "6");
    const rejected = discrepancies.find((d) => d.kind === "REJECTED")!;
    const before = await books(svc);
    const found = await settle(pair, {
      discrepancyId: rejected.id,
      settlement: "FOUND",
      foundAtDepotId: pair.borrower.depot.id,
    });
    expect(found.data!.settleDiscrepancy.userErrors).toMatchObject([{ code: "INVALID_INPUT" }]);
    expect(await books(svc)).toEqual(before);
    const quarantined = await stockAt(pair.borrower.depot, bags);
    const sent = await settle(pair, { discrepancyId: rejected.id, settlement: "RETURNED" });
    expect(sent.data!.settleDiscrepancy.userErrors).toEqual([]);
    expect(await stockAt(pair.borrower.depot, bags)).toMatchObject({
      quarantined: String(Number(quarantined.quarantined) - 6),
    });
    expect((await stockAt(pair.lender.depot, bags)).inTransit).toBe("6");
    const settled = (await read(pair, sent.data!.settleDiscrepancy.requisition!.id))!.lines[0]!
      .discrepancies[0]!;
    expect(settled).toMatchObject({
      open: false,
      settlement: "RETURNED",
      returnLeg: { status: "IN_TRANSIT" },
    });

    const second = await shortDelivery(w, "0", "2");
    const off = await settle(pair, {
      discrepancyId: second.discrepancies[0]!.id,
      settlement: "WRITTEN_OFF",
      cause: "DAMAGED",
    });
    expect(off.data!.settleDiscrepancy.userErrors).toEqual([]);
    expect((await stockAt(pair.borrower.depot, bags)).quarantined).toBe(
      String(Number(quarantined.quarantined) - 6),
    );
    expect(await imbalances(svc)).toEqual([]);
  });
});
