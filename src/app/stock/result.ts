import type { Executor } from "../../db/client.js";
import type * as lotReads from "../../db/repositories/lots.js";
import * as lotWrites from "../../db/repositories/lots.writes.js";
import type * as movementReads from "../../db/repositories/movements.js";
import { add } from "../../domain/shared/quantity.js";

/** What a stock command changed: its ledger lines and the lots as they stand after them. */
export interface StockChange {
  movements: movementReads.MovementRow[];
  lots: lotReads.LotRow[];
}

export async function stockChange(
  tx: Executor,
  movements: movementReads.MovementRow[],
): Promise<StockChange> {
  const keys = [...new Map(movements.map((m) => [m.lotId, { countyId: m.countyId, id: m.lotId }])).values()];
  return { movements, lots: keys.length ? await lotWrites.lockLots(tx, keys) : [] };
}

/**
 * The same answer for lots this transaction has held locked since it read them: their on-hand moved by exactly
 * the lines written, so the rows are derived instead of read again inside the lock.
 */
export function lockedStockChange(
  locked: lotReads.LotRow[],
  movements: movementReads.MovementRow[],
): StockChange {
  const byId = new Map(locked.map((l) => [l.id, l]));
  const after = new Map<number, lotReads.LotRow>();
  for (const m of movements) {
    const lot = after.get(m.lotId) ?? byId.get(m.lotId);
    if (!lot) throw new Error(`lot ${m.lotId} was not locked by this command`);
    after.set(m.lotId, { ...lot, onHand: add(lot.onHand, m.quantity) });
  }
  return { movements, lots: [...after.values()].sort((a, b) => a.id - b.id) };
}
