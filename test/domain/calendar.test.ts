import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dateInZone } from "../../src/domain/shared/calendar.js";

// the answer a formatter made afresh gives, without anything remembered
const fresh = (instant: Date) =>
  new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(instant);

describe("dateInZone", () => {
  it("gives the service's day on either side of midnight in Shanghai, to the millisecond", () => {
    // 2026-12-04 00:00 in Shanghai is 2026-12-03 16:00 UTC
    const midnight = Date.UTC(2026, 11, 3, 16, 0, 0);
    expect(dateInZone(new Date(midnight - 1))).toBe("2026-12-03");
    expect(dateInZone(new Date(midnight))).toBe("2026-12-04");
    expect(dateInZone(new Date(midnight - 1))).toBe("2026-12-03");
    expect(dateInZone(new Date(midnight + 59_999))).toBe("2026-12-04");
  });

  it("agrees with a fresh formatter over any sequence of instants, near one another or not", () => {
    const near = Date.UTC(2026, 11, 3, 16, 0, 0);
    const instant = fc.oneof(
      fc.integer({ min: near - 180_000, max: near + 180_000 }),
      fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }),
    );
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 20 }), (instants) => {
        for (const t of instants) expect(dateInZone(new Date(t))).toBe(fresh(new Date(t)));
      }),
      { numRuns: 300 },
    );
  });
});
