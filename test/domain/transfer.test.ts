import { describe, expect, it } from "vitest";
import type { DepotFacts } from "../../src/domain/custody/policy.js";
import { assertTransferRoute } from "../../src/domain/stock/transfer.js";

const county = 1;
const at = (depotId: number, level: DepotFacts["regionLevel"], lineage: number[]): DepotFacts => ({
  countyId: county,
  depotId,
  regionId: lineage[0]!,
  regionLevel: level,
  regionLineage: lineage,
});
// county 1 > townships 10, 20 > villages 11 (of 10), 21 (of 20)
const cw = at(1, "COUNTY", [1]);
const as = at(2, "COUNTY", [1]);
const td10 = at(3, "TOWNSHIP", [10, 1]);
const vp11 = at(4, "VILLAGE", [11, 10, 1]);
const td20 = at(5, "TOWNSHIP", [20, 1]);
const vp21 = at(6, "VILLAGE", [21, 20, 1]);

describe("transfer routes", () => {
  it.each([
    ["township depot → its village point", td10, vp11],
    ["village point → its township depot", vp11, td10],
    ["county warehouse → agent storage", cw, as],
  ])("allows %s", (_name, from, to) => {
    expect(() => assertTransferRoute(from, to)).not.toThrow();
  });

  it.each([
    ["one township to another", td10, td20],
    ["a village to another township's village", vp11, vp21],
    ["the county to a township", cw, td10],
    ["a township to the county", td10, cw],
  ])("sends %s through a requisition", (_name, from, to) => {
    expect(() => assertTransferRoute(from, to)).toThrow(
      expect.objectContaining({ code: "ROUTE_NOT_ALLOWED" }),
    );
  });

  it("refuses a transfer to the same depot", () => {
    expect(() => assertTransferRoute(td10, td10)).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });
});
