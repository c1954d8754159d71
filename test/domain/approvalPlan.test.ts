import { describe, expect, it } from "vitest";
import { lot, q, refusal } from "./support.js";
import { depotItemKey } from "../../src/domain/shared/keys.js";
import {
  type ApprovalAsk,
  type ApprovalPlan,
  type ApprovedLine,
  linesToFill,
  planApproval,
} from "../../src/domain/requisition/approvalPlan.js";
import type { DepotKind } from "../../src/domain/region/region.js";
import type { CalendarDate } from "../../src/domain/shared/calendar.js";

const today = "2026-11-24" as CalendarDate;

const line = (lineId: number, requested: number, approved = requested, itemId = 1): ApprovedLine => ({
  lineId,
  itemId,
  requested: q(requested),
  approved: q(approved),
});
const ask = (over: Partial<ApprovalAsk> & Pick<ApprovalAsk, "lines" | "lots">): ApprovalAsk => ({
  floors: new Map(),
  steps: new Map([[1, q(1)]]),
  depotKinds: new Map<number, DepotKind>(),
  priority: "ROUTINE",
  level: "SUPPLIER",
  today,
  ...over,
});
const held = (plan: ApprovalPlan) => {
  if (plan.kind !== "HOLD") throw new Error(`expected a hold, got ${plan.kind}`);
  return plan;
};
const picks = (plan: ApprovalPlan) =>
  held(plan).allocations.map((a) => [a.lineId, a.lotId, Number(a.quantity) / 1000]);

describe("an approval's plan (rules 1 and 3)", () => {
  it("given lots and lines, holds first-expiry-first-out and approves in full", () => {
    const late = lot({ depotId: 1, expiresOn: "2027-06-01" });
    const early = lot({ depotId: 1, expiresOn: "2027-01-01", onHand: q(4) });
    const tents = lot({ depotId: 1, itemId: 2, onHand: q(3) });

    const plan = planApproval(ask({ lines: [line(1, 6), line(2, 2, 2, 2)], lots: [late, early, tents] }));

    expect(picks(plan)).toEqual([
      [1, early.id, 4],
      [1, late.id, 2],
      [2, tents.id, 2],
    ]);
    expect(held(plan)).toMatchObject({
      action: "APPROVE",
      floorUsed: new Map(),
      releaseOrderNo: null,
      returnDueOn: "2026-12-24",
    });
  });

  it("on a tie in expiry takes the older receipt first, then the lower lot id", () => {
    const newer = lot({ depotId: 1, expiresOn: "2027-01-01", receivedOn: "2025-06-01", onHand: q(5) });
    const olderB = lot({ depotId: 1, expiresOn: "2027-01-01", receivedOn: "2025-02-01", onHand: q(5) });
    const olderA = lot({ id: olderB.id - 50, depotId: 1, expiresOn: "2027-01-01", receivedOn: "2025-02-01" });

    const plan = planApproval(ask({ lines: [line(1, 12)], lots: [newer, olderB, olderA] }));

    expect(picks(plan)).toEqual([
      [1, olderA.id, 10],
      [1, olderB.id, 2],
    ]);
  });

  it("a line approved for less than asked makes the approval partial; a line approved for zero holds nothing", () => {
    const bags = lot({ depotId: 1 });

    const plan = planApproval(ask({ lines: [line(1, 8, 5), line(2, 3, 0)], lots: [bags] }));

    expect(held(plan).action).toBe("APPROVE_PARTIALLY");
    expect(picks(plan)).toEqual([[1, bags.id, 5]]);
    expect(refusal(() => linesToFill([line(1, 8, 0)]))).toMatchObject({
      code: "INVALID_INPUT",
      field: ["lines"],
    });
  });

  it("a shortfall is INSUFFICIENT_STOCK, and nothing is planned", () => {
    const lots = [lot({ depotId: 1, onHand: q(4) }), lot({ depotId: 2, onHand: q(3), condition: "DAMAGED" })];

    const e = refusal(() => planApproval(ask({ lines: [line(1, 5)], lots })));

    expect(e).toMatchObject({ code: "INSUFFICIENT_STOCK", field: ["lines"] });
  });

  describe("against the reserve floor", () => {
    // 10 on hand over a floor of 8: 2 above it, 5 more only from below it
    const depot = () => lot({ depotId: 1, onHand: q(10) });
    const floors = new Map([[depotItemKey({ depotId: 1, itemId: 1 }), q(8)]]);

    it("a routine request that fits only below the floor is RESERVE_FLOOR", () => {
      const e = refusal(() => planApproval(ask({ lines: [line(1, 7)], lots: [depot()], floors })));
      expect(e).toMatchObject({ code: "RESERVE_FLOOR", field: ["lines"] });
    });

    it("an emergency approved by the supplier waits for the county; approved by the county it dips", () => {
      const lots = [depot()];
      const emergency = { lines: [line(1, 7)], lots, floors, priority: "EMERGENCY" as const };

      expect(planApproval(ask({ ...emergency, level: "SUPPLIER" }))).toEqual({ kind: "AWAITS_COUNTY" });
      const plan = held(planApproval(ask({ ...emergency, level: "COUNTY" })));
      expect(plan.allocations).toEqual([
        { lineId: 1, lotId: lots[0]!.id, depotId: 1, quantity: q(7), floorUsed: q(5) },
      ]);
      expect(plan.floorUsed).toEqual(new Map([[1, q(5)]]));
    });
  });

  it("stock in agent storage needs a release order number; one given is kept, trimmed", () => {
    const agent = lot({ depotId: 3 });
    const kinds = new Map<number, DepotKind>([[3, "AGENT_STORAGE"]]);
    const of = (releaseOrderNo: string | null) =>
      planApproval(ask({ lines: [line(1, 2)], lots: [agent], depotKinds: kinds, releaseOrderNo }));

    expect(refusal(() => of("  "))).toMatchObject({
      code: "RELEASE_ORDER_REQUIRED",
      field: ["releaseOrderNo"],
    });
    expect(held(of(" 应急动用 7号 ")).releaseOrderNo).toBe("应急动用 7号");
  });

  it("lent equipment is due back on the day given, never before today", () => {
    const lots = [lot({ depotId: 1 })];
    const due = (returnDueOn: string) => planApproval(ask({ lines: [line(1, 1)], lots, returnDueOn }));

    expect(held(due("2026-11-24")).returnDueOn).toBe("2026-11-24");
    for (const bad of ["2026-11-23", "next week"]) {
      expect(refusal(() => due(bad))).toMatchObject({ code: "INVALID_INPUT", field: ["returnDueOn"] });
    }
  });
});
