import type { CalendarDate } from "../shared/calendar.js";
import { DomainError } from "../shared/errors.js";
import { type Quantity, add, formatQuantity, min, sub } from "../shared/quantity.js";
import { availableOf } from "../stock/availability.js";
import { type CandidateLot, fefoOrder } from "../stock/fefo.js";
import { type DepotItemKey, depotItemKey } from "../shared/keys.js";

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
  /** Of `quantity`, what came from below the depot's reserve floor (only a county-approved emergency). */
  floorUsed: Quantity;
}

export const ALLOCATION_STATUSES = ["HELD", "IN_TRANSIT", "RECEIVED", "RELEASED", "RECALLED"] as const;
export type AllocationStatus = (typeof ALLOCATION_STATUSES)[number];

/**
 * Where an allocation stands, from the three facts recorded on it: accepted on arrival is received; let go before
 * dispatch is released, after it recalled; dispatched and not let go is in transit; otherwise the stock is held.
 */
export function allocationStatusOf(a: {
  accepted: boolean;
  released: boolean;
  dispatched: boolean;
}): AllocationStatus {
  if (a.accepted) return "RECEIVED";
  if (a.released) return a.dispatched ? "RECALLED" : "RELEASED";
  return a.dispatched ? "IN_TRANSIT" : "HELD";
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

const ZERO_Q = 0n as Quantity;

/**
 * Chooses the lots that will travel, all or nothing. Usable stock only (serviceable, unexpired, not held by
 * another request). Each depot keeps its reserve floor unless `mayDipIntoFloor`; if the lines fit only by dipping,
 * the result says so and allocates nothing, so the caller can ask the county. `steps` gives each item's smallest
 * unit (a whole piece, a kilogram), so a share of the floor is never a fraction of a tent.
 */
export function allocate(
  lines: readonly LineToFill[],
  lots: readonly LenderLot[],
  floors: ReadonlyMap<DepotItemKey, Quantity>,
  asOf: CalendarDate,
  mayDipIntoFloor: boolean,
  steps: ReadonlyMap<number, Quantity> = new Map(),
): AllocationResult {
  const pool = new AllocationPool(lots, floors, asOf);
  const shortfalls = lines.map((line) => pool.takeAboveFloors(line));
  if (shortfalls.every((s) => s <= 0n)) return { allocations: pool.result(), dipsIntoFloor: false };
  lines.forEach((line, i) => {
    if (shortfalls[i]! > pool.belowFloors(line.itemId)) {
      const short = lines.map((l) => `${formatQuantity(l.quantity)} of item ${l.itemId}`).join(", ");
      throw new DomainError("INSUFFICIENT_STOCK", `the lender does not hold ${short} in usable stock`, [
        "lines",
      ]);
    }
    pool.takeBelowFloors(line, shortfalls[i]!, steps.get(line.itemId) ?? (1n as Quantity));
  });
  return mayDipIntoFloor
    ? { allocations: pool.result(), dipsIntoFloor: true }
    : { allocations: [], dipsIntoFloor: true };
}

/** What is left to take, per lot and per depot's headroom above its floor, shared by every line of the request. */
class AllocationPool {
  private readonly free = new Map<number, Quantity>();
  private readonly headroom = new Map<DepotItemKey, Quantity>();
  private readonly picks = new Map<string, Allocation>();
  private readonly ordered: LenderLot[];

  constructor(lots: readonly LenderLot[], floors: ReadonlyMap<DepotItemKey, Quantity>, asOf: CalendarDate) {
    this.ordered = [...lots].sort(lenderOrder);
    for (const lot of lots) {
      this.free.set(lot.id, availableOf(lot, asOf));
      const key = depotItemKey(lot);
      this.headroom.set(key, add(this.headroom.get(key) ?? ZERO_Q, availableOf(lot, asOf)));
    }
    for (const [key, usable] of this.headroom) this.headroom.set(key, sub(usable, floors.get(key) ?? ZERO_Q));
  }

  /** Rule 3, first pass: what lies above every depot's floor, nearest depot first. Returns what is still short. */
  takeAboveFloors(line: LineToFill): Quantity {
    let remaining = line.quantity;
    for (const lot of this.ordered) {
      if (remaining <= 0n) break;
      if (lot.itemId !== line.itemId) continue;
      const take = min(min(this.free.get(lot.id)!, this.headroom.get(depotItemKey(lot))!), remaining);
      if (take <= 0n) continue;
      this.take(line, lot, take, ZERO_Q);
      remaining = sub(remaining, take);
    }
    return remaining;
  }

  belowFloors(itemId: number): Quantity {
    return this.depotsOf(itemId).reduce((s, d) => add(s, d.left), ZERO_Q);
  }

  /**
   * Rule 3, second pass: the shortfall spread over the depots in proportion to what each still holds, so every
   * depot gives up the same share of its floor and none is emptied while another keeps all of its own.
   */
  takeBelowFloors(line: LineToFill, shortfall: Quantity, step: Quantity): void {
    const depots = this.depotsOf(line.itemId);
    const shares = spreadProportionally(
      depots.map((d) => d.left),
      shortfall,
      step,
    );
    depots.forEach((d, i) => {
      let remaining = shares[i]!;
      for (const lot of d.lots) {
        const take = min(this.free.get(lot.id)!, remaining);
        if (take <= 0n) continue;
        this.take(line, lot, take, take);
        remaining = sub(remaining, take);
      }
    });
  }

  result(): Allocation[] {
    return [...this.picks.values()];
  }

  private depotsOf(itemId: number): { left: Quantity; lots: LenderLot[] }[] {
    const byDepot = new Map<number, { left: Quantity; lots: LenderLot[] }>();
    for (const lot of this.ordered) {
      if (lot.itemId !== itemId) continue;
      const d = byDepot.get(lot.depotId) ?? { left: ZERO_Q, lots: [] };
      d.left = add(d.left, this.free.get(lot.id)!);
      d.lots.push(lot);
      byDepot.set(lot.depotId, d);
    }
    return [...byDepot.values()];
  }

  private take(line: LineToFill, lot: LenderLot, quantity: Quantity, floorUsed: Quantity): void {
    const key = `${line.lineId}:${lot.id}`;
    const seen = this.picks.get(key);
    this.picks.set(key, {
      lineId: line.lineId,
      lotId: lot.id,
      depotId: lot.depotId,
      quantity: add(seen?.quantity ?? ZERO_Q, quantity),
      floorUsed: add(seen?.floorUsed ?? ZERO_Q, floorUsed),
    });
    this.free.set(lot.id, sub(this.free.get(lot.id)!, quantity));
    const hk = depotItemKey(lot);
    this.headroom.set(hk, sub(this.headroom.get(hk)!, quantity));
  }
}

/**
 * Splits `total` over holders in proportion to what each holds, in whole `step`s; the steps left by rounding go to
 * the largest remainders (the nearer holder on a tie). Never more than a holder holds; `total` must fit.
 */
export function spreadProportionally(
  holdings: readonly Quantity[],
  total: Quantity,
  step: Quantity,
): Quantity[] {
  const held = holdings.reduce((s, h) => s + h, 0n);
  if (held === 0n || total <= 0n) return holdings.map(() => ZERO_Q);
  const exact = holdings.map((h) => total * h);
  const shares = exact.map((e, i) => {
    const whole = (e / held / step) * step;
    return whole > holdings[i]! ? holdings[i]! : whole;
  });
  let left = total - shares.reduce((s, x) => s + x, 0n);
  const byRemainder = holdings
    .map((_, i) => i)
    .sort((a, b) => {
      const ra = exact[a]! - shares[a]! * held;
      const rb = exact[b]! - shares[b]! * held;
      return ra === rb ? a - b : rb > ra ? 1 : -1;
    });
  while (left > 0n) {
    let moved = false;
    for (const i of byRemainder) {
      if (left <= 0n) break;
      const room = holdings[i]! - shares[i]!;
      const give = room < step ? room : step < left ? step : left;
      if (give <= 0n) continue;
      shares[i] = shares[i]! + give;
      left -= give;
      moved = true;
    }
    if (!moved) break;
  }
  return shares as Quantity[];
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
