import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { view } from "../support/requisitions.js";
import { startTestService, type TestService } from "../support/service.js";
import { books, imbalances, requisitionSteps, stockOf, transitWorld } from "../support/transit.js";
import type { DemoIds } from "../support/world.js";

// A real race needs real connections: the recall and the receipt are two HTTP calls, two transactions, at once.
const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
let ids: DemoIds;
let steps: ReturnType<typeof requisitionSteps>;

beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  const world = await transitWorld(svc);
  ids = world.ids;
  steps = requisitionSteps(svc, ids, world.region);
});
afterAll(() => svc.stop());

describe("a recall racing the receipt", () => {
  it.each([1, 2, 3, 4, 5])(
    "exactly one wins, the other is INVALID_TRANSITION, the books agree (round %i)",
    async () => {
      const lenderBefore = await stockOf(svc, ids.depot("TD-CHENGGUAN"), "WOVEN_BAG");
      const receiverBefore = await stockOf(svc, ids.depot("TD-HEKOU"), "WOVEN_BAG");
      const id = await steps.underway([{ item: "WOVEN_BAG", quantity: "50" }]);
      const lineId = (await view(svc, id))!.lines[0]!.id;
      const ledger = (await books(svc)).movements;
      const [recalled, received] = await Promise.all([
        steps.recall(id),
        steps.receive(id, [{ lineId, acceptedQuantity: "50" }]),
      ]);
      const codes = [recalled, received].map((r) => r.userErrors.map((e) => e.code).join() || "OK");
      expect(codes.sort()).toEqual(["INVALID_TRANSITION", "OK"]);
      const recallWon = recalled.userErrors.length === 0;
      expect((await view(svc, id))!.status).toBe(recallWon ? "RECALLED" : "CLOSED");
      // the winner wrote one line for the one lot that travelled; the loser wrote nothing
      expect((await books(svc)).movements).toBe(ledger + 1);
      const lender = await stockOf(svc, ids.depot("TD-CHENGGUAN"), "WOVEN_BAG");
      const receiver = await stockOf(svc, ids.depot("TD-HEKOU"), "WOVEN_BAG");
      expect(Number(lender.onHand)).toBe(Number(lenderBefore.onHand) - (recallWon ? 0 : 50));
      expect(Number(receiver.onHand)).toBe(Number(receiverBefore.onHand) + (recallWon ? 0 : 50));
      expect(receiver.inTransit).toBe("0");
      expect(await imbalances(svc)).toEqual([]);
    },
  );
});
