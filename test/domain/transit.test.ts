import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { q } from "./support.js";
import { depotItemKey } from "../../src/domain/shared/keys.js";
import { allocate, type LenderLot, spreadProportionally } from "../../src/domain/requisition/allocation.js";
import { assertSettlement } from "../../src/domain/requisition/discrepancy.js";
import { unusableReason } from "../../src/domain/requisition/dispatch.js";
import { spreadReceipt } from "../../src/domain/requisition/receipt.js";
import type { CalendarDate } from "../../src/domain/shared/calendar.js";
import { DomainError } from "../../src/domain/shared/errors.js";

const asOf = "2026-11-24" as CalendarDate;
const PIECE = q(1);

describe("an emergency dips into the floor only as far as it must (rule 3)", () => {
  let nextId = 1;
  const lot = (depotId: number, onHand: number, distance: number): LenderLot => ({
    id: nextId++,
    depotId,
    itemId: 1,
    distance,
    condition: "SERVICEABLE",
    expiresOn: null,
    receivedOn: "2025-01-01",
    onHand: q(onHand),
    allocated: q(0),
  });
  // three depots each hold 100 bags with floors 80, 40 and 0: 20 + 60 + 100 = 180 lie above floors
  const near = lot(1, 100, 10);
  const middle = lot(2, 100, 20);
  const far = lot(3, 100, 90);
  const floors = new Map([
    [depotItemKey({ depotId: 1, itemId: 1 }), q(80)],
    [depotItemKey({ depotId: 2, itemId: 1 }), q(40)],
  ]);
  const taken = (r: ReturnType<typeof allocate>) =>
    r.allocations.map((a) => [a.depotId, Number(a.quantity) / 1000, Number(a.floorUsed) / 1000]);

  it("takes everything above every floor first, the far depot included, before touching a floor", () => {
    const r = allocate([{ lineId: 1, itemId: 1, quantity: q(180) }], [near, middle, far], floors, asOf, true);
    expect(r.dipsIntoFloor).toBe(false);
    expect(taken(r)).toEqual([
      [1, 20, 0],
      [2, 60, 0],
      [3, 100, 0],
    ]);
  });

  it("spreads the shortfall over the floors in proportion to what each depot still holds", () => {
    // 60 short after the 180 above floors; the floors hold 80 and 40: 40 and 20, a half of each
    const r = allocate([{ lineId: 1, itemId: 1, quantity: q(240) }], [near, middle, far], floors, asOf, true);
    expect(r.dipsIntoFloor).toBe(true);
    expect(taken(r)).toEqual([
      [1, 60, 40],
      [2, 80, 20],
      [3, 100, 0],
    ]);
  });

  it("empties no depot while another keeps its whole floor, even when the nearest could cover it all", () => {
    const pieces = new Map([[1, PIECE]]);
    const r = allocate(
      [{ lineId: 1, itemId: 1, quantity: q(190) }],
      [near, middle, far],
      floors,
      asOf,
      true,
      pieces,
    );
    const used = new Map(r.allocations.map((a) => [a.depotId, Number(a.floorUsed) / 1000]));
    // 10 short: 80:40 gives 6.67 : 3.33, in whole pieces 7 and 3
    expect([used.get(1), used.get(2), used.get(3)]).toEqual([7, 3, 0]);
  });

  it("without the emergency nothing below a floor is allocated", () => {
    expect(
      allocate([{ lineId: 1, itemId: 1, quantity: q(190) }], [near, middle, far], floors, asOf, false),
    ).toEqual({ allocations: [], dipsIntoFloor: true });
  });

  it("property: shares add up, never exceed a holding, whole steps, and level what is left", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 100 }),
        (holdings, pct) => {
          const held = holdings.map((h) => q(h));
          const totalHeld = holdings.reduce((s, h) => s + h, 0);
          const total = q(Math.floor((totalHeld * pct) / 100));
          const shares = spreadProportionally(held, total, PIECE);
          expect(shares.reduce((s, x) => s + x, 0n)).toBe(total);
          shares.forEach((s, i) => {
            expect(s >= 0n && s <= held[i]!).toBe(true);
            expect(s % PIECE).toBe(0n);
          });
          // a depot is emptied only if every depot gives at least nearly all it holds
          const emptied = held.some((h, i) => h > 0n && shares[i] === h);
          const someoneKeepsAll = held.some((h, i) => h > q(1) && shares[i] === 0n);
          expect(emptied && someoneKeepsAll).toBe(false);
        },
      ),
    );
  });
});

describe("receipt spreading and settlement rules (rule 5)", () => {
  it("counts the first lots as accepted, the next as rejected, the rest as missing", () => {
    const parts = [{ quantity: q(4) }, { quantity: q(3) }, { quantity: q(3) }];
    expect(
      spreadReceipt(parts, q(5), q(3)).map((s) => [s.accepted, s.rejected, s.missing].map(Number)),
    ).toEqual([
      [4000, 0, 0],
      [1000, 2000, 0],
      [0, 1000, 2000],
    ]);
  });

  it("rejected stock is never 'found', and a settled discrepancy is settled once", () => {
    const refusal = (f: () => void) => {
      try {
        f();
      } catch (e) {
        return (e as DomainError).code;
      }
      return null;
    };
    expect(
      refusal(() =>
        assertSettlement({ kind: "REJECTED", disposition: "KEEP_QUARANTINED", settledAt: null }, "FOUND"),
      ),
    ).toBe("INVALID_INPUT");
    expect(
      refusal(() => assertSettlement({ kind: "MISSING", disposition: null, settledAt: new Date() }, "FOUND")),
    ).toBe("INVALID_TRANSITION");
    expect(
      refusal(() => assertSettlement({ kind: "MISSING", disposition: null, settledAt: null }, "FOUND")),
    ).toBe(null);
    expect(new DomainError("INVALID_INPUT", "x").code).toBe("INVALID_INPUT");
  });

  it("says why a held lot may not travel", () => {
    expect(unusableReason({ condition: "SERVICEABLE", expiresOn: null }, asOf)).toBeNull();
    expect(unusableReason({ condition: "SERVICEABLE", expiresOn: asOf }, asOf)).toBeNull();
    expect(unusableReason({ condition: "SERVICEABLE", expiresOn: "2026-11-23" }, asOf)).toMatch(/expired/);
    expect(unusableReason({ condition: "QUARANTINED", expiresOn: null }, asOf)).toMatch(/quarantined/);
    expect(unusableReason({ condition: "DAMAGED", expiresOn: null }, asOf)).toMatch(/damaged/);
  });
});
