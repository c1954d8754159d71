import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/shared/errors.js";
import { formatQuantity, fromDb, parseQuantity } from "../../src/domain/shared/quantity.js";

const refusal = (text: string, scale: number) => {
  try {
    parseQuantity(text, scale, ["quantity"]);
    return null;
  } catch (e) {
    return e instanceof DomainError ? { code: e.code, field: e.field } : e;
  }
};

describe("exact quantities", () => {
  it("keep tonnes to three decimals without float error", () => {
    const a = parseQuantity("0.1", 3);
    const b = parseQuantity("0.2", 3);
    expect(formatQuantity((a + b) as typeof a)).toBe("0.3");
    expect(formatQuantity(parseQuantity("12.500", 3))).toBe("12.5");
  });

  it.each([
    ["0", 0],
    ["-3", 0],
    ["1.5", 0],
    ["0.0001", 3],
    ["NaN", 3],
    ["1e3", 3],
    ["", 3],
    ["99999999999", 3],
  ])("refuse %s (scale %i) naming the field", (text, scale) => {
    expect(refusal(text, scale)).toEqual({ code: "INVALID_QUANTITY", field: ["quantity"] });
  });

  it("round-trip any valid quantity through text", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 1_000_000_000_000n }), (thousandths) => {
        const text = formatQuantity(thousandths as never);
        return parseQuantity(text, 3) === thousandths;
      }),
    );
  });
});

describe("fromDb", () => {
  it("reads numeric(18, 3) text, and what sums of them print, as parseQuantity reads it", () => {
    const numeric = fc
      .tuple(
        fc.boolean(),
        fc.bigInt({ min: 0n, max: 999_999_999n }),
        fc.option(fc.stringMatching(/^\d{1,3}$/), { nil: undefined }),
      )
      .map(
        ([negative, whole, frac]) => `${negative ? "-" : ""}${whole}${frac === undefined ? "" : `.${frac}`}`,
      );
    fc.assert(
      fc.property(numeric, (text) => {
        expect(fromDb(text)).toBe(parseQuantity(text, 3, ["db"], { allowZero: true, allowNegative: true }));
      }),
      { numRuns: 2000 },
    );
    expect(fromDb("-0.500")).toBe(-500n);
    expect(fromDb("12.5")).toBe(12_500n);
  });
});
