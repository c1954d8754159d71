import { sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { bigintArray } from "../keys.js";
import { type StockLevelKey, stockLevelKeyString } from "./stockLevels.js";
import { stockLevels } from "../schema/index.js";
import type { Quantity } from "../../domain/shared/quantity.js";

/**
 * Locks the depot-item balances a command will move, in (county, depot, item) order, before it writes any ledger
 * line: appendMovement would otherwise lock them line by line, in whatever order the lines come, and two
 * commands that cross (A's rock then sand, B's sand then rock) would wait on each other. A balance not yet on the
 * books is created at zero first, so it can be locked too; the transaction's own lines then move it. Lots are
 * locked before balances (lockLots), by every command.
 */
export async function lockStockLevels(db: Executor, keys: readonly StockLevelKey[]): Promise<void> {
  const seen = new Map(keys.map((k) => [stockLevelKeyString(k), k]));
  const sorted = [...seen.values()].sort(
    (a, b) => a.countyId - b.countyId || a.depotId - b.depotId || a.itemId - b.itemId,
  );
  if (sorted.length === 0) return;
  const column = (of: (k: StockLevelKey) => number) => bigintArray(sorted.map(of));
  const wanted = sql`select * from unnest(${column((k) => k.countyId)}, ${column((k) => k.depotId)},
    ${column((k) => k.itemId)}) as w(county_id, depot_id, item_id)`;
  await db.execute(sql`
    insert into ${stockLevels} (county_id, depot_id, item_id, on_hand)
    select county_id, depot_id, item_id, 0 from (${wanted}) w order by 1, 2, 3
    on conflict (county_id, depot_id, item_id) do nothing`);
  await db.execute(sql`
    select 1 from ${stockLevels} s
     where (s.county_id, s.depot_id, s.item_id) in (${wanted})
     order by s.county_id, s.depot_id, s.item_id
     for update of s`);
}

/** The safety stock a depot keeps of an item, on the depot-item row the allocation rules read. */
export async function setDepotFloor(
  db: Executor,
  countyId: number,
  depotId: number,
  itemId: number,
  floor: Quantity,
): Promise<void> {
  await db
    .insert(stockLevels)
    .values({ countyId, depotId, itemId, reserveFloor: floor })
    .onConflictDoUpdate({
      target: [stockLevels.countyId, stockLevels.depotId, stockLevels.itemId],
      set: { reserveFloor: floor },
    });
}
