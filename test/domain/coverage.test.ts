import { describe, expect, it } from "vitest";
import {
  type CountyCoverage,
  type CoverageRegion,
  coverageLine,
  inSubtreeOf,
  nearestSurplus,
  neighbourOffers,
} from "../../src/domain/coverage/lending.js";
import { countedInTimeShare } from "../../src/domain/readiness/census.js";
import { fromDb, type Quantity } from "../../src/domain/shared/quantity.js";

// county 1 > townships 10, 20, 30 > village 11 (of 10); links 10–20 30 min, 20–30 20 min
const region = (id: number, parentId: number | null, level: CoverageRegion["level"]): CoverageRegion => ({
  id,
  parentId,
  level,
  population: 1000,
  townshipId: level === "COUNTY" ? null : level === "TOWNSHIP" ? id : parentId,
});
const regions = new Map(
  [
    region(1, null, "COUNTY"),
    region(10, 1, "TOWNSHIP"),
    region(11, 10, "VILLAGE"),
    region(20, 1, "TOWNSHIP"),
    region(30, 1, "TOWNSHIP"),
  ].map((r) => [r.id, r]),
);
const both = (a: number, b: number, minutes: number) => [
  { from: a, to: b, minutes },
  { from: b, to: a, minutes },
];
const q = (text: string): Quantity => fromDb(text);

/** A county where each region holds `usable` of item 7 against `required` (null: no norm there). */
function county(
  held: Record<number, { usable: string; required: string | null; own?: string }>,
): CountyCoverage {
  return {
    regions,
    itemIds: [7],
    links: [...both(10, 20, 30), ...both(20, 30, 20)],
    line(regionId, itemId) {
      const h = held[regionId] ?? { usable: "0", required: null };
      return coverageLine(regionId, itemId, h.required === null ? null : q(h.required), {
        onHand: q(h.usable),
        usable: q(h.usable),
        expiringWithin30Days: q("0"),
        ownUsable: q(h.own ?? h.usable),
        callable: q("0"),
        callUpLeadHours: null,
      });
    },
  };
}

describe("what another region could lend", () => {
  it("the nearest surplus is the closest township over links, not the larger one further away", () => {
    const c = county({
      10: { usable: "10", required: "100" },
      20: { usable: "150", required: "100" },
      30: { usable: "900", required: "100" },
    });
    expect(nearestSurplus(c, 10, 7)).toEqual({
      regionId: 20,
      itemId: 7,
      travelMinutes: 30,
      quantity: q("50"),
    });
  });

  it("neighbour offers within reach, nearest first, and the county lends only its own warehouses", () => {
    const c = county({
      1: { usable: "500", required: "400", own: "80" },
      10: { usable: "0", required: "100" },
      20: { usable: "120", required: "100" },
      30: { usable: "40", required: null },
    });
    expect(neighbourOffers(c, 10, 7, 60)).toEqual([
      { regionId: 20, itemId: 7, travelMinutes: 30, quantity: q("20") },
      { regionId: 30, itemId: 7, travelMinutes: 50, quantity: q("40") },
    ]);
    expect(neighbourOffers(c, 10, 7, 40).map((o) => o.regionId)).toEqual([20]);
    // the gap's own lineage (the county above it) is no lender; with no township to spare, none is found
    expect(nearestSurplus(county({ 1: { usable: "500", required: null, own: "80" } }), 10, 7)).toBeNull();
  });

  it("a region lies in its own subtree and its ancestors', not in a sibling's", () => {
    const c = county({});
    expect([
      inSubtreeOf(c, 10, 11),
      inSubtreeOf(c, 1, 11),
      inSubtreeOf(c, 11, 11),
      inSubtreeOf(c, 20, 11),
    ]).toEqual([true, true, true, false]);
  });
});

describe("a coverage line", () => {
  it("measures usable against the norm: ratio and status; none without a norm", () => {
    const line = (usable: string, required: string | null) =>
      county({ 10: { usable, required } }).line(10, 7);
    expect([line("60", "100").ratio, line("60", "100").status]).toEqual([0.6, "LOW"]);
    expect([line("100", "100").status, line("1", "100").status, line("0", "100").status]).toEqual([
      "MET",
      "CRITICAL",
      "NONE",
    ]);
    expect([line("5", null).ratio, line("5", null).status]).toEqual([null, null]);
  });
});

describe("counted in time", () => {
  it("is the share of depots not stale, to four decimals; all of none", () => {
    expect([countedInTimeShare(3, 1), countedInTimeShare(4, 4), countedInTimeShare(0, 0)]).toEqual([
      0.6667, 0, 1,
    ]);
  });
});
