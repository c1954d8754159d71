import { type CalendarDate, daysBetween } from "../shared/calendar.js";
import { type Quantity, ZERO, add, sub } from "../shared/quantity.js";
import type { LotCondition } from "./lot.js";

/**
 * The one home of the named quantities (custody rule 2, docs/custody-rules.md). Every SQL statement that sums or
 * filters lots by them uses the fragments of src/db/repositories/lotPredicates.ts, which state the same rules;
 * test/predicates.test.ts holds the two together over every condition, expiry and allocation.
 */
export interface LotState {
  condition: LotCondition;
  expiresOn: string | null;
}

/**
 * Where a lot stands on a day, one answer per lot. Damaged is final (written off as damaged). Expiry is a fact
 * about the goods that no release from quarantine undoes, so a quarantined lot past its expiry is expired.
 * Serviceable stock unexpired on the day is usable: a lot that expires today is usable today, not tomorrow.
 */
export type LotStanding = "USABLE" | "QUARANTINED" | "EXPIRED" | "DAMAGED";

export const isPastExpiry = (lot: LotState, asOf: CalendarDate): boolean =>
  lot.expiresOn !== null && lot.expiresOn < asOf;

export function standingOn(lot: LotState, asOf: CalendarDate): LotStanding {
  if (lot.condition === "DAMAGED") return "DAMAGED";
  if (lot.condition === "EXPIRED" || isPastExpiry(lot, asOf)) return "EXPIRED";
  if (lot.condition === "QUARANTINED") return "QUARANTINED";
  return "USABLE";
}

/** May stock of this lot be issued, allocated or rotated on `asOf`: serviceable and unexpired that day. */
export const isIssuable = (lot: LotState, asOf: CalendarDate): boolean => standingOn(lot, asOf) === "USABLE";

/** Usable today and expiring within `days` (a lot expiring today has 0 days left). */
export const expiresWithin = (lot: LotState, asOf: CalendarDate, days: number): boolean =>
  isIssuable(lot, asOf) && lot.expiresOn !== null && daysBetween(asOf, lot.expiresOn as CalendarDate) <= days;

/** A lot's balances. */
export interface LotBalance {
  onHand: Quantity;
  allocated: Quantity;
}

/** Free stock of a lot: on hand minus what requisitions hold, whatever its condition. */
export const unallocatedOf = (lot: LotBalance): Quantity => sub(lot.onHand, lot.allocated);

/** What of a lot can be taken today: its free stock if it is usable, else nothing. */
export const availableOf = (lot: LotState & LotBalance, asOf: CalendarDate): Quantity =>
  isIssuable(lot, asOf) ? unallocatedOf(lot) : ZERO;

/**
 * The named quantities of some lots on a day, a partition of on hand: allocated is what requisitions hold,
 * whatever has become of the lot since; the free rest of each lot counts once, by its standing.
 * onHand = usable + allocated + quarantined + damaged + expired.
 */
export interface NamedQuantities {
  onHand: Quantity;
  allocated: Quantity;
  usable: Quantity;
  quarantined: Quantity;
  damaged: Quantity;
  expired: Quantity;
}

const STANDING_FIELD: Record<LotStanding, keyof NamedQuantities> = {
  USABLE: "usable",
  QUARANTINED: "quarantined",
  DAMAGED: "damaged",
  EXPIRED: "expired",
};

export function namedQuantities(
  lots: readonly (LotState & LotBalance)[],
  asOf: CalendarDate,
): NamedQuantities {
  const q: NamedQuantities = {
    onHand: ZERO,
    allocated: ZERO,
    usable: ZERO,
    quarantined: ZERO,
    damaged: ZERO,
    expired: ZERO,
  };
  for (const lot of lots) {
    const field = STANDING_FIELD[standingOn(lot, asOf)];
    q.onHand = add(q.onHand, lot.onHand);
    q.allocated = add(q.allocated, lot.allocated);
    q[field] = add(q[field], unallocatedOf(lot));
  }
  return q;
}
