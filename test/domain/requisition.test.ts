import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lot, q, refusal } from "./support.js";
import { type DepotItemKey, depotItemKey } from "../../src/domain/shared/keys.js";
import type { Actor, Grant } from "../../src/domain/custody/actor.js";
import {
  allocate,
  type Allocation,
  type LenderLot,
  type LineToFill,
  mergeLines,
} from "../../src/domain/requisition/allocation.js";
import {
  type ApprovalFacts,
  type ApprovalLevel,
  approvalLevelFor,
  mayDipIntoFloor,
} from "../../src/domain/requisition/approval.js";
import {
  nextStatus,
  REQUISITION_ACTIONS,
  type RequisitionAction,
} from "../../src/domain/requisition/lifecycle.js";
import {
  type ReceiptLine,
  assertReceiptBalances,
  spreadAccepted,
} from "../../src/domain/requisition/receipt.js";
import {
  PRIORITIES,
  REQUISITION_STATUSES,
  type RequisitionStatus,
} from "../../src/domain/requisition/requisition.js";
import { assertRoute, type RouteFacts } from "../../src/domain/requisition/routing.js";
import type { CalendarDate } from "../../src/domain/shared/calendar.js";
import { DomainError } from "../../src/domain/shared/errors.js";
import type { Quantity } from "../../src/domain/shared/quantity.js";
import { availableOf } from "../../src/domain/stock/availability.js";
import { LOT_CONDITIONS } from "../../src/domain/stock/lot.js";

const asOf = "2026-11-24" as CalendarDate;

describe("the requisition lifecycle", () => {
  // Written out by hand on purpose: a transition added to or removed from lifecycle.ts must be mirrored here.
  const EXPECTED: Partial<Record<RequisitionStatus, Partial<Record<RequisitionAction, RequisitionStatus>>>> =
    {
      DRAFT: { SUBMIT: "SUBMITTED", CANCEL: "CANCELLED" },
      SUBMITTED: {
        APPROVE: "APPROVED",
        APPROVE_PARTIALLY: "PARTIALLY_APPROVED",
        REJECT: "REJECTED",
        CANCEL: "CANCELLED",
        ESCALATE: "ESCALATED",
      },
      APPROVED: { DISPATCH: "IN_TRANSIT", CANCEL: "CANCELLED" },
      PARTIALLY_APPROVED: { DISPATCH: "IN_TRANSIT", CANCEL: "CANCELLED", ESCALATE: "PARTIALLY_APPROVED" },
      REJECTED: { ESCALATE: "ESCALATED" },
      IN_TRANSIT: { RECEIVE: "CLOSED", RECEIVE_WITH_LOANS: "RECEIVED", RECALL: "RECALLED" },
      RECEIVED: { RETURN_ALL: "RETURNED" },
      RETURNED: { CLOSE: "CLOSED" },
      // CLOSED, CANCELLED and ESCALATED are final: every action on them is refused
    };

  it("the expected table names only real statuses and actions", () => {
    // a typo here would otherwise silently turn an expected transition into an expected refusal
    for (const [from, row] of Object.entries(EXPECTED)) {
      expect(REQUISITION_STATUSES).toContain(from);
      for (const [action, to] of Object.entries(row)) {
        expect(REQUISITION_ACTIONS).toContain(action);
        expect(REQUISITION_STATUSES).toContain(to);
      }
    }
  });

  const pairs = REQUISITION_STATUSES.flatMap((from) =>
    REQUISITION_ACTIONS.map((action) => [from, action, EXPECTED[from]?.[action] ?? null] as const),
  );

  it.each(pairs)("%s + %s → %s", (from, action, to) => {
    if (to) {
      expect(nextStatus(from, action)).toBe(to);
    } else {
      const e = refusal(() => nextStatus(from, action));
      expect(e.code).toBe("INVALID_TRANSITION");
      expect(e.field).toEqual(["requisitionId"]);
    }
  });

  it("a dispatched requisition cannot be cancelled: its stock is on the road", () => {
    expect(refusal(() => nextStatus("IN_TRANSIT", "CANCEL")).code).toBe("INVALID_TRANSITION");
  });
});

describe("routing (custody rule 6)", () => {
  const COUNTY = 1;
  const township = (id: number, countyId = COUNTY) => ({ id, level: "TOWNSHIP" as const, countyId });
  const county = { id: COUNTY, level: "COUNTY" as const, countyId: COUNTY };
  const route = (f: Partial<RouteFacts>): RouteFacts => ({
    requester: township(10),
    supplier: township(11),
    neighbours: false,
    ...f,
  });

  it("a township may ask a neighbouring township", () => {
    expect(() => assertRoute(route({ neighbours: true }))).not.toThrow();
  });

  it("a township may ask its county, neighbour or not", () => {
    expect(() => assertRoute(route({ supplier: county }))).not.toThrow();
  });

  it.each<[string, Partial<RouteFacts>]>([
    ["a township that is not a neighbour", { neighbours: false }],
    ["from a village", { requester: { id: 100, level: "VILLAGE", countyId: COUNTY }, neighbours: true }],
    ["a township of another county", { supplier: township(11, 2), neighbours: true }],
    ["another county itself", { supplier: { id: 2, level: "COUNTY", countyId: 2 } }],
    ["the township itself", { supplier: township(10), neighbours: true }],
    [
      "a village of a neighbour",
      { supplier: { id: 110, level: "VILLAGE", countyId: COUNTY }, neighbours: true },
    ],
  ])("asking %s is ROUTE_NOT_ALLOWED", (_name, facts) => {
    const e = refusal(() => assertRoute(route(facts)));
    expect(e.code).toBe("ROUTE_NOT_ALLOWED");
    expect(e.field).toEqual(["supplyingRegionId"]);
  });
});

describe("who approves (custody rules 3 and 4)", () => {
  const COUNTY = 1;
  const SUPPLIER = 11;
  const actor = (userId: number, ...grants: Grant[]): Actor => ({
    userId,
    username: `u${userId}`,
    grants,
    keptDepots: [],
  });
  const countyOfficer = actor(3, { role: "COUNTY_OFFICER", countyId: COUNTY, regionId: COUNTY });
  const supplierOfficer = actor(2, { role: "TOWNSHIP_OFFICER", countyId: COUNTY, regionId: SUPPLIER });
  const requester = actor(1, { role: "TOWNSHIP_OFFICER", countyId: COUNTY, regionId: 10 });
  const facts = (f: Partial<ApprovalFacts> = {}): ApprovalFacts => ({
    countyId: COUNTY,
    countyRegionId: COUNTY,
    supplyingRegionId: SUPPLIER,
    supplierIsCounty: false,
    escalated: false,
    priority: "URGENT",
    createdBy: requester.userId,
    approvals: [],
    ...f,
  });
  const level = (a: Actor, f: ApprovalFacts) => approvalLevelFor(a, f);
  const refused = (a: Actor, f: ApprovalFacts) => refusal(() => approvalLevelFor(a, f));

  it("whoever created the request cannot approve it, whatever office they hold", () => {
    expect(refused(requester, facts()).code).toBe("SELF_APPROVAL");
    expect(refused(supplierOfficer, facts({ createdBy: supplierOfficer.userId })).code).toBe("SELF_APPROVAL");
    expect(
      refused(countyOfficer, facts({ supplierIsCounty: true, createdBy: countyOfficer.userId })).code,
    ).toBe("SELF_APPROVAL");
  });

  it("nobody approves twice, even when they hold both offices", () => {
    const both = actor(
      4,
      { role: "TOWNSHIP_OFFICER", countyId: COUNTY, regionId: SUPPLIER },
      { role: "COUNTY_OFFICER", countyId: COUNTY, regionId: COUNTY },
    );
    const e = refused(both, facts({ approvals: [{ level: "SUPPLIER", approverId: both.userId }] }));
    expect(e.code).toBe("REPEAT_APPROVAL");
    expect(e.field).toEqual(["requisitionId"]);
  });

  it("the supplying township's office approves first", () => {
    expect(level(supplierOfficer, facts())).toBe("SUPPLIER");
  });

  it("the county cannot approve a township-supplied request before the supplier has", () => {
    expect(refused(countyOfficer, facts()).code).toBe("FORBIDDEN");
  });

  it("after the supplier, the county's approval is the second one", () => {
    const f = facts({ priority: "EMERGENCY", approvals: [{ level: "SUPPLIER", approverId: 2 }] });
    expect(level(countyOfficer, f)).toBe("COUNTY");
    // and the supplier's turn is over
    expect(refused(actor(5, ...supplierOfficer.grants), f).code).toBe("FORBIDDEN");
  });

  it("a request to the county, or one escalated to it, is the county's to approve directly", () => {
    expect(level(countyOfficer, facts({ supplierIsCounty: true, supplyingRegionId: COUNTY }))).toBe("COUNTY");
    expect(level(countyOfficer, facts({ escalated: true }))).toBe("COUNTY");
    expect(refused(supplierOfficer, facts({ escalated: true })).code).toBe("FORBIDDEN");
  });

  it("another township's office, or another county's officer, has no say", () => {
    const neighbour = actor(6, { role: "TOWNSHIP_OFFICER", countyId: COUNTY, regionId: 12 });
    const otherCounty = actor(7, { role: "COUNTY_OFFICER", countyId: 2, regionId: 2 });
    expect(refused(neighbour, facts()).code).toBe("FORBIDDEN");
    expect(refused(otherCounty, facts({ supplierIsCounty: true })).code).toBe("FORBIDDEN");
  });

  it("only an EMERGENCY approved at county level may dip into the reserve floor", () => {
    const levels: ApprovalLevel[] = ["SUPPLIER", "COUNTY"];
    const dips = PRIORITIES.flatMap((p) => levels.filter((l) => mayDipIntoFloor(p, l)).map((l) => [p, l]));
    expect(dips).toEqual([["EMERGENCY", "COUNTY"]]);
  });
});

describe("allocation", () => {
  const line = (lineId: number, quantity: number, itemId = 1): LineToFill => ({
    lineId,
    itemId,
    quantity: q(quantity),
  });
  const noFloors = new Map<DepotItemKey, Quantity>();
  const picks = (as: Allocation[]) => as.map((a) => [a.lotId, Number(a.quantity) / 1000]);

  it("takes from the nearest depot first, then the earliest expiry within it, never-expiring last", () => {
    const far = lot({ depotId: 1, distance: 90, expiresOn: "2026-12-01" });
    const unknown = lot({ depotId: 4, distance: null, expiresOn: "2026-11-30" });
    const nearNever = lot({ depotId: 2, distance: 20, expiresOn: null });
    const nearLate = lot({ depotId: 2, distance: 20, expiresOn: "2028-01-01" });
    const nearEarly = lot({ depotId: 2, distance: 20, expiresOn: "2027-01-01", onHand: q(4) });
    const { allocations, dipsIntoFloor } = allocate(
      [line(1, 30)],
      [far, unknown, nearNever, nearLate, nearEarly],
      noFloors,
      asOf,
      false,
    );
    expect(dipsIntoFloor).toBe(false);
    expect(picks(allocations)).toEqual([
      [nearEarly.id, 4],
      [nearLate.id, 10],
      [nearNever.id, 10],
      [far.id, 6],
    ]);
    // a depot of unknown distance is asked only when every known one is empty
    const all = allocate(
      [line(1, 40)],
      [far, unknown, nearNever, nearLate, nearEarly],
      noFloors,
      asOf,
      false,
    );
    expect(all.allocations.at(-1)).toMatchObject({ lotId: unknown.id, depotId: 4 });
  });

  it("never takes expired, quarantined, damaged or already allocated stock", () => {
    const unusable = [
      lot({ depotId: 1, expiresOn: "2026-11-23" }),
      lot({ depotId: 1, condition: "QUARANTINED" }),
      lot({ depotId: 1, condition: "DAMAGED" }),
      lot({ depotId: 1, condition: "EXPIRED" }),
      lot({ depotId: 1, allocated: q(10) }),
    ];
    const partlyHeld = lot({ depotId: 2, distance: 60, allocated: q(7) });
    // expiring today is still usable today
    const lastDay = lot({ depotId: 2, distance: 60, expiresOn: asOf, onHand: q(2) });
    const { allocations } = allocate([line(1, 5)], [...unusable, partlyHeld, lastDay], noFloors, asOf, true);
    expect(picks(allocations)).toEqual([
      [lastDay.id, 2],
      [partlyHeld.id, 3],
    ]);
    const e = refusal(() => allocate([line(1, 6)], [...unusable, partlyHeld, lastDay], noFloors, asOf, true));
    expect(e.code).toBe("INSUFFICIENT_STOCK");
    expect(e.field).toEqual(["lines"]);
  });

  describe("reserve floors", () => {
    // the near depot holds 10 with a floor of 8, the far one 5 with none: 7 can be lent without touching a floor
    const near = lot({ depotId: 1, distance: 10, onHand: q(10) });
    const far = lot({ depotId: 2, distance: 50, onHand: q(5) });
    const floors = new Map([[depotItemKey({ depotId: 1, itemId: 1 }), q(8)]]);

    it("are kept: only what is above them is lent", () => {
      const { allocations, dipsIntoFloor } = allocate([line(1, 7)], [near, far], floors, asOf, false);
      expect(dipsIntoFloor).toBe(false);
      expect(picks(allocations)).toEqual([
        [near.id, 2],
        [far.id, 5],
      ]);
    });

    it("a request that fits only by dipping is flagged and allocates nothing unless dipping is allowed", () => {
      expect(allocate([line(1, 12)], [near, far], floors, asOf, false)).toEqual({
        allocations: [],
        dipsIntoFloor: true,
      });
      const dipping = allocate([line(1, 12)], [near, far], floors, asOf, true);
      expect(dipping.dipsIntoFloor).toBe(true);
      // everything above floors first (2 near, 5 far), then the shortfall of 5 from the only floor there is
      expect(picks(dipping.allocations)).toEqual([
        [near.id, 7],
        [far.id, 5],
      ]);
      expect(dipping.allocations.map((a) => Number(a.floorUsed) / 1000)).toEqual([5, 0]);
    });

    it("a request even the floor cannot fill is INSUFFICIENT_STOCK, dipping or not", () => {
      for (const dip of [false, true]) {
        expect(refusal(() => allocate([line(1, 16)], [near, far], floors, asOf, dip)).code).toBe(
          "INSUFFICIENT_STOCK",
        );
      }
    });
  });

  it("lines of different items share nothing: neither lots nor floors", () => {
    const bags = lot({ depotId: 1, itemId: 1, onHand: q(10) });
    const jackets = lot({ depotId: 1, itemId: 2, onHand: q(10) });
    // a floor on bags does not shrink what jackets may lend
    const floors = new Map([[depotItemKey({ depotId: 1, itemId: 1 }), q(6)]]);
    const { allocations, dipsIntoFloor } = allocate(
      [line(1, 4, 1), line(2, 10, 2)],
      [bags, jackets],
      floors,
      asOf,
      false,
    );
    expect(dipsIntoFloor).toBe(false);
    expect(allocations).toEqual([
      { lineId: 1, lotId: bags.id, depotId: 1, quantity: q(4), floorUsed: q(0) },
      { lineId: 2, lotId: jackets.id, depotId: 1, quantity: q(10), floorUsed: q(0) },
    ]);
  });

  it("two lines of one item share the lot and the floor, so together they never over-allocate", () => {
    const bags = lot({ depotId: 1, onHand: q(10) });
    const floors = new Map([[depotItemKey({ depotId: 1, itemId: 1 }), q(4)]]);
    expect(refusal(() => allocate([line(1, 6), line(2, 5)], [bags], floors, asOf, true)).code).toBe(
      "INSUFFICIENT_STOCK",
    );
    expect(allocate([line(1, 3), line(2, 3)], [bags], floors, asOf, false).allocations).toHaveLength(2);
    expect(allocate([line(1, 3), line(2, 4)], [bags], floors, asOf, false)).toEqual({
      allocations: [],
      dipsIntoFloor: true,
    });
  });

  it("mergeLines adds up the same item and keeps the first line's other fields", () => {
    expect(
      mergeLines([
        { itemId: 7, quantity: q(10), tag: "a" },
        { itemId: 8, quantity: q(1.5), tag: "b" },
        { itemId: 7, quantity: q(5), tag: "c" },
        { itemId: 8, quantity: q(0.25), tag: "d" },
      ]),
    ).toEqual([
      { itemId: 7, quantity: q(15), tag: "a" },
      { itemId: 8, quantity: q(1.75), tag: "b" },
    ]);
    const input = [{ itemId: 1, quantity: q(1) }];
    const merged = mergeLines(input);
    // the caller's lines are not modified
    expect(merged[0]).not.toBe(input[0]);
  });

  it("property: never more than a lot holds, every line filled exactly, floors kept unless dipping is allowed", () => {
    const DEPOTS = [1, 2, 3];
    const ITEMS = [1, 2];
    const thousandths = (max: bigint) => fc.bigInt({ min: 0n, max }).map((n) => n as Quantity);
    const arbLot = fc
      .record({
        depotId: fc.constantFrom(...DEPOTS),
        itemId: fc.constantFrom(...ITEMS),
        distance: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
        // mostly serviceable and unheld, so most runs allocate something instead of being refused
        condition: fc.oneof(
          { arbitrary: fc.constant("SERVICEABLE" as const), weight: 4 },
          { arbitrary: fc.constantFrom(...LOT_CONDITIONS), weight: 1 },
        ),
        expiresOn: fc.option(fc.constantFrom("2026-11-23", "2026-11-24", "2027-03-01", "2029-06-30"), {
          nil: null,
        }),
        receivedOn: fc.constantFrom("2025-01-01", "2026-01-01"),
        onHand: thousandths(20_000n),
        heldShare: fc.oneof(
          { arbitrary: fc.constant(0), weight: 2 },
          { arbitrary: fc.integer({ min: 0, max: 100 }), weight: 1 },
        ),
      })
      .map(({ heldShare, ...l }) => ({
        ...l,
        allocated: ((l.onHand * BigInt(heldShare)) / 100n) as Quantity,
      }));
    const arbInput = fc.record({
      lots: fc
        .array(arbLot, { minLength: 1, maxLength: 12 })
        .map((ls) => ls.map((l, i): LenderLot => ({ ...l, id: i + 1 }))),
      floors: fc.array(
        fc.record({
          depotId: fc.constantFrom(...DEPOTS),
          itemId: fc.constantFrom(...ITEMS),
          floor: thousandths(10_000n),
        }),
        { maxLength: 6 },
      ),
      lines: fc
        .array(
          fc.record({ itemId: fc.constantFrom(...ITEMS), quantity: fc.bigInt({ min: 1n, max: 15_000n }) }),
          {
            minLength: 1,
            maxLength: 3,
          },
        )
        .map((ls) =>
          ls.map((l, i): LineToFill => ({
            lineId: i + 1,
            itemId: l.itemId,
            quantity: l.quantity as Quantity,
          })),
        ),
      mayDip: fc.boolean(),
    });

    fc.assert(
      fc.property(arbInput, ({ lots, floors: floorList, lines, mayDip }) => {
        const floors = new Map(floorList.map((f) => [depotItemKey(f), f.floor]));
        const usable = new Map<DepotItemKey, bigint>();
        for (const l of lots) {
          const key = depotItemKey(l);
          usable.set(key, (usable.get(key) ?? 0n) + availableOf(l, asOf));
        }
        const perItem = (f: (key: DepotItemKey, u: bigint) => bigint) => (itemId: number) =>
          DEPOTS.reduce((s, d) => {
            const key = depotItemKey({ depotId: d, itemId });
            return s + f(key, usable.get(key) ?? 0n);
          }, 0n);
        const usableOf = perItem((_k, u) => u);
        const aboveFloorOf = perItem((k, u) => {
          const room = u - (floors.get(k) ?? 0n);
          return room > 0n ? room : 0n;
        });
        const asked = (itemId: number) =>
          lines.filter((l) => l.itemId === itemId).reduce((s, l) => s + l.quantity, 0n);

        let result: ReturnType<typeof allocate>;
        try {
          result = allocate(lines, lots, floors, asOf, mayDip);
        } catch (e) {
          // refused only when, even with every floor, some item is short
          expect(e).toBeInstanceOf(DomainError);
          expect((e as DomainError).code).toBe("INSUFFICIENT_STOCK");
          expect(ITEMS.some((i) => usableOf(i) < asked(i))).toBe(true);
          return;
        }
        expect(ITEMS.every((i) => usableOf(i) >= asked(i))).toBe(true);
        const fitsAboveFloors = ITEMS.every((i) => aboveFloorOf(i) >= asked(i));
        expect(result.dipsIntoFloor).toBe(!fitsAboveFloors);
        if (result.dipsIntoFloor && !mayDip) {
          expect(result.allocations).toEqual([]);
          return;
        }

        const byId = new Map(lots.map((l) => [l.id, l]));
        const takenFromLot = new Map<number, bigint>();
        const takenFromDepot = new Map<DepotItemKey, bigint>();
        const filled = new Map<number, bigint>();
        for (const a of result.allocations) {
          const l = byId.get(a.lotId)!;
          const ln = lines.find((x) => x.lineId === a.lineId)!;
          expect(a.quantity > 0n).toBe(true);
          expect(l.itemId).toBe(ln.itemId);
          expect(a.depotId).toBe(l.depotId);
          takenFromLot.set(l.id, (takenFromLot.get(l.id) ?? 0n) + a.quantity);
          const key = depotItemKey(l);
          takenFromDepot.set(key, (takenFromDepot.get(key) ?? 0n) + a.quantity);
          filled.set(ln.lineId, (filled.get(ln.lineId) ?? 0n) + a.quantity);
        }
        for (const [id, taken] of takenFromLot) expect(taken <= availableOf(byId.get(id)!, asOf)).toBe(true);
        for (const l of lines) expect(filled.get(l.lineId)).toBe(l.quantity);
        if (!result.dipsIntoFloor) {
          for (const [key, taken] of takenFromDepot) {
            expect(usable.get(key)! - taken >= (floors.get(key) ?? 0n)).toBe(true);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("receipt (custody rule 5)", () => {
  const receipt = (over: Partial<ReceiptLine> = {}): ReceiptLine => ({
    lineId: 1,
    dispatched: q(10),
    accepted: q(8),
    rejected: q(1),
    missing: q(1),
    rejectedReason: "破损",
    missingReason: "途中遗失",
    ...over,
  });

  it("every unit dispatched is accepted, rejected or missing", () => {
    expect(() => assertReceiptBalances(receipt(), 0)).not.toThrow();
    expect(() =>
      assertReceiptBalances(
        receipt({ accepted: q(10), rejected: q(0), missing: q(0), rejectedReason: "", missingReason: "" }),
        0,
      ),
    ).not.toThrow();
    expect(() =>
      assertReceiptBalances(
        receipt({ dispatched: q(0.5), accepted: q(0.25), rejected: q(0.125), missing: q(0.125) }),
        0,
      ),
    ).not.toThrow();
  });

  it.each([
    ["more counted than dispatched", { accepted: q(9) }],
    ["fewer counted than dispatched", { missing: q(0) }],
    ["a thousandth short", { accepted: q(7.999) }],
  ])("%s is INVALID_QUANTITY on the line's acceptedQuantity", (_name, over) => {
    const e = refusal(() => assertReceiptBalances(receipt(over), 2));
    expect(e.code).toBe("INVALID_QUANTITY");
    expect(e.field).toEqual(["lines", "2", "acceptedQuantity"]);
  });

  it("rejected and missing stock each need a reason", () => {
    const rejected = refusal(() => assertReceiptBalances(receipt({ rejectedReason: "  " }), 1));
    expect([rejected.code, rejected.field]).toEqual(["INVALID_INPUT", ["lines", "1", "rejectedReason"]]);
    const missing = refusal(() => assertReceiptBalances(receipt({ missingReason: "" }), 3));
    expect([missing.code, missing.field]).toEqual(["INVALID_INPUT", ["lines", "3", "missingReason"]]);
  });

  it("spreadAccepted counts the first lots as arrived, in order, never more than each held", () => {
    const parts = [
      { lot: "A", quantity: q(3) },
      { lot: "B", quantity: q(5) },
      { lot: "C", quantity: q(2) },
    ];
    const spread = (accepted: number) =>
      spreadAccepted(parts, q(accepted)).map(({ part, accepted: a }) => [part.lot, Number(a) / 1000]);
    expect(spread(6)).toEqual([
      ["A", 3],
      ["B", 3],
      ["C", 0],
    ]);
    expect(spread(10)).toEqual([
      ["A", 3],
      ["B", 5],
      ["C", 2],
    ]);
    expect(spread(0)).toEqual([
      ["A", 0],
      ["B", 0],
      ["C", 0],
    ]);
    expect(spread(3.5)).toEqual([
      ["A", 3],
      ["B", 0.5],
      ["C", 0],
    ]);
    expect(spreadAccepted(parts, q(1))[0]!.part).toBe(parts[0]);
  });
});
