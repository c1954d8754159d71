import { DomainError } from "../shared/errors.js";
import { type Quantity, sub, sum } from "../shared/quantity.js";
import type { LedgerPoint } from "./ledger.js";

export interface SnapshotLine {
  lotId: number;
}

export interface CountedLine {
  lotId: number;
  counted: Quantity;
  /** When the lot was counted: when it was entered, or earlier for a paper count entered later. */
  countedAt: Date;
}

export interface Adjustment {
  lotId: number;
  /** counted − book at the instant of the count. */
  delta: Quantity;
  countedAt: Date;
  /** Position of the count in the input, for refusals about it. */
  index: number;
}

/**
 * The lot's book quantity at an instant: every ledger line dated up to it. Movements during a count (an emergency
 * does not wait for it) are on the book before or after the count, never in the difference, so none is booked twice.
 */
export function bookAt(ledger: readonly LedgerPoint[], at: Date): Quantity {
  return sum(ledger.filter((l) => l.occurredAt.getTime() <= at.getTime()).map((l) => l.quantity));
}

/**
 * The adjustment lines a submitted count produces, each against the lot's book at the instant it was counted (its
 * ledger without this count's own lines). Every snapshot lot must be counted exactly once, no lot outside the
 * snapshot may be (new stock is a receipt, not a count), and a count is made while the stock-take is open.
 */
export function countAdjustments(
  snapshot: readonly SnapshotLine[],
  counts: readonly CountedLine[],
  ledgers: ReadonlyMap<number, readonly LedgerPoint[]>,
  window: { startedAt: Date; now: Date },
): Adjustment[] {
  const inSnapshot = new Set(snapshot.map((l) => l.lotId));
  const seen = new Set<number>();
  const out: Adjustment[] = [];
  counts.forEach((c, index) => {
    const field = ["counts", String(index)];
    if (!inSnapshot.has(c.lotId))
      throw new DomainError("INVALID_INPUT", "this lot is not part of the stock-take", [...field, "lotId"]);
    if (seen.has(c.lotId))
      throw new DomainError("INVALID_INPUT", "this lot is counted twice", [...field, "lotId"]);
    seen.add(c.lotId);
    assertCountedWhileOpen(c.countedAt, window, [...field, "countedAt"]);
    const delta = sub(c.counted, bookAt(ledgers.get(c.lotId) ?? [], c.countedAt));
    if (delta !== 0n) out.push({ lotId: c.lotId, delta, countedAt: c.countedAt, index });
  });
  if (seen.size !== inSnapshot.size) {
    throw new DomainError(
      "INVALID_INPUT",
      `${inSnapshot.size - seen.size} lot(s) of the stock-take are not counted`,
      ["counts"],
    );
  }
  return out;
}

function assertCountedWhileOpen(at: Date, window: { startedAt: Date; now: Date }, field: string[]): void {
  if (Number.isNaN(at.getTime())) throw new DomainError("INVALID_INPUT", "not a valid time", field);
  if (at.getTime() < window.startedAt.getTime())
    throw new DomainError("INVALID_INPUT", "a count is made after its stock-take opened", field);
  if (at.getTime() > window.now.getTime() + 60_000)
    throw new DomainError("INVALID_INPUT", "a count cannot be dated in the future", field);
}
