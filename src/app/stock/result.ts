import type { Executor } from "../../db/client.js";
import * as stock from "../../db/repositories/stock.js";
import { add, formatQuantity, fromDb } from "../../domain/shared/quantity.js";

/** What a stock command changed: its ledger lines and the lots as they stand after them. */
export interface StockChange {
  movements: stock.MovementRow[];
  lots: stock.LotRow[];
}

export async function stockChange(tx: Executor, movements: stock.MovementRow[]): Promise<StockChange> {
  const keys = [...new Map(movements.map((m) => [m.lotId, { countyId: m.countyId, id: m.lotId }])).values()];
  return { movements, lots: keys.length ? await stock.lockLots(tx, keys) : [] };
}

/**
 * The same answer for lots this transaction has held locked since it read them: their on-hand moved by exactly
 * the lines written, so the rows are derived instead of read again inside the lock.
 */
export function lockedStockChange(locked: stock.LotRow[], movements: stock.MovementRow[]): StockChange {
  const byId = new Map(locked.map((l) => [l.id, l]));
  const after = new Map<number, stock.LotRow>();
  for (const m of movements) {
    const lot = after.get(m.lotId) ?? byId.get(m.lotId);
    if (!lot) throw new Error(`lot ${m.lotId} was not locked by this command`);
    after.set(m.lotId, { ...lot, onHand: formatQuantity(add(fromDb(lot.onHand), fromDb(m.quantity))) });
  }
  return { movements, lots: [...after.values()].sort((a, b) => a.id - b.id) };
}
