import { describe, expect, it } from "vitest";
import {
  assertCallable,
  assertInForce,
  calledOf,
  callUpNumber,
  callUpStatus,
  isLate,
  judgedAt,
  planDelivery,
  remainingOf,
} from "../../src/domain/agreement/callUp.js";
import type { CalendarDate } from "../../src/domain/shared/calendar.js";
import { parseQuantity, type Quantity } from "../../src/domain/shared/quantity.js";

const q = (text: string): Quantity => parseQuantity(text, 3, ["q"], { allowZero: true });
const line = (quantity: string, delivered: string) => ({
  itemId: 1,
  quantity: q(quantity),
  delivered: q(delivered),
});
const due = new Date("2026-11-24T10:00:00Z");
const open = { dueAt: due, closedAt: null, cancelledAt: null };

describe("what a call-up takes out of its agreement", () => {
  it.each([
    ["open, nothing delivered", line("120", "0"), false, "120"],
    ["open, part delivered", line("120", "50"), false, "120"],
    ["delivered in full", line("120", "120"), false, "120"],
    ["cancelled after part of it came", line("120", "40"), true, "40"],
    ["cancelled before anything came", line("120", "0"), true, "0"],
  ])("%s", (_name, l, cancelled, called) => {
    expect(calledOf(l, cancelled)).toBe(q(called));
  });

  it("remaining never drops below zero (an agreement reduced after a call-up)", () => {
    expect(remainingOf(q("300"), q("120"))).toBe(q("180"));
    expect(remainingOf(q("100"), q("120"))).toBe(q("0"));
  });

  it("refuses more than what remains, an item outside the agreement and an item asked twice", () => {
    const agreed = new Map([[1, q("300")]]);
    const called = new Map([[1, q("200")]]);
    expect(() => assertCallable([{ itemId: 1, quantity: q("100") }], agreed, called)).not.toThrow();
    expect(() => assertCallable([{ itemId: 1, quantity: q("101") }], agreed, called)).toThrow(
      expect.objectContaining({ code: "AGREEMENT_EXCEEDED" }),
    );
    expect(() => assertCallable([{ itemId: 2, quantity: q("1") }], agreed, called)).toThrow(
      expect.objectContaining({ code: "NOT_IN_AGREEMENT" }),
    );
    const twice = [
      { itemId: 1, quantity: q("1") },
      { itemId: 1, quantity: q("1") },
    ];
    expect(() => assertCallable(twice, agreed, called)).toThrow(
      expect.objectContaining({ code: "INVALID_INPUT" }),
    );
  });
});

describe("deliveries, status and lateness", () => {
  it("a delivery completes the call-up only when every line is in full, and never exceeds outstanding", () => {
    const lines = [line("120", "50"), { ...line("10", "0"), itemId: 2 }];
    expect(planDelivery(lines, [{ itemId: 1, quantity: q("70") }]).complete).toBe(false);
    expect(
      planDelivery(lines, [
        { itemId: 1, quantity: q("70") },
        { itemId: 2, quantity: q("10") },
      ]).complete,
    ).toBe(true);
    expect(() => planDelivery(lines, [{ itemId: 1, quantity: q("71") }])).toThrow(
      expect.objectContaining({ code: "CALL_UP_OVER_DELIVERY" }),
    );
  });

  it("is late only while open and past due; readiness judges today at now and other days at their end", () => {
    expect(isLate(open, new Date("2026-11-24T10:00:00Z"))).toBe(false);
    expect(isLate(open, new Date("2026-11-24T10:00:01Z"))).toBe(true);
    expect(isLate({ ...open, closedAt: due }, new Date("2026-11-25T00:00:00Z"))).toBe(false);
    expect(callUpStatus({ ...open, cancelledAt: due })).toBe("CANCELLED");
    const now = new Date("2026-11-24T02:00:00Z");
    expect(judgedAt("2026-11-24" as CalendarDate, now)).toBe(now);
    expect(judgedAt("2026-11-25" as CalendarDate, now)).toEqual(new Date("2026-11-25T16:00:00Z"));
  });

  it("an agreement is called on only while in force", () => {
    const terms = { validFrom: "2026-01-01", validUntil: "2026-12-31", endedAt: null };
    expect(() => assertInForce(terms, "2026-12-31" as CalendarDate)).not.toThrow();
    for (const [t, day] of [
      [terms, "2027-01-01"],
      [terms, "2025-12-31"],
      [{ ...terms, endedAt: due }, "2026-11-25"],
    ] as const)
      expect(() => assertInForce(t, day as CalendarDate)).toThrow(
        expect.objectContaining({ code: "AGREEMENT_NOT_IN_FORCE" }),
      );
  });

  it("numbers read DY-year-running number", () => {
    expect(callUpNumber("2026", 7)).toBe("DY-2026-0007");
  });
});
