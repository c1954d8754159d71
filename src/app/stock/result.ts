import type { Executor } from "../../db/client.js";
import * as stock from "../../db/repositories/stock.js";

/** What a stock command changed: its ledger lines and the lots as they stand after them. */
export interface StockChange {
  movements: stock.MovementRow[];
  lots: stock.LotRow[];
}

export async function stockChange(tx: Executor, movements: stock.MovementRow[]): Promise<StockChange> {
  const keys = [...new Map(movements.map((m) => [m.lotId, { countyId: m.countyId, id: m.lotId }])).values()];
  return { movements, lots: keys.length ? await stock.lockLots(tx, keys) : [] };
}
