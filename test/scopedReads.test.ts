import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aTownship, type Item, type Township } from "./support/factories.js";
import { aLendingPair, type LendingPair, stepsOf } from "./support/requisitionFactories.js";
import { startTestService, type TestService } from "./support/service.js";
import { aLotOf } from "./support/stockFactories.js";
import { books } from "./support/transit.js";

// Both sides of a requisition read it; each sees the ledger lines of its own depots, and the other side's depot as
// null (docs/decisions.md, "A requisition's ledger lines are those the viewer may read").
const now = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
/** The borrower asks the lender; a third township of the county has no part in it. */
let pair: LendingPair;
let outsider: Township;
let jackets: Item;
let generator: Item;
let steps: ReturnType<typeof stepsOf>;
let lenderCode: string;
let borrowerCode: string;

beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
  pair = await aLendingPair(svc, {
    items: [{ returnable: true }, { trackingMode: "SERIAL", returnable: true }],
  });
  [jackets, generator] = pair.county.items as [Item, Item];
  await aLotOf(pair.lender.depot, jackets, "40");
  await aLotOf(pair.lender.depot, generator, "1");
  outsider = await aTownship(pair.county);
  steps = stepsOf(pair);
  lenderCode = pair.lender.depot.code;
  borrowerCode = pair.borrower.depot.code;
});
afterAll(() => svc.stop());

interface MovementView {
  id: string;
  kind: string;
  quantity: string;
  depot: { code: string };
  lot: { id: string; depot: { code: string } | null };
}

interface SidesView {
  status: string;
  destinationDepot: { code: string } | null;
  movements: MovementView[];
  lines: {
    id: string;
    allocations: {
      quantity: string;
      lot: { id: string; depot: { code: string } | null; stockLevel: { onHand: string } | null };
      receivedLot: { id: string; depot: { code: string } | null } | null;
    }[];
    loans: { quantity: string; lenderDepot: { code: string } | null }[];
  }[];
}

const SIDES = `status destinationDepot { code }
  movements { id kind quantity depot { code } lot { id depot { code } } }
  lines { id allocations { quantity lot { id depot { code } stockLevel { onHand } } receivedLot { id depot { code } } }
    loans { quantity lenderDepot { code } } }`;

async function read(id: string, as: string) {
  const res = await svc.gql<{ requisition: SidesView | null }>(
    `query($id: ID!) { requisition(id: $id) { ${SIDES} } }`,
    { id },
    as,
  );
  return { errors: res.errors, requisition: res.data?.requisition ?? null };
}

const kinds = (r: SidesView) => r.movements.map((m) => `${m.kind} ${m.quantity} @${m.depot.code}`);

describe("a dispatched requisition, read by the township waiting for it", () => {
  let id: string;

  beforeAll(async () => {
    id = await steps.underway([{ item: jackets, quantity: "4" }]);
  });

  it.each(["officer", "keeper"] as const)(
    "its %s reads it without an error: no ledger line of its own yet, the lender's lot without its depot",
    async (who) => {
      const as = who === "officer" ? pair.borrower.officer : pair.borrower.depot.keeper;
      const { errors, requisition } = await read(id, as);
      expect(errors).toBeUndefined();
      expect(requisition!.status).toBe("IN_TRANSIT");
      expect(requisition!.destinationDepot).toEqual({ code: borrowerCode });
      // the TRANSFER_OUT lines are on the lender's books, which the receiving side may not read
      expect(requisition!.movements).toEqual([]);
      const [allocation] = requisition!.lines[0]!.allocations;
      expect(allocation).toMatchObject({ quantity: "4", receivedLot: null });
      expect(allocation!.lot.depot).toBeNull();
      expect(allocation!.lot.stockLevel).toBeNull();
    },
  );

  it("the lender and the county see the dispatch lines at the lending depot", async () => {
    const lender = await read(id, pair.lender.officer);
    expect(lender.errors).toBeUndefined();
    expect(kinds(lender.requisition!)).toEqual([`TRANSFER_OUT -4 @${lenderCode}`]);
    expect(lender.requisition!.destinationDepot).toBeNull();
    expect(lender.requisition!.lines[0]!.allocations[0]!.lot.depot).toEqual({ code: lenderCode });
    const county = await read(id, pair.county.auditor);
    expect(county.errors).toBeUndefined();
    expect(kinds(county.requisition!)).toEqual([`TRANSFER_OUT -4 @${lenderCode}`]);
  });

  it("a lender's line the receiver cannot list is not found by id either", async () => {
    const lineId = (await read(id, pair.county.auditor)).requisition!.movements[0]!.id;
    const res = await svc.gql<{ node: { id: string } | null }>(
      `query($id: ID!) { node(id: $id) { id } }`,
      { id: lineId },
      pair.borrower.depot.keeper,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.node).toBeNull();
  });

  it("a township outside the requisition does not see it at all, and reading changed nothing", async () => {
    const before = await books(svc);
    expect(await read(id, outsider.officer)).toEqual({ errors: undefined, requisition: null });
    expect(await books(svc)).toEqual(before);
  });
});

describe("a received requisition, read from both sides", () => {
  let id: string;

  beforeAll(async () => {
    id = await steps.underway([{ item: generator, quantity: "1" }]);
    const lineId = (await read(id, pair.county.auditor)).requisition!.lines[0]!.id;
    const received = await steps.receive(id, [{ lineId, acceptedQuantity: "1" }]);
    expect(received.userErrors).toEqual([]);
  });

  it("the receiving keeper sees its receipt line, the lot it became, and the loan with the lender hidden", async () => {
    const { errors, requisition } = await read(id, pair.borrower.depot.keeper);
    expect(errors).toBeUndefined();
    expect(requisition!.status).toBe("RECEIVED");
    expect(kinds(requisition!)).toEqual([`TRANSFER_IN 1 @${borrowerCode}`]);
    const [allocation] = requisition!.lines[0]!.allocations;
    expect(allocation!.receivedLot).toEqual({
      id: requisition!.movements[0]!.lot.id,
      depot: { code: borrowerCode },
    });
    expect(requisition!.movements[0]!.lot.depot).toEqual({ code: borrowerCode });
    expect(allocation!.lot.depot).toBeNull();
    expect(requisition!.lines[0]!.loans).toEqual([{ quantity: "1", lenderDepot: null }]);
  });

  it("the lender reads its dispatch line and the receiver's lot without its depot", async () => {
    const { errors, requisition } = await read(id, pair.lender.depot.keeper);
    expect(errors).toBeUndefined();
    expect(kinds(requisition!)).toEqual([`TRANSFER_OUT -1 @${lenderCode}`]);
    const [allocation] = requisition!.lines[0]!.allocations;
    expect(allocation!.receivedLot!.depot).toBeNull();
    expect(requisition!.lines[0]!.loans).toEqual([{ quantity: "1", lenderDepot: { code: lenderCode } }]);
  });

  it("the county reads both legs of the ledger", async () => {
    const { errors, requisition } = await read(id, pair.county.officer);
    expect(errors).toBeUndefined();
    expect(kinds(requisition!)).toEqual([`TRANSFER_OUT -1 @${lenderCode}`, `TRANSFER_IN 1 @${borrowerCode}`]);
  });
});

describe("a mutation's answer is read with the same scope", () => {
  it("the receiving keeper's receipt answers with its own lines, not an internal error", async () => {
    const id = await steps.underway([{ item: jackets, quantity: "2" }]);
    const lineId = (await read(id, pair.county.auditor)).requisition!.lines[0]!.id;
    const res = await svc.gql<{
      receiveRequisition: { requisition: SidesView | null; userErrors: { code: string }[] };
    }>(
      `mutation($input: ReceiveRequisitionInput!) { receiveRequisition(input: $input) {
         requisition { ${SIDES} } userErrors { code } } }`,
      { input: { requisitionId: id, lines: [{ lineId, acceptedQuantity: "2" }] } },
      pair.borrower.depot.keeper,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.receiveRequisition.userErrors).toEqual([]);
    expect(kinds(res.data!.receiveRequisition.requisition!)).toEqual([`TRANSFER_IN 2 @${borrowerCode}`]);
  });
});
