import type { CalendarDate } from "../shared/calendar.js";
import { DomainError } from "../shared/errors.js";
import { type Quantity, formatQuantity, min, sub } from "../shared/quantity.js";
import { availableOf } from "./availability.js";
import type { LotCondition } from "./lot.js";

export interface CandidateLot {
  id: number;
  condition: LotCondition;
  expiresOn: string | null;
  receivedOn: string;
  onHand: Quantity;
  allocated: Quantity;
}

export interface Pick {
  lotId: number;
  quantity: Quantity;
}

/** First-expiry-first-out: earliest expiry first, lots that never expire last, then oldest receipt, then id. */
export function fefoOrder(a: CandidateLot, b: CandidateLot): number {
  if (a.expiresOn !== b.expiresOn) {
    if (a.expiresOn === null) return 1;
    if (b.expiresOn === null) return -1;
    return a.expiresOn < b.expiresOn ? -1 : 1;
  }
  if (a.receivedOn !== b.receivedOn) return a.receivedOn < b.receivedOn ? -1 : 1;
  return a.id - b.id;
}

/**
 * Takes `wanted` from the lots, first-expiry-first-out, never from expired, quarantined, damaged or allocated
 * stock. All or nothing: a shortfall is INSUFFICIENT_STOCK and nothing is picked. The specification of the pick
 * an issue and a transfer work out in the statement that locks the lots (`pickDepotItemLots`,
 * src/db/repositories/lots.writes.ts); test/fefoPick.test.ts holds the two equal.
 */
export function pickFefo(lots: readonly CandidateLot[], wanted: Quantity, asOf: CalendarDate): Pick[] {
  const picks: Pick[] = [];
  let remaining = wanted;
  for (const lot of [...lots].sort(fefoOrder)) {
    if (remaining <= 0n) break;
    const available = availableOf(lot, asOf);
    if (available <= 0n) continue;
    const take = min(available, remaining);
    picks.push({ lotId: lot.id, quantity: take });
    remaining = sub(remaining, take);
  }
  if (remaining > 0n) throw insufficientStock(sub(wanted, remaining), wanted);
  return picks;
}

/** The refusal of a pick that finds less usable stock than asked, wherever the pick is worked out. */
export const insufficientStock = (have: Quantity, wanted: Quantity): DomainError =>
  new DomainError(
    "INSUFFICIENT_STOCK",
    `only ${formatQuantity(have)} usable, ${formatQuantity(wanted)} asked`,
    ["quantity"],
  );
