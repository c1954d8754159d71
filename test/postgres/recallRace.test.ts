import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aLendingPair, aStockedItem, type LendingPair, stepsOf } from "../support/requisitionFactories.js";
import { view } from "../support/requisitions.js";
import { startTestService, type TestService } from "../support/service.js";
import { stockAt } from "../support/stockFactories.js";
import { books, imbalances } from "../support/transit.js";

// A real race needs real connections: the recall and the receipt are two HTTP calls, two transactions, at once.
const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
/** Two neighbouring townships: the lender's depot sends, the borrower's receives; each round has its own item. */
let pair: LendingPair;
let steps: ReturnType<typeof stepsOf>;

beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  pair = await aLendingPair(svc);
  steps = stepsOf(pair);
});
afterAll(() => svc.stop());

describe("a recall racing the receipt", () => {
  it.each([1, 2, 3, 4, 5])(
    "exactly one wins, the other is INVALID_TRANSITION, the books agree (round %i)",
    async () => {
      const bags = await aStockedItem(pair, "80");
      const id = await steps.underway([{ item: bags, quantity: "50" }]);
      const lineId = (await view(svc, id, pair.county.officer))!.lines[0]!.id;
      expect(await stockAt(pair.borrower.depot, bags)).toMatchObject({ onHand: "0", inTransit: "50" });
      const ledger = (await books(svc)).movements;

      const [recalled, received] = await Promise.all([
        steps.recall(id),
        steps.receive(id, [{ lineId, acceptedQuantity: "50" }]),
      ]);

      const codes = [recalled, received].map((r) => r.userErrors.map((e) => e.code).join() || "OK");
      expect(codes.sort()).toEqual(["INVALID_TRANSITION", "OK"]);
      const recallWon = recalled.userErrors.length === 0;
      expect((await view(svc, id, pair.county.officer))!.status).toBe(recallWon ? "RECALLED" : "CLOSED");
      // the winner wrote one line for the one lot that travelled; the loser wrote nothing
      expect((await books(svc)).movements).toBe(ledger + 1);
      expect(await stockAt(pair.lender.depot, bags)).toMatchObject({
        onHand: recallWon ? "80" : "30",
        allocated: "0",
      });
      expect(await stockAt(pair.borrower.depot, bags)).toMatchObject({
        onHand: recallWon ? "0" : "50",
        inTransit: "0",
      });
      expect(await imbalances(svc)).toEqual([]);
    },
  );
});
