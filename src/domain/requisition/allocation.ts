import type { CalendarDate } from "../shared/calendar.js";
import { DomainError } from "../shared/errors.js";
import { type Quantity, add, formatQuantity, min, sub } from "../shared/quantity.js";
import { availableOf } from "../stock/availability.js";
import { type CandidateLot, fefoOrder } from "../stock/fefo.js";

export interface LenderLot extends CandidateLot {
  depotId: number;
  itemId: number;
  /** Travel minutes from the lot's depot to the destination; null when unknown (sorted last). */
  distance: number | null;
}

export interface LineToFill {
  lineId: number;
  itemId: number;
  quantity: Quantity;
}

export interface Allocation {
  lineId: number;
  lotId: number;
  depotId: number;
  quantity: Quantity;
}

/** Nearest depot first, then first-expiry-first-out within it. */
export function lenderOrder(a: LenderLot, b: LenderLot): number {
  const da = a.distance ?? Number.POSITIVE_INFINITY;
  const db = b.distance ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da - db;
  if (a.depotId !== b.depotId) return a.depotId - b.depotId;
  return fefoOrder(a, b);
}

export interface AllocationResult {
  allocations: Allocation[];
  /** True when the lines could be filled only by going below some depot's reserve floor. */
  dipsIntoFloor: boolean;
}

/**
 * Chooses the lots that will travel, all or nothing. Usable stock only (serviceable, unexpired, not held by
 * another request). Each depot keeps its reserve floor unless `mayDipIntoFloor`; if the lines fit only by dipping,
 * the result says so and allocates nothing, so the caller can ask the county.
 */
export function allocate(
  lines: readonly LineToFill[],
  lots: readonly LenderLot[],
  floors: ReadonlyMap<string, Quantity>,
  asOf: CalendarDate,
  mayDipIntoFloor: boolean,
): AllocationResult {
  const attempt = (dip: boolean): Allocation[] | null => {
    // usable left above the floor, per depot and item, shared by every line of the request
    const headroom = new Map<string, Quantity>();
    for (const lot of lots) {
      const key = `${lot.depotId}:${lot.itemId}`;
      headroom.set(key, add(headroom.get(key) ?? (0n as Quantity), availableOf(lot, asOf)));
    }
    if (!dip)
      for (const [key, usable] of headroom)
        headroom.set(key, sub(usable, floors.get(key) ?? (0n as Quantity)));
    const taken = new Map<number, Quantity>();
    const out: Allocation[] = [];
    for (const line of lines) {
      let remaining = line.quantity;
      for (const lot of lots.filter((l) => l.itemId === line.itemId).sort(lenderOrder)) {
        if (remaining <= 0n) break;
        const key = `${lot.depotId}:${lot.itemId}`;
        const free = sub(availableOf(lot, asOf), taken.get(lot.id) ?? (0n as Quantity));
        const take = min(min(free, headroom.get(key) ?? (0n as Quantity)), remaining);
        if (take <= 0n) continue;
        out.push({ lineId: line.lineId, lotId: lot.id, depotId: lot.depotId, quantity: take });
        taken.set(lot.id, add(taken.get(lot.id) ?? (0n as Quantity), take));
        headroom.set(key, sub(headroom.get(key)!, take));
        remaining = sub(remaining, take);
      }
      if (remaining > 0n) return null;
    }
    return out;
  };
  const aboveFloor = attempt(false);
  if (aboveFloor) return { allocations: aboveFloor, dipsIntoFloor: false };
  const withFloor = attempt(true);
  if (!withFloor) {
    const short = lines.map((l) => `${formatQuantity(l.quantity)} of item ${l.itemId}`).join(", ");
    throw new DomainError("INSUFFICIENT_STOCK", `the lender does not hold ${short} in usable stock`, [
      "lines",
    ]);
  }
  return mayDipIntoFloor
    ? { allocations: withFloor, dipsIntoFloor: true }
    : { allocations: [], dipsIntoFloor: true };
}

/** The same item twice in one request is one line: requested quantities add up, never over-allocate. */
export function mergeLines<T extends { itemId: number; quantity: Quantity }>(lines: readonly T[]): T[] {
  const merged = new Map<number, T>();
  for (const l of lines) {
    const seen = merged.get(l.itemId);
    merged.set(l.itemId, seen ? { ...seen, quantity: add(seen.quantity, l.quantity) } : { ...l });
  }
  return [...merged.values()];
}
