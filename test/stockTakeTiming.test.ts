import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "./support/service.js";
import { type ChangeView, demoIds, type DemoIds, ISSUE, lotNow, receiveLot } from "./support/world.js";

// the clock moves: a count, an issue and a paper count entered later happen at different instants
let now = new Date("2026-11-24T02:00:00Z");
const tick = (minutes = 10) => (now = new Date(now.getTime() + minutes * 60_000));
const KEEPER = "chengguan.keeper";

let svc: TestService;
let ids: DemoIds;
beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
  ids = await demoIds(svc);
});
afterAll(() => svc.stop());

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

async function start(depot: string, as = KEEPER) {
  const res = await svc.gql<{ startStockTake: { stockTake: TakeView | null; userErrors: Errors } }>(
    `mutation($input: StartStockTakeInput!) { startStockTake(input: $input) {
      stockTake { ${TAKE} } userErrors { field message code } } }`,
    { input: { depotId: ids.depot(depot) } },
    as,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.startStockTake.stockTake!;
}

async function submit(take: TakeView, counts: Record<string, { q: string; at?: string }>) {
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
    KEEPER,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.submitStockTake;
}

const cancel = (stockTakeId: string, reason: string, as = KEEPER) =>
  svc.gql<{ cancelStockTake: { stockTake: TakeView | null; userErrors: Errors } }>(
    `mutation($input: CancelStockTakeInput!) { cancelStockTake(input: $input) {
      stockTake { ${TAKE} } userErrors { field message code } } }`,
    { input: { stockTakeId, reason } },
    as,
  );

const issue = async (depot: string, lotId: string, quantity: string) => {
  const res = await svc.gql<{ issueStock: ChangeView }>(
    ISSUE,
    {
      input: {
        depotId: ids.depot(depot),
        itemId: ids.item("LIFE_JACKET"),
        lotId,
        quantity,
        purpose: "FLOOD_FIGHTING",
        recipient: "城关镇抢险队",
        reason: "渡口救援",
      },
    },
    KEEPER,
  );
  expect(res.data!.issueStock.userErrors).toEqual([]);
};

const ledgerOf = async (lotId: string) => {
  const res = await svc.gql<{
    movements: { nodes: { kind: string; quantity: string; occurredAt: string }[] };
  }>(
    "query($lot: ID!) { movements(lotId: $lot, first: 50) { nodes { kind quantity occurredAt } } }",
    { lot: lotId },
    "auditor",
  );
  return res.data!.movements.nodes.reverse();
};

const jackets = (depot: string, quantity: string) =>
  receiveLot(svc, KEEPER, {
    depotId: ids.depot(depot),
    itemId: ids.item("LIFE_JACKET"),
    quantity,
    expiresOn: "2030-01-01",
  });

describe("a count never books the same movement twice", () => {
  it("an issue during an open count, then the count: the issue is booked once and shown on the stock-take", async () => {
    const lot = await jackets("VP-CHENGGUAN-201", "40");
    tick();
    const take = await start("VP-CHENGGUAN-201");
    tick();
    // an emergency does not wait for the count
    await issue("VP-CHENGGUAN-201", lot.id, "5");
    tick();
    // the keeper counts the shelf after the issue: 35, exactly what the book says now
    const done = await submit(take, { [lot.id]: { q: "35" } });
    expect(done.userErrors).toEqual([]);
    expect(done.movements).toEqual([]);
    expect((await lotNow(svc, lot.id)).onHand).toBe("35");
    expect((await ledgerOf(lot.id)).map((m) => [m.kind, m.quantity])).toEqual([
      ["RECEIPT", "40"],
      ["ISSUE", "-5"],
    ]);
    const line = done.stockTake!.lines.find((l) => l.lot.id === lot.id)!;
    expect(line).toMatchObject({ bookQuantity: "40", countedQuantity: "35", countedAt: now.toISOString() });
    expect(done.stockTake!.movementsDuring).toEqual([{ kind: "ISSUE", quantity: "-5", lot: { id: lot.id } }]);
  });

  it("a paper count made before an issue and entered after it adjusts against the book at the time it was made", async () => {
    const lot = await jackets("VP-CHENGGUAN-202", "40");
    tick();
    const take = await start("VP-CHENGGUAN-202");
    tick();
    const countedOnPaper = now.toISOString();
    tick();
    await issue("VP-CHENGGUAN-202", lot.id, "5");
    tick(60);

    // refused dates write nothing: before the count opened, or in the future
    const early = await submit(take, { [lot.id]: { q: "38", at: "2026-01-01T00:00:00Z" } });
    const later = await submit(take, {
      [lot.id]: { q: "38", at: new Date(now.getTime() + 3600_000).toISOString() },
    });
    for (const refused of [early, later]) {
      expect(refused.userErrors).toMatchObject([
        { code: "INVALID_INPUT", field: ["input", "counts", expect.any(String), "countedAt"] },
      ]);
      expect(refused.movements).toEqual([]);
    }
    expect((await lotNow(svc, lot.id)).onHand).toBe("35");

    // 38 were on the shelf when the paper was filled in, when the book said 40: 2 are missing, the 5 issued are not
    const done = await submit(take, { [lot.id]: { q: "38", at: countedOnPaper } });
    expect(done.userErrors).toEqual([]);
    expect(done.movements).toEqual([
      { id: expect.any(String), kind: "ADJUSTMENT", quantity: "-2", lot: { id: lot.id } },
    ]);
    expect((await lotNow(svc, lot.id)).onHand).toBe("33");
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
    const lot = await jackets("VP-CHENGGUAN-203", "12");
    tick();
    const take = await start("VP-CHENGGUAN-203");
    const before = await ledgerOf(lot.id);

    const noReason = await cancel(take.id, "  ");
    expect(noReason.data!.cancelStockTake.userErrors).toMatchObject([
      { code: "INVALID_INPUT", field: ["input", "reason"] },
    ]);
    // the county reads the village point but does not keep it
    const county = await cancel(take.id, "不需要", "county.officer");
    expect(county.errors).toMatchObject([{ extensions: { code: "FORBIDDEN" } }]);

    tick();
    const res = await cancel(take.id, "盘点人员抽调抗洪");
    expect(res.data!.cancelStockTake.userErrors).toEqual([]);
    expect(res.data!.cancelStockTake.stockTake).toMatchObject({
      status: "CANCELLED",
      cancelReason: "盘点人员抽调抗洪",
      cancelledAt: now.toISOString(),
      cancelledBy: { username: KEEPER },
    });
    expect(await ledgerOf(lot.id)).toEqual(before);

    const again = await cancel(take.id, "twice");
    expect(again.data!.cancelStockTake.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    const late = await submit(take, {});
    expect(late).toMatchObject({ movements: [], userErrors: [{ code: "INVALID_TRANSITION" }] });
    const next = await start("VP-CHENGGUAN-203");
    expect(next.status).toBe("OPEN");
  });
});
