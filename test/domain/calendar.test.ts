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
  it("gives the service's day on either side of midnight in Shanghai, to the millisecond, now and in 1900", () => {
    // 2026-12-04 00:00 in Shanghai is 2026-12-03 16:00 UTC
    const midnight = Date.UTC(2026, 11, 3, 16, 0, 0);
    expect(dateInZone(new Date(midnight - 1))).toBe("2026-12-03");
    expect(dateInZone(new Date(midnight))).toBe("2026-12-04");
    expect(dateInZone(new Date(midnight - 1))).toBe("2026-12-03");
    expect(dateInZone(new Date(midnight + 59_999))).toBe("2026-12-04");
    // before 1901 Shanghai kept local mean time, +8:05:43: its midnight fell 17 s into a UTC minute
    const lmtMidnight = Date.UTC(1900, 5, 1, 15, 54, 17);
    expect(dateInZone(new Date(lmtMidnight - 17_000))).toBe("1900-06-01");
    expect(dateInZone(new Date(lmtMidnight))).toBe("1900-06-02");
    expect(dateInZone(new Date(lmtMidnight - 1))).toBe("1900-06-01");
  });

  it("agrees with a fresh formatter over any sequence of instants, near one another or not", () => {
    const near = Date.UTC(2026, 11, 3, 16, 0, 0);
    const lmtMidnight = Date.UTC(1900, 5, 1, 15, 54, 17);
    const instant = fc.oneof(
      fc.integer({ min: near - 180_000, max: near + 180_000 }),
      fc.integer({ min: lmtMidnight - 120_000, max: lmtMidnight + 120_000 }),
      // the whole range an instant may take (INSTANT_RANGE)
      fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 11, 31) }),
    );
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 20 }), (instants) => {
        for (const t of instants) expect(dateInZone(new Date(t))).toBe(fresh(new Date(t)));
      }),
      { numRuns: 300 },
    );
  });
});
