import { describe, expect, it } from "vitest";
import { q } from "./support.js";
import { effectiveNorm, type NormRule, requiredQuantity } from "../../src/domain/coverage/norm.js";
import { travelMinutesFrom } from "../../src/domain/region/travel.js";
import { planRotation, type PlanLot } from "../../src/domain/rotation/plan.js";
import type { CalendarDate } from "../../src/domain/shared/calendar.js";

const asOf = "2026-11-24" as CalendarDate;

describe("travel between townships", () => {
  it("takes the shortest path over mutual-aid links", () => {
    const links = [
      { from: 1, to: 2, minutes: 30 },
      { from: 2, to: 3, minutes: 30 },
      { from: 1, to: 3, minutes: 90 },
    ].flatMap((l) => [l, { from: l.to, to: l.from, minutes: l.minutes }]);
    expect(Object.fromEntries(travelMinutesFrom(1, links))).toEqual({ 1: 0, 2: 30, 3: 60 });
    expect(travelMinutesFrom(4, links).get(1)).toBeUndefined();
  });
});

describe("reserve norms", () => {
  const rules: NormRule[] = [
    {
      itemId: 7,
      regionId: null,
      level: "TOWNSHIP",
      basis: "PER_THOUSAND_RESIDENTS",
      quantity: q(1.5),
      reserveFloor: q(0),
    },
    { itemId: 7, regionId: 42, level: null, basis: "ABSOLUTE", quantity: q(20000), reserveFloor: q(0) },
  ];

  it("a region's own norm wins over its level's", () => {
    expect(effectiveNorm({ id: 42, level: "TOWNSHIP", population: 1 }, 7, rules)?.basis).toBe("ABSOLUTE");
    expect(effectiveNorm({ id: 43, level: "TOWNSHIP", population: 1 }, 7, rules)?.basis).toBe(
      "PER_THOUSAND_RESIDENTS",
    );
    expect(effectiveNorm({ id: 44, level: "VILLAGE", population: 1 }, 7, rules)).toBeNull();
  });

  it("per 1,000 residents rounds up to the unit's precision", () => {
    const perThousand = rules[0]!;
    expect(requiredQuantity(perThousand, 33_333, 0)).toBe(q(50)); // 49.9995 pieces → 50
    expect(requiredQuantity(perThousand, 33_333, 3)).toBe(q(50)); // 49.9995 t → 50.000 (thousandths round up)
    expect(requiredQuantity(perThousand, 1_001, 3)).toBe(q(1.502)); // 1.5015 → 1.502
  });
});

describe("the rotation plan", () => {
  const lot = (over: Partial<PlanLot>): PlanLot => ({
    lotId: 1,
    depotId: 10,
    itemId: 7,
    expiresOn: "2026-12-24" as CalendarDate,
    available: q(100),
    townshipId: 1,
    regionLineage: [1, 100],
    ...over,
  });
  const items = new Map([[7, { itemId: 7, category: "MEDICAL" as const, returnable: false }]]);
  const travel = (a: number | null, b: number | null) =>
    a === null || b === null ? null : Math.abs(a - b) * 20;

  it("fills the nearest shortfall first, each shortfall once, and drills the rest", () => {
    const plan = planRotation({
      lots: [lot({ lotId: 2, expiresOn: "2026-12-30" as CalendarDate }), lot({ lotId: 1 })],
      items,
      shortfalls: [
        { regionId: 3, townshipId: 3, itemId: 7, short: q(60), depotId: 30 },
        { regionId: 2, townshipId: 2, itemId: 7, short: q(30), depotId: 20 },
      ],
      travel,
      asOf,
    });
    expect(plan.map((p) => [p.lot.lotId, p.actions.map((a) => [a.kind, Number(a.quantity) / 1000])])).toEqual(
      [
        [
          1,
          [
            ["TRANSFER", 30],
            ["TRANSFER", 60],
            ["USE_IN_DRILL", 10],
          ],
        ],
        [2, [["USE_IN_DRILL", 100]]],
      ],
    );
  });

  it("never sends stock to a region that already counts it, nor when there is no time left to use it", () => {
    const plan = planRotation({
      lots: [lot({ lotId: 1 }), lot({ lotId: 2, expiresOn: "2026-11-25" as CalendarDate })],
      items: new Map([[7, { itemId: 7, category: "SHELTER" as const, returnable: false }]]),
      shortfalls: [
        { regionId: 100, townshipId: null, itemId: 7, short: q(500), depotId: 1000 },
        { regionId: 2, townshipId: 2, itemId: 7, short: q(500), depotId: 20 },
      ],
      travel,
      asOf,
    });
    const byLot = new Map(plan.map((p) => [p.lot.lotId, p.actions]));
    expect(byLot.get(1)).toEqual([
      { kind: "TRANSFER", quantity: q(100), toDepotId: 20, toRegionId: 2, travelMinutes: 20 },
    ]);
    // a day left: rotated out, donated, and a replacement ordered
    expect(byLot.get(2)).toEqual([
      { kind: "ROTATE_OUT", quantity: q(100), disposal: "DONATE", replacementQuantity: q(100) },
    ]);
  });
});
