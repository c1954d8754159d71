import { addDays, type CalendarDate, dateInZone, instantOn } from "../shared/calendar.js";
import { DomainError } from "../shared/errors.js";
import { add, type Quantity, sub, ZERO } from "../shared/quantity.js";

/**
 * Agreement call-ups (协议储备调用): the county calls on a distributor to deliver part of what an agreement keeps
 * ready. These are the rules; src/db/repositories/callUpPredicates.ts says the same "called" in SQL.
 */

/** What one call-up line asks for and what has arrived of it so far. */
export interface CallUpLineFacts {
  itemId: number;
  quantity: Quantity;
  delivered: Quantity;
}

export interface CallUpFacts {
  dueAt: Date;
  closedAt: Date | null;
  cancelledAt: Date | null;
}

export const CALL_UP_STATUSES = ["OPEN", "DELIVERED", "CANCELLED"] as const;
export type CallUpStatus = (typeof CALL_UP_STATUSES)[number];

export const outstandingOf = (line: CallUpLineFacts): Quantity => sub(line.quantity, line.delivered);

/**
 * What a line takes out of its agreement: what arrived, and what is still to come unless the call-up was
 * cancelled (a cancellation gives the outstanding quantity back to the agreement, never what was delivered).
 */
export const calledOf = (line: CallUpLineFacts, cancelled: boolean): Quantity =>
  cancelled ? line.delivered : line.quantity;

/** What an agreement line can still be called up for; never below zero (an agreement reduced after a call-up). */
export const remainingOf = (agreed: Quantity, called: Quantity): Quantity =>
  agreed > called ? sub(agreed, called) : ZERO;

export function callUpStatus(c: CallUpFacts): CallUpStatus {
  if (c.cancelledAt !== null) return "CANCELLED";
  return c.closedAt !== null ? "DELIVERED" : "OPEN";
}

/** Late: still open and past its due instant. */
export const isLate = (c: CallUpFacts, at: Date): boolean =>
  callUpStatus(c) === "OPEN" && c.dueAt.getTime() < at.getTime();

/** The distributor delivers within the agreement's lead hours of the call-up. */
export const dueAtOf = (calledAt: Date, leadHours: number): Date =>
  new Date(calledAt.getTime() + leadHours * 3_600_000);

/** The instant readiness judges lateness at: now on today, the end of any other day asked about. */
export const judgedAt = (asOf: CalendarDate, now: Date): Date =>
  asOf === dateInZone(now) ? now : instantOn(addDays(asOf, 1));

/** "DY-2026-0007": 调用 by the year (in the county's zone) and the county's running number within it. */
export const callUpNumber = (year: string, sequence: number): string =>
  `${CALL_UP_NUMBER_PREFIX}-${year}-${String(sequence).padStart(4, "0")}`;
export const CALL_UP_NUMBER_PREFIX = "DY";

export interface AgreementTerms {
  validFrom: string;
  validUntil: string;
  endedAt: Date | null;
}

/** An agreement can be called on only while in force: begun, not past its last day, not ended early. */
export function assertInForce(a: AgreementTerms, today: CalendarDate): void {
  if (a.endedAt !== null)
    throw new DomainError("AGREEMENT_NOT_IN_FORCE", "the agreement has ended", ["agreementId"]);
  if (today < a.validFrom || today > a.validUntil)
    throw new DomainError("AGREEMENT_NOT_IN_FORCE", `the agreement is not valid on ${today}`, [
      "agreementId",
    ]);
}

export interface RequestedLine {
  itemId: number;
  quantity: Quantity;
}

/**
 * Each asked item is in the agreement and asked once, and what is asked fits in what remains of it: the agreed
 * quantity less everything called on earlier call-ups (`calledOf`).
 */
export function assertCallable(
  lines: readonly RequestedLine[],
  agreed: ReadonlyMap<number, Quantity>,
  called: ReadonlyMap<number, Quantity>,
): void {
  if (lines.length === 0)
    throw new DomainError("INVALID_INPUT", "a call-up names at least one item", ["lines"]);
  const seen = new Set<number>();
  lines.forEach((l, i) => {
    const field = ["lines", String(i)];
    if (seen.has(l.itemId)) throw new DomainError("INVALID_INPUT", "each item appears once", field);
    seen.add(l.itemId);
    const agreedQuantity = agreed.get(l.itemId);
    if (agreedQuantity === undefined)
      throw new DomainError("NOT_IN_AGREEMENT", "the agreement does not cover this item", [
        ...field,
        "itemId",
      ]);
    const remaining = remainingOf(agreedQuantity, called.get(l.itemId) ?? ZERO);
    if (l.quantity > remaining)
      throw new DomainError("AGREEMENT_EXCEEDED", "more than the agreement has left to call up", [
        ...field,
        "quantity",
      ]);
  });
}

/**
 * A delivery against an open call-up: each item of the call-up at most once, never more than is outstanding.
 * Answers every line's delivered quantity afterwards, and whether the call-up is then delivered in full.
 */
export function planDelivery(
  callUp: readonly CallUpLineFacts[],
  delivered: readonly RequestedLine[],
): { lines: CallUpLineFacts[]; complete: boolean } {
  if (delivered.length === 0)
    throw new DomainError("INVALID_INPUT", "a delivery names at least one item", ["lines"]);
  const after = new Map(callUp.map((l) => [l.itemId, { ...l }]));
  const seen = new Set<number>();
  delivered.forEach((d, i) => {
    const field = ["lines", String(i)];
    const line = after.get(d.itemId);
    if (!line || seen.has(d.itemId))
      throw new DomainError("INVALID_INPUT", "an item of the call-up, each once", [...field, "itemId"]);
    seen.add(d.itemId);
    if (d.quantity > outstandingOf(line))
      throw new DomainError("CALL_UP_OVER_DELIVERY", "more than is outstanding on the call-up", [
        ...field,
        "quantity",
      ]);
    line.delivered = add(line.delivered, d.quantity);
  });
  const lines = [...after.values()];
  return { lines, complete: lines.every((l) => outstandingOf(l) === ZERO) };
}
