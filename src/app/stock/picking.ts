import type { CalendarDate } from "../../domain/shared/calendar.js";
import { DomainError } from "../../domain/shared/errors.js";
import { formatQuantity, type Quantity, sum, ZERO } from "../../domain/shared/quantity.js";
import { availableOf, isIssuable } from "../../domain/stock/availability.js";
import { type CandidateLot, type Pick, pickFefo } from "../../domain/stock/fefo.js";
import { assertAboveFloor } from "../../domain/stock/floor.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import type * as lotReads from "../../db/repositories/lots.js";
import * as lotWrites from "../../db/repositories/lots.writes.js";
import * as stockLevels from "../../db/repositories/stockLevels.js";
import { assertUnchanged } from "./shared.js";

export const toCandidate = (l: lotReads.LotRow): CandidateLot => ({
  id: l.id,
  condition: l.condition,
  expiresOn: l.expiresOn,
  receivedOn: l.receivedOn,
  onHand: l.onHand,
  allocated: l.allocated,
});

export interface PickRequest {
  depot: CountyKey;
  itemId: number;
  /** Take from this lot; otherwise first-expiry-first-out across the depot's usable lots. */
  lotId: number | null;
  quantity: Quantity;
  today: CalendarDate;
  changeFromQuantity?: string | null | undefined;
  scale: number;
}

/**
 * Locks the depot's lots of the item and picks what leaves: never expired, quarantined, damaged or allocated stock,
 * never below the reserve floor (rules 2 and 3). Shared by every ordinary way stock leaves a depot.
 */
export async function pickUsable(
  tx: Executor,
  r: PickRequest,
): Promise<{ locked: lotReads.LotRow[]; picks: Pick[] }> {
  // the floor is a setting, not stock: read before the lots are locked, so the lock is held for less
  const level = await stockLevels.findStockLevel(tx, r.depot, r.itemId);
  const locked = await lotWrites.lockDepotItemLots(tx, r.depot, r.itemId, r.lotId);
  const lots = locked.map(toCandidate);
  const picks =
    r.lotId !== null
      ? [pickNamedLot(lots, r.lotId, r.quantity, r.today)]
      : pickFefo(lots, r.quantity, r.today);
  if (r.changeFromQuantity != null) {
    const current =
      r.lotId !== null ? lots.find((l) => l.id === r.lotId)!.onHand : sum(lots.map((l) => l.onHand));
    assertUnchanged(r.changeFromQuantity, current, r.scale);
  }
  assertAboveFloor(sum(lots.map((l) => availableOf(l, r.today))), r.quantity, level?.reserveFloor ?? ZERO);
  return { locked, picks };
}

function pickNamedLot(lots: CandidateLot[], lotId: number, quantity: Quantity, today: CalendarDate): Pick {
  const lot = lots.find((l) => l.id === lotId);
  if (!lot) throw new DomainError("NOT_FOUND", "no such lot of this item at this depot", ["lotId"]);
  if (!isIssuable(lot, today)) {
    throw new DomainError(
      "LOT_NOT_ISSUABLE",
      `the lot is ${lot.condition === "SERVICEABLE" ? "expired" : lot.condition.toLowerCase()}`,
      ["lotId"],
    );
  }
  const available = availableOf(lot, today);
  if (quantity > available) {
    throw new DomainError("INSUFFICIENT_STOCK", `only ${formatQuantity(available)} of the lot is usable`, [
      "quantity",
    ]);
  }
  return { lotId: lot.id, quantity };
}
