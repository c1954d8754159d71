import { describe, expect, it } from "vitest";
import { assertClosable, type DepotTies } from "../../src/domain/region/depotClosure.js";
import { childDivisionCode } from "../../src/domain/region/divisionCode.js";
import { classificationCode } from "../../src/domain/catalogue/classification.js";

const none: DepotTies = { onHand: 0n, allocated: 0n, openRequisitions: 0, openLoans: 0, openStockTakes: 0 };
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return "accepted";
};

describe("closing a depot", () => {
  it("names each tie that keeps it open", () => {
    expect(codeOf(() => assertClosable(none))).toBe("accepted");
    expect(codeOf(() => assertClosable({ ...none, onHand: 5n }))).toBe("DEPOT_HOLDS_STOCK");
    expect(codeOf(() => assertClosable({ ...none, onHand: 5n, allocated: 5n }))).toBe(
      "DEPOT_HAS_ALLOCATIONS",
    );
    expect(codeOf(() => assertClosable({ ...none, openRequisitions: 1 }))).toBe(
      "DEPOT_HAS_OPEN_REQUISITIONS",
    );
    expect(codeOf(() => assertClosable({ ...none, openLoans: 1 }))).toBe("DEPOT_HAS_OPEN_LOANS");
    expect(codeOf(() => assertClosable({ ...none, openStockTakes: 1 }))).toBe("DEPOT_HAS_OPEN_STOCK_TAKE");
  });
});

describe("division codes", () => {
  it("extend the parent's significant digits and are stored with 12 digits", () => {
    expect(childDivisionCode("TOWNSHIP", "411099000000", "411099150")).toBe("411099150000");
    expect(childDivisionCode("TOWNSHIP", "411099000000", "411099150000")).toBe("411099150000");
    expect(childDivisionCode("VILLAGE", "411099150000", "411099150201")).toBe("411099150201");
    expect(codeOf(() => childDivisionCode("TOWNSHIP", "411099000000", "411098150"))).toBe(
      "DIVISION_CODE_NOT_UNDER_PARENT",
    );
    expect(codeOf(() => childDivisionCode("TOWNSHIP", "411099000000", "411099000"))).toBe(
      "DIVISION_CODE_NOT_UNDER_PARENT",
    );
    expect(codeOf(() => childDivisionCode("TOWNSHIP", "411099000000", "411099150001"))).toBe(
      "DIVISION_CODE_NOT_UNDER_PARENT",
    );
    expect(codeOf(() => childDivisionCode("VILLAGE", "411099150000", "411099151201"))).toBe(
      "DIVISION_CODE_NOT_UNDER_PARENT",
    );
    expect(codeOf(() => childDivisionCode("VILLAGE", "411099150000", "411099150"))).toBe("INVALID_INPUT");
  });
});

describe("GB/T 38565-2020 classification codes", () => {
  it("have 7 digits and a major class of 1, 2 or 3", () => {
    expect(classificationCode("1010101")).toBe("1010101");
    expect(classificationCode(" ")).toBeNull();
    for (const bad of ["4010101", "101010", "10101011", "1a10101"]) {
      expect(
        codeOf(() => classificationCode(bad)),
        bad,
      ).toBe("INVALID_INPUT");
    }
  });
});
