import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aKeeper, anItem, type Item } from "./support/factories.js";
import {
  aLendingPair,
  aSubmittedRequisition,
  between,
  DISPATCH,
  type LendingPair,
  stepsOf,
} from "./support/requisitionFactories.js";
import { step, view } from "./support/requisitions.js";
import { startTestService, type TestService } from "./support/service.js";
import { aLotOf, aNorm } from "./support/stockFactories.js";
import { books } from "./support/transit.js";
import { CONFIRM_WRITE_OFF, lotNow, WRITE_OFF } from "./support/world.js";

// Custody rule 4 (four eyes) refuses four different things; each refusal has its own code, so a client can say
// which second person is missing.
const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
/** The borrower township asks its neighbour, the lender. */
let pair: LendingPair;
let steps: ReturnType<typeof stepsOf>;

beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  pair = await aLendingPair(svc);
  steps = stepsOf(pair);
});
afterAll(() => svc.stop());

const approve = (id: string, as: string) =>
  step(svc, "approveRequisition", "ApproveRequisitionInput", { requisitionId: id }, as);
const statusOf = async (id: string) => (await view(svc, id, pair.county.officer))!;

/** An item new to the catalogue that the lender's depot holds `onHand` of. */
async function lenderHolds(onHand: string, opts: Parameters<typeof anItem>[1] = {}): Promise<Item> {
  const item = await anItem(pair.county, opts);
  await aLotOf(pair.lender.depot, item, onHand);
  return item;
}

describe("four eyes on requisitions and write-offs (custody rule 4)", () => {
  it("SELF_APPROVAL: whoever created a request cannot approve it, and it stays submitted", async () => {
    const jackets = await lenderHolds("40", { returnable: true });
    const { id } = await aSubmittedRequisition(between(pair, [{ item: jackets, quantity: "2" }]));
    const before = await books(svc);

    const byCreator = await approve(id, pair.borrower.officer);

    expect(byCreator.topLevel).toBeUndefined();
    expect(byCreator.userErrors).toMatchObject([
      { code: "SELF_APPROVAL", field: ["input", "requisitionId"] },
    ]);
    expect((await statusOf(id)).status).toBe("SUBMITTED");
    expect(await books(svc)).toEqual(before);
  });

  it("REPEAT_APPROVAL: the supplier's officer cannot give the county's approval as well", async () => {
    // the lender keeps only 100 bags above its floor, so an emergency of 150 waits for the county (rule 3)
    const bags = await lenderHolds("1000");
    await aNorm(pair.county, bags, pair.lender.id, "1000", "900");
    const { id } = await aSubmittedRequisition(
      between(pair, [{ item: bags, quantity: "150" }], { priority: "EMERGENCY" }),
    );
    const bySupplier = await approve(id, pair.lender.officer);
    expect(bySupplier.requisition).toMatchObject({ status: "SUBMITTED", awaitingCountyApproval: true });

    const again = await approve(id, pair.lender.officer);

    expect(again.userErrors).toMatchObject([{ code: "REPEAT_APPROVAL", field: ["input", "requisitionId"] }]);
    const after = await statusOf(id);
    expect(after).toMatchObject({ status: "SUBMITTED", awaitingCountyApproval: true });
    expect(after.lines[0]!.allocations).toEqual([]);
  });

  it("SELF_RECEIPT: whoever dispatched cannot confirm the receipt, even as a keeper of both depots", async () => {
    const both = await aKeeper(pair.borrower.depot);
    await aKeeper(pair.lender.depot, both);
    const jackets = await lenderHolds("40", { returnable: true });
    const { id } = await aSubmittedRequisition(between(pair, [{ item: jackets, quantity: "2" }]));
    const approved = await approve(id, pair.lender.officer);
    expect(approved.requisition!.lines[0]!.allocations.map((a) => a.lot.depot.code)).toEqual([
      pair.lender.depot.code,
    ]);
    const sent = await step(
      svc,
      "dispatchRequisition",
      "DispatchRequisitionInput",
      { requisitionId: id, ...DISPATCH },
      both,
    );
    expect(sent.requisition!.status).toBe("IN_TRANSIT");
    const lineId = approved.requisition!.lines[0]!.id;

    const bySender = await steps.receive(id, [{ lineId, acceptedQuantity: "2" }], both);

    expect(bySender.userErrors).toMatchObject([{ code: "SELF_RECEIPT", field: ["input", "requisitionId"] }]);
    expect((await statusOf(id)).status).toBe("IN_TRANSIT");
  });

  it("SELF_CONFIRMATION: whoever asked for a large write-off cannot confirm it, and the lot keeps its stock", async () => {
    const keeper = pair.lender.depot.keeper;
    const [lot] = await aLotOf(pair.lender.depot, await anItem(pair.county), "500");
    const asked = await svc.gql<{ writeOffStock: { request: { id: string; status: string } | null } }>(
      WRITE_OFF,
      { input: { lotId: lot!.id, quantity: "300", cause: "DAMAGED", reason: "洪水浸泡霉烂" } },
      keeper,
    );
    expect(asked.data!.writeOffStock.request).toMatchObject({ status: "PENDING" });

    const bySelf = await svc.gql<{ confirmWriteOff: { userErrors: { code: string; field: string[] }[] } }>(
      CONFIRM_WRITE_OFF,
      { input: { requestId: asked.data!.writeOffStock.request!.id, confirm: true } },
      keeper,
    );

    expect(bySelf.errors).toBeUndefined();
    expect(bySelf.data!.confirmWriteOff.userErrors).toMatchObject([{ code: "SELF_CONFIRMATION" }]);
    expect((await lotNow(svc, lot!.id, pair.county.auditor)).onHand).toBe("500");
  });
});
