import { describe, expect, it } from "vitest";
import { isToldOf, NOTICE_KINDS, sideOf } from "../../src/domain/requisition/notices.js";

const r = { countyId: 7, requestingRegionId: 20, supplyingRegionId: 30 };
const grant = (regionId: number, countyId = 7) => ({ role: "TOWNSHIP_OFFICER" as const, countyId, regionId });

describe("who is told of what happens to a requisition", () => {
  it("puts a person on the side their grants hold, the same region in another county being no side", () => {
    expect(sideOf([grant(20)], r)).toBe("REQUESTER");
    expect(sideOf([grant(30)], r)).toBe("SUPPLIER");
    expect(sideOf([grant(20), grant(30)], r)).toBe("SUPPLIER");
    expect(sideOf([grant(7)], r)).toBe("ELSEWHERE");
    expect(sideOf([grant(20, 8)], r)).toBe("ELSEWHERE");
  });

  it("tells the supplier of a request, the requester of the answer and the dispatch, everyone of trouble", () => {
    const told = (side: "REQUESTER" | "SUPPLIER" | "ELSEWHERE") =>
      NOTICE_KINDS.filter((k) => isToldOf(k, side));
    expect(told("SUPPLIER")).toEqual(["SUBMITTED", "APPROVED", "RECEIVED", "DISCREPANCY", "LOAN_OVERDUE"]);
    expect(told("REQUESTER")).toEqual([
      "APPROVED",
      "REJECTED",
      "DISPATCHED",
      "RECEIVED",
      "DISCREPANCY",
      "LOAN_OVERDUE",
    ]);
    expect(told("ELSEWHERE")).toEqual(["DISCREPANCY", "LOAN_OVERDUE"]);
  });
});
