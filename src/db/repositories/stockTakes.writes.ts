import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import type { StockTakeRow } from "./stockTakes.js";
import { stockTakeLines, stockTakes } from "../schema/index.js";
import type { Quantity } from "../../domain/shared/quantity.js";

/** Opens a stock-take and snapshots the book quantity of every lot in the depot that holds anything. */
export async function start(
  db: Executor,
  depot: CountyKey,
  startedBy: number,
  note: string,
  startedAt: Date,
): Promise<StockTakeRow> {
  const [row] = await db
    .insert(stockTakes)
    .values({ countyId: depot.countyId, depotId: depot.id, startedBy, note, startedAt })
    .returning();
  await db.execute(sql`
    insert into stock_take_lines (county_id, stock_take_id, lot_id, book_quantity)
    select county_id, ${row!.id}::bigint, id, on_hand from lots
     where county_id = ${depot.countyId} and depot_id = ${depot.id} and on_hand > 0`);
  return row!;
}

export async function lock(db: Executor, key: CountyKey): Promise<StockTakeRow | null> {
  const [row] = await db
    .select()
    .from(stockTakes)
    .where(inKeys(stockTakes.countyId, stockTakes.id, [key]))
    .for("update");
  return row ?? null;
}

export async function submit(
  db: Executor,
  take: CountyKey,
  submittedBy: number,
  counts: readonly { lotId: number; counted: Quantity; countedAt: Date }[],
  at: Date,
): Promise<StockTakeRow> {
  for (const c of counts) {
    await db
      .update(stockTakeLines)
      .set({ countedQuantity: c.counted, countedAt: c.countedAt })
      .where(
        and(
          eq(stockTakeLines.countyId, take.countyId),
          eq(stockTakeLines.stockTakeId, take.id),
          eq(stockTakeLines.lotId, c.lotId),
        ),
      );
  }
  const [row] = await db
    .update(stockTakes)
    .set({ status: "SUBMITTED", submittedBy, submittedAt: at })
    .where(inKeys(stockTakes.countyId, stockTakes.id, [take]))
    .returning();
  return row!;
}

export async function cancel(
  db: Executor,
  take: CountyKey,
  cancelledBy: number,
  reason: string,
  at: Date,
): Promise<StockTakeRow> {
  const [row] = await db
    .update(stockTakes)
    .set({ status: "CANCELLED", cancelledBy, cancelledAt: at, cancelReason: reason })
    .where(inKeys(stockTakes.countyId, stockTakes.id, [take]))
    .returning();
  return row!;
}
