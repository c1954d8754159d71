import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../src/graphql/ids.js";
import {
  aCounty,
  aDepot,
  aVillage,
  type Depot,
  type Item,
  type ProvisionedCounty,
  type Region,
} from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { type ChangeView, ISSUE, lotNow, receiveLot, REVERSE, type UserErrorView } from "./support/world.js";

const NOW = new Date("2026-11-24T02:00:00Z");

let svc: TestService;
/** Two townships, each with its depot and keeper; the first keeper also keeps a village point per stock-take. */
let county: ProvisionedCounty;
let town: Depot;
let KEEPER: string;
let outsider: string;
let village: Region;
let lifeJackets: Item;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  county = await aCounty(svc, { townships: 2, items: [{ returnable: true }] });
  town = county.townships[0]!.depot;
  KEEPER = town.keeper;
  outsider = county.townships[1]!.depot.keeper;
  [lifeJackets] = county.items as [Item];
  village = await aVillage(county.townships[0]!);
});
afterAll(() => svc.stop());

/** A new village point of the keeper's village, for a stock-take that counts it alone. */
const aVillagePoint = () => aDepot(village, { keeper: KEEPER });
const now = (lotId: string) => lotNow(svc, lotId, county.auditor);

const jackets = (depot: Depot, quantity: string, extra: Record<string, unknown> = {}) =>
  receiveLot(svc, KEEPER, {
    depotId: depot.id,
    itemId: lifeJackets.id,
    quantity,
    expiresOn: "2030-01-01",
    ...extra,
  });

async function issue(depot: Depot, lotId: string, quantity: string, extra: Record<string, unknown> = {}) {
  const res = await svc.gql<{ issueStock: ChangeView }>(
    ISSUE,
    {
      input: {
        depotId: depot.id,
        itemId: lifeJackets.id,
        lotId,
        quantity,
        purpose: "FLOOD_FIGHTING",
        recipient: "抢险队",
        reason: "rescue",
        ...extra,
      },
    },
    KEEPER,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.issueStock;
}

async function reverse(movementId: string, extra: Record<string, unknown> = {}) {
  const res = await svc.gql<{ reverseMovement: ChangeView }>(
    REVERSE,
    { input: { movementId, reason: "typed the wrong lot", ...extra } },
    KEEPER,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.reverseMovement;
}

interface TakeView {
  id: string;
  status: string;
  lines: { bookQuantity: string; countedQuantity: string | null; lot: { id: string } }[];
}

async function startTake(depot: Depot) {
  const res = await svc.gql<{ startStockTake: { stockTake: TakeView | null; userErrors: UserErrorView[] } }>(
    `mutation($input: StartStockTakeInput!) { startStockTake(input: $input) {
      stockTake { id status lines { bookQuantity countedQuantity lot { id } } } userErrors { field code } } }`,
    { input: { depotId: depot.id, note: "pre-season count" } },
    KEEPER,
  );
  return res.data!.startStockTake;
}

async function submitTake(stockTakeId: string, counts: { lotId: string; countedQuantity: string }[]) {
  const res = await svc.gql<{ submitStockTake: ChangeView & { stockTake: TakeView | null } }>(
    `mutation($input: SubmitStockTakeInput!) { submitStockTake(input: $input) {
      stockTake { id status lines { bookQuantity countedQuantity lot { id } } }
      movements { id kind quantity lot { id } } lots { id onHand } userErrors { field message code } } }`,
    { input: { stockTakeId, counts } },
    KEEPER,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.submitStockTake;
}

/** Counts every lot of a stock-take at its frozen book quantity, except the overrides. */
const countAsBook = (take: TakeView, overrides: Record<string, string> = {}) =>
  take.lines.map((l) => ({ lotId: l.lot.id, countedQuantity: overrides[l.lot.id] ?? l.bookQuantity }));

describe("stock-takes", () => {
  it("count against the book when counted, so an issue during the count is deducted once, and differences become adjustments", async () => {
    const point = await aVillagePoint();
    const lot = await jackets(point, "40");
    const { stockTake } = await startTake(point);
    const line = stockTake!.lines.find((l) => l.lot.id === lot.id)!;
    expect(line).toMatchObject({ bookQuantity: "40", countedQuantity: null });

    // while counting, 5 leave for a rescue
    expect((await issue(point, lot.id, "5")).userErrors).toEqual([]);

    // the keeper counts 33 on the shelf after the issue: 2 are missing, the 5 issued are not missing again
    const submitted = await submitTake(stockTake!.id, countAsBook(stockTake!, { [lot.id]: "33" }));
    expect(submitted.userErrors).toEqual([]);
    expect(submitted.stockTake!.status).toBe("SUBMITTED");
    expect(submitted.movements).toEqual([
      { id: expect.any(String), kind: "ADJUSTMENT", quantity: "-2", lot: { id: lot.id } },
    ]);
    expect((await now(lot.id)).onHand).toBe("33");
  });

  it("allow one open count per depot, and need every lot counted exactly once", async () => {
    const point = await aVillagePoint();
    await jackets(point, "10");
    await jackets(point, "20");
    const first = await startTake(point);
    expect(first.userErrors).toEqual([]);
    expect(first.stockTake!.lines.map((l) => l.bookQuantity).sort()).toEqual(["10", "20"]);
    expect((await startTake(point)).userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    const take = first.stockTake!;
    const missing = await submitTake(take.id, countAsBook(take).slice(1));
    expect(missing.userErrors).toMatchObject([{ code: "INVALID_INPUT", field: ["input", "counts"] }]);
    const twice = countAsBook(take);
    const dup = await submitTake(take.id, [...twice, twice[0]!]);
    expect(dup.userErrors).toMatchObject([{ code: "INVALID_INPUT" }]);
    const done = await submitTake(take.id, countAsBook(take));
    expect(done).toMatchObject({ userErrors: [], movements: [] });
    expect((await submitTake(take.id, countAsBook(take))).userErrors).toMatchObject([
      { code: "INVALID_TRANSITION" },
    ]);
  });
});

describe("reversing a ledger line", () => {
  it("adds a REVERSAL line pointing at the original, and never twice", async () => {
    const lot = await jackets(town, "20");
    const issued = await issue(town, lot.id, "7");
    const original = issued.movements[0]!.id;
    const reversed = await reverse(original);
    expect(reversed.userErrors).toEqual([]);
    expect(reversed.movements).toMatchObject([{ kind: "REVERSAL", quantity: "7" }]);
    expect((await now(lot.id)).onHand).toBe("20");
    const lines = await svc.gql<{
      movements: { nodes: { kind: string; reverses: { id: string } | null }[] };
    }>(
      "query($lot: ID!) { movements(lotId: $lot) { nodes { kind reverses { id } } } }",
      { lot: lot.id },
      county.auditor,
    );
    // newest first, the original untouched beneath its reversal
    expect(lines.data!.movements.nodes).toEqual([
      { kind: "REVERSAL", reverses: { id: original } },
      { kind: "ISSUE", reverses: null },
      { kind: "RECEIPT", reverses: null },
    ]);
    expect((await reverse(original)).userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    expect((await reverse(reversed.movements[0]!.id)).userErrors).toMatchObject([
      { code: "INVALID_TRANSITION" },
    ]);
  });

  it("is refused when a later balance would go negative", async () => {
    const lot = await jackets(town, "10");
    const receipt = (
      await svc.gql<{ movements: { nodes: { id: string }[] } }>(
        "query($lot: ID!) { movements(lotId: $lot, kind: RECEIPT) { nodes { id } } }",
        { lot: lot.id },
        county.auditor,
      )
    ).data!.movements.nodes[0]!.id;
    await issue(town, lot.id, "4");
    const res = await reverse(receipt);
    expect(res.userErrors).toMatchObject([{ code: "INSUFFICIENT_STOCK" }]);
    expect((await now(lot.id)).onHand).toBe("6");
  });

  it("is refused once a stock-take has counted the lot after the line", async () => {
    const point = await aVillagePoint();
    const lot = await jackets(point, "12");
    const issued = await issue(point, lot.id, "2");
    const { stockTake } = await startTake(point);
    expect((await submitTake(stockTake!.id, countAsBook(stockTake!))).userErrors).toEqual([]);
    const res = await reverse(issued.movements[0]!.id);
    expect(res.userErrors).toMatchObject([
      { code: "INVALID_TRANSITION", message: expect.stringContaining("stock-take") },
    ]);
    expect((await now(lot.id)).onHand).toBe("10");
  });

  it("out of custody answers like a line that does not exist", async () => {
    const lot = await jackets(town, "3");
    const issued = await issue(town, lot.id, "1");
    const res = await svc.gql<{ reverseMovement: ChangeView }>(
      REVERSE,
      { input: { movementId: issued.movements[0]!.id, reason: "not mine" } },
      outsider,
    );
    const absent = await svc.gql<{ reverseMovement: ChangeView }>(
      REVERSE,
      {
        input: {
          movementId: toGlobalId("Movement", { countyId: county.countyId, id: 999999999 }),
          reason: "not mine",
        },
      },
      outsider,
    );
    expect(res).toEqual(absent);
    expect(res.data!.reverseMovement.userErrors).toMatchObject([
      { code: "NOT_FOUND", field: ["input", "movementId"] },
    ]);
  });
});

describe("backdated entries", () => {
  it("a deduction is refused if the balance would have gone negative at any point since its date", async () => {
    // received 10 on 1 Nov, 8 issued on 10 Nov, 2 on 11 Nov: empty since
    const own = await jackets(town, "10", {
      occurredAt: "2026-11-01T09:00:00+08:00",
      receivedOn: "2026-11-01",
    });
    expect((await issue(town, own.id, "8", { occurredAt: "2026-11-10T09:00:00+08:00" })).userErrors).toEqual(
      [],
    );
    const found = await issue(town, own.id, "2", { occurredAt: "2026-11-11T09:00:00+08:00" });
    expect(found.userErrors).toEqual([]);
    // today the lot holds 0; 5 backdated to 5 Nov would have left -3 on the 10th
    const early = await issue(town, own.id, "5", { occurredAt: "2026-11-05T09:00:00+08:00" });
    expect(early.userErrors).toMatchObject([{ code: "INSUFFICIENT_STOCK" }]);
  });

  it("a reversal re-opens history: a backdated deduction that the reversal makes room for fits only after it", async () => {
    const lot = await jackets(town, "10", {
      occurredAt: "2026-11-01T09:00:00+08:00",
      receivedOn: "2026-11-01",
    });
    const late = await issue(town, lot.id, "8", { occurredAt: "2026-11-10T09:00:00+08:00" });
    // 2 left now; reversing the late issue restores 10 at every point since the 10th
    expect((await reverse(late.movements[0]!.id)).userErrors).toEqual([]);
    // 9 on the 5th now fits at every point: 10 → 1 on the 5th, 1 after the issue and its reversal
    const early = await issue(town, lot.id, "9", { occurredAt: "2026-11-05T09:00:00+08:00" });
    expect(early.userErrors).toEqual([]);
    // a second backdated 2 on the 3rd would leave -1 from the 5th on
    const more = await issue(town, lot.id, "2", { occurredAt: "2026-11-03T09:00:00+08:00" });
    expect(more.userErrors).toMatchObject([{ code: "INSUFFICIENT_STOCK" }]);
    expect((await now(lot.id)).onHand).toBe("1");
  });

  it("entries cannot be dated in the future", async () => {
    const lot = await jackets(town, "3");
    const res = await issue(town, lot.id, "1", { occurredAt: "2026-11-25T09:00:00+08:00" });
    expect(res.userErrors).toMatchObject([{ code: "INVALID_INPUT", field: ["input", "occurredAt"] }]);
    expect((await now(lot.id)).onHand).toBe("3");
  });
});

describe("idempotency keys", () => {
  it("a retry with the same key and input returns the original answer and writes nothing", async () => {
    const lot = await jackets(town, "9");
    const first = await issue(town, lot.id, "3", { idempotencyKey: "rescue-2026-11-24-a" });
    const retry = await issue(town, lot.id, "3", { idempotencyKey: "rescue-2026-11-24-a" });
    expect(first.userErrors).toEqual([]);
    expect(retry).toEqual(first);
    expect((await now(lot.id)).onHand).toBe("6");
  });

  it("the same key with other input is refused and writes nothing", async () => {
    const lot = await jackets(town, "9");
    await issue(town, lot.id, "3", { idempotencyKey: "rescue-2026-11-24-b" });
    const other = await issue(town, lot.id, "4", { idempotencyKey: "rescue-2026-11-24-b" });
    expect(other).toMatchObject({
      movements: [],
      userErrors: [{ code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH", field: ["input", "idempotencyKey"] }],
    });
    expect((await now(lot.id)).onHand).toBe("6");
  });

  it("a refused command does not use up its key", async () => {
    const lot = await jackets(town, "2");
    const refused = await issue(town, lot.id, "3", { idempotencyKey: "rescue-2026-11-24-c" });
    expect(refused.userErrors).toMatchObject([{ code: "INSUFFICIENT_STOCK" }]);
    const later = await issue(town, lot.id, "2", { idempotencyKey: "rescue-2026-11-24-c" });
    expect(later.userErrors).toEqual([]);
    expect((await now(lot.id)).onHand).toBe("0");
  });
});
