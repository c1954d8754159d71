import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aCounty,
  aDepot,
  anItem,
  aVillage,
  type Depot,
  type Item,
  type ProvisionedCounty,
} from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { aLotOf } from "./support/stockFactories.js";
import { type ChangeView, ISSUE, lotNow } from "./support/world.js";

// the clock moves: a count, an issue and a paper count entered later happen at different instants
let now = new Date("2026-11-24T02:00:00Z");
const tick = (minutes = 10) => (now = new Date(now.getTime() + minutes * 60_000));

let svc: TestService;
let county: ProvisionedCounty;
beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
  county = await aCounty(svc, { townships: 1 });
});
afterAll(() => svc.stop());

/**
 * A village storage point of its own (a count takes in every lot of its depot) with its keeper, and a lot of
 * life jackets new to the catalogue received there.
 */
async function aVillagePointWithJackets(quantity: string) {
  const depot = await aDepot(await aVillage(county.townships[0]!));
  const jackets = await anItem(county);
  const [lot] = await aLotOf(depot, jackets, quantity, { expiresOn: "2030-01-01" });
  return { depot, jackets, lot: lot! };
}

interface TakeView {
  id: string;
  status: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  cancelledBy: { username: string } | null;
  lines: {
    bookQuantity: string;
    countedQuantity: string | null;
    countedAt: string | null;
    lot: { id: string };
  }[];
  movementsDuring: { kind: string; quantity: string; lot: { id: string } }[];
}
const TAKE = `id status cancelledAt cancelReason cancelledBy { username }
  lines { bookQuantity countedQuantity countedAt lot { id } } movementsDuring { kind quantity lot { id } }`;
type Errors = { field: string[]; message: string; code: string }[];

async function start(depot: Depot, as = depot.keeper) {
  const res = await svc.gql<{ startStockTake: { stockTake: TakeView | null; userErrors: Errors } }>(
    `mutation($input: StartStockTakeInput!) { startStockTake(input: $input) {
      stockTake { ${TAKE} } userErrors { field message code } } }`,
    { input: { depotId: depot.id } },
    as,
  );
  expect(res.errors).toBeUndefined();
  expect(res.data!.startStockTake.userErrors).toEqual([]);
  return res.data!.startStockTake.stockTake!;
}

async function submit(depot: Depot, take: TakeView, counts: Record<string, { q: string; at?: string }>) {
  const res = await svc.gql<{ submitStockTake: ChangeView & { stockTake: TakeView | null } }>(
    `mutation($input: SubmitStockTakeInput!) { submitStockTake(input: $input) {
      stockTake { ${TAKE} } movements { id kind quantity lot { id } } lots { id onHand allocated condition expiresOn serialNumber }
      userErrors { field message code } } }`,
    {
      input: {
        stockTakeId: take.id,
        counts: take.lines.map((l) => ({
          lotId: l.lot.id,
          countedQuantity: counts[l.lot.id]?.q ?? l.bookQuantity,
          countedAt: counts[l.lot.id]?.at ?? null,
        })),
      },
    },
    depot.keeper,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.submitStockTake;
}

const cancel = (stockTakeId: string, reason: string, as: string) =>
  svc.gql<{ cancelStockTake: { stockTake: TakeView | null; userErrors: Errors } }>(
    `mutation($input: CancelStockTakeInput!) { cancelStockTake(input: $input) {
      stockTake { ${TAKE} } userErrors { field message code } } }`,
    { input: { stockTakeId, reason } },
    as,
  );

const issue = async (depot: Depot, item: Item, lotId: string, quantity: string) => {
  const res = await svc.gql<{ issueStock: ChangeView }>(
    ISSUE,
    {
      input: {
        depotId: depot.id,
        itemId: item.id,
        lotId,
        quantity,
        purpose: "FLOOD_FIGHTING",
        recipient: "城关镇抢险队",
        reason: "渡口救援",
      },
    },
    depot.keeper,
  );
  expect(res.data!.issueStock.userErrors).toEqual([]);
};

const ledgerOf = async (lotId: string) => {
  const res = await svc.gql<{
    movements: { nodes: { kind: string; quantity: string; occurredAt: string }[] };
  }>(
    "query($lot: ID!) { movements(lotId: $lot, first: 50) { nodes { kind quantity occurredAt } } }",
    { lot: lotId },
    county.auditor,
  );
  return res.data!.movements.nodes.reverse();
};

const onHand = async (lotId: string) => (await lotNow(svc, lotId, county.auditor)).onHand;

describe("a count never books the same movement twice", () => {
  it("an issue during an open count, then the count: the issue is booked once and shown on the stock-take", async () => {
    const { depot, jackets, lot } = await aVillagePointWithJackets("40");
    tick();
    const take = await start(depot);
    tick();
    // an emergency does not wait for the count
    await issue(depot, jackets, lot.id, "5");
    tick();

    // the keeper counts the shelf after the issue: 35, exactly what the book says now
    const done = await submit(depot, take, { [lot.id]: { q: "35" } });

    expect(done.userErrors).toEqual([]);
    expect(done.movements).toEqual([]);
    expect(await onHand(lot.id)).toBe("35");
    expect((await ledgerOf(lot.id)).map((m) => [m.kind, m.quantity])).toEqual([
      ["RECEIPT", "40"],
      ["ISSUE", "-5"],
    ]);
    expect(done.stockTake!.lines).toEqual([
      { bookQuantity: "40", countedQuantity: "35", countedAt: now.toISOString(), lot: { id: lot.id } },
    ]);
    expect(done.stockTake!.movementsDuring).toEqual([{ kind: "ISSUE", quantity: "-5", lot: { id: lot.id } }]);
  });

  it("a paper count made before an issue and entered after it adjusts against the book at the time it was made", async () => {
    const { depot, jackets, lot } = await aVillagePointWithJackets("40");
    tick();
    const take = await start(depot);
    tick();
    const countedOnPaper = now.toISOString();
    tick();
    await issue(depot, jackets, lot.id, "5");
    tick(60);

    // refused dates write nothing: before the count opened, or in the future
    const early = await submit(depot, take, { [lot.id]: { q: "38", at: "2026-01-01T00:00:00Z" } });
    const later = await submit(depot, take, {
      [lot.id]: { q: "38", at: new Date(now.getTime() + 3600_000).toISOString() },
    });
    for (const refused of [early, later]) {
      expect(refused.userErrors).toMatchObject([
        { code: "INVALID_INPUT", field: ["input", "counts", expect.any(String), "countedAt"] },
      ]);
      expect(refused.movements).toEqual([]);
    }
    expect(await onHand(lot.id)).toBe("35");
    expect((await ledgerOf(lot.id)).map((m) => m.kind)).toEqual(["RECEIPT", "ISSUE"]);

    // 38 were on the shelf when the paper was filled in, when the book said 40: 2 are missing, the 5 issued are not
    const done = await submit(depot, take, { [lot.id]: { q: "38", at: countedOnPaper } });

    expect(done.userErrors).toEqual([]);
    expect(done.movements).toEqual([
      { id: expect.any(String), kind: "ADJUSTMENT", quantity: "-2", lot: { id: lot.id } },
    ]);
    expect(await onHand(lot.id)).toBe("33");
    // the ledger in time order: the loss stands where it was found, before the issue
    expect(
      (await ledgerOf(lot.id))
        .map((m) => [m.kind, m.quantity, m.occurredAt])
        .sort((x, y) => x[2]!.localeCompare(y[2]!)),
    ).toEqual([
      ["RECEIPT", "40", expect.any(String)],
      ["ADJUSTMENT", "-2", countedOnPaper],
      ["ISSUE", "-5", expect.any(String)],
    ]);
    expect(done.stockTake!.lines.find((l) => l.lot.id === lot.id)!.countedAt).toBe(countedOnPaper);
    expect(done.stockTake!.movementsDuring).toEqual([{ kind: "ISSUE", quantity: "-5", lot: { id: lot.id } }]);
  });

  it("an open count is cancelled with a reason, writes nothing, and a new one may start", async () => {
    const { depot, lot } = await aVillagePointWithJackets("12");
    tick();
    const take = await start(depot);
    const before = await ledgerOf(lot.id);

    const noReason = await cancel(take.id, "  ", depot.keeper);
    expect(noReason.data!.cancelStockTake.userErrors).toMatchObject([
      { code: "INVALID_INPUT", field: ["input", "reason"] },
    ]);
    // the county reads the village point but does not keep it
    const byCounty = await cancel(take.id, "不需要", county.officer);
    expect(byCounty.errors).toMatchObject([{ extensions: { code: "FORBIDDEN" } }]);

    tick();
    const res = await cancel(take.id, "盘点人员抽调抗洪", depot.keeper);

    expect(res.data!.cancelStockTake.userErrors).toEqual([]);
    expect(res.data!.cancelStockTake.stockTake).toMatchObject({
      status: "CANCELLED",
      cancelReason: "盘点人员抽调抗洪",
      cancelledAt: now.toISOString(),
      cancelledBy: { username: depot.keeper },
    });
    expect(await ledgerOf(lot.id)).toEqual(before);
    expect(await onHand(lot.id)).toBe("12");

    const again = await cancel(take.id, "twice", depot.keeper);
    expect(again.data!.cancelStockTake.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    const late = await submit(depot, take, {});
    expect(late).toMatchObject({ movements: [], userErrors: [{ code: "INVALID_TRANSITION" }] });
    expect(await ledgerOf(lot.id)).toEqual(before);
    const next = await start(depot);
    expect(next.status).toBe("OPEN");
  });
});
