import { DomainError } from "../shared/errors.js";
import { type Quantity, sub } from "../shared/quantity.js";

export interface SnapshotLine {
  lotId: number;
  /** Book quantity when the stock-take started. */
  bookQuantity: Quantity;
}

export interface Adjustment {
  lotId: number;
  /** counted − book-at-start: movements recorded while counting are already on the book and stay there. */
  delta: Quantity;
}

/**
 * The adjustment lines a submitted count produces. Every snapshot lot must be counted exactly once, and no lot
 * outside the snapshot may be (new stock is a receipt, not a count).
 */
export function countAdjustments(
  snapshot: readonly SnapshotLine[],
  counts: readonly { lotId: number; counted: Quantity }[],
): Adjustment[] {
  const book = new Map(snapshot.map((l) => [l.lotId, l.bookQuantity]));
  const seen = new Set<number>();
  const out: Adjustment[] = [];
  counts.forEach((c, i) => {
    const bookQuantity = book.get(c.lotId);
    if (bookQuantity === undefined) {
      throw new DomainError("INVALID_INPUT", "this lot is not part of the stock-take", [
        "counts",
        String(i),
        "lotId",
      ]);
    }
    if (seen.has(c.lotId)) {
      throw new DomainError("INVALID_INPUT", "this lot is counted twice", ["counts", String(i), "lotId"]);
    }
    seen.add(c.lotId);
    const delta = sub(c.counted, bookQuantity);
    if (delta !== 0n) out.push({ lotId: c.lotId, delta });
  });
  if (seen.size !== book.size) {
    throw new DomainError(
      "INVALID_INPUT",
      `${book.size - seen.size} lot(s) of the stock-take are not counted`,
      ["counts"],
    );
  }
  return out;
}
