import type { CalendarDate } from "../../domain/shared/calendar.js";
import { DomainError } from "../../domain/shared/errors.js";
import { formatQuantity, type Quantity, ZERO } from "../../domain/shared/quantity.js";
import { isIssuable } from "../../domain/stock/availability.js";
import { type CandidateLot, insufficientStock, type Pick } from "../../domain/stock/fefo.js";
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
  /** Under a declared emergency an issue may cross the reserve floor (rule 3); nothing else changes. */
  mayDipIntoFloor?: boolean | undefined;
  /** The depot-item figures (their reserve floor), when the caller asked for them already (`floorOf`). */
  level?: Promise<StockLevelRow | null> | undefined;
}

type StockLevelRow = Awaited<ReturnType<typeof stockLevels.findStockLevel>>;

/**
 * The depot-item figures, asked for now and awaited by `pickUsable`: sent beside the custody check's depot read, the
 * two statements share one round trip. A refusal before the pick leaves the answer unread, never unhandled.
 */
export function floorOf(tx: Executor, depot: CountyKey, itemId: number): Promise<StockLevelRow | null> {
  const level = stockLevels.findStockLevel(tx, depot, itemId);
  level.catch(() => {});
  return level;
}

/**
 * Locks the depot's lots of the item and picks what leaves: never expired, quarantined, damaged or allocated stock,
 * never below the reserve floor (rules 2 and 3). Shared by every ordinary way stock leaves a depot. The pick is
 * worked out in the statement that locks (`pickDepotItemLots`), so only the lots that give are read; `lots` are
 * those lots as locked.
 */
export async function pickUsable(
  tx: Executor,
  r: PickRequest,
): Promise<{ lots: lotReads.LotRow[]; picks: Pick[] }> {
  // the floor is a setting, not stock: read before the lots are locked, so the lock is held for less
  const level = await (r.level ?? stockLevels.findStockLevel(tx, r.depot, r.itemId));
  const found = await lotWrites.pickDepotItemLots(tx, r.depot, r.itemId, r.quantity, r.today, r.lotId);
  const picks =
    r.lotId !== null ? [pickNamedLot(found.lots[0], r.quantity, r.today)] : fefoPicks(found, r.quantity);
  if (r.changeFromQuantity != null) {
    const current = r.lotId !== null ? found.lots[0]!.lot.onHand : found.onHand;
    assertUnchanged(r.changeFromQuantity, current, r.scale);
  }
  assertAboveFloor(found.usable, r.quantity, level?.reserveFloor ?? ZERO, {
    mayDipIntoFloor: r.mayDipIntoFloor ?? false,
  });
  return { lots: found.lots.map((p) => p.lot), picks };
}

/** All or nothing, as `pickFefo`: the statement stops at the quantity, so a shortfall shows only in the total. */
function fefoPicks(found: lotWrites.DepotItemPick, quantity: Quantity): Pick[] {
  if (found.usable < quantity) throw insufficientStock(found.usable, quantity);
  return found.lots.map((p) => ({ lotId: p.lot.id, quantity: p.taken }));
}

function pickNamedLot(
  picked: lotWrites.PickedLot | undefined,
  quantity: Quantity,
  today: CalendarDate,
): Pick {
  if (!picked) throw new DomainError("NOT_FOUND", "no such lot of this item at this depot", ["lotId"]);
  const { lot, available } = picked;
  if (!isIssuable(lot, today)) {
    throw new DomainError(
      "LOT_NOT_ISSUABLE",
      `the lot is ${lot.condition === "SERVICEABLE" ? "expired" : lot.condition.toLowerCase()}`,
      ["lotId"],
    );
  }
  if (quantity > available) {
    throw new DomainError("INSUFFICIENT_STOCK", `only ${formatQuantity(available)} of the lot is usable`, [
      "quantity",
    ]);
  }
  return { lotId: lot.id, quantity };
}
