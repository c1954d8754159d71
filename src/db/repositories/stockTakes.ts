import { and, asc, desc, eq, gte, isNull, lt, lte, max, ne, or, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { bigintArray, type CountyKey, inKeys } from "../keys.js";
import type { MovementRow } from "./movements.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import { depotInScope } from "./scope.js";
import { depots, movements, stockTakeLines, stockTakes } from "../schema/index.js";
import type { ReadScope } from "../../domain/custody/policy.js";
import type { Quantity } from "../../domain/shared/quantity.js";

export type StockTakeRow = typeof stockTakes.$inferSelect;

export type StockTakeLineRow = typeof stockTakeLines.$inferSelect;

export async function findOpen(db: Executor, depot: CountyKey): Promise<StockTakeRow | null> {
  const [row] = await db
    .select()
    .from(stockTakes)
    .where(
      and(
        eq(stockTakes.countyId, depot.countyId),
        eq(stockTakes.depotId, depot.id),
        eq(stockTakes.status, "OPEN"),
      ),
    )
    .limit(1);
  return row ?? null;
}

export function linesOf(db: Executor, keys: readonly CountyKey[]): Promise<StockTakeLineRow[]> {
  return db
    .select()
    .from(stockTakeLines)
    .where(inKeys(stockTakeLines.countyId, stockTakeLines.stockTakeId, keys))
    .orderBy(asc(stockTakeLines.lotId));
}

/**
 * The ledger of the stock-take's lots, oldest first, without the stock-take's own adjustment lines: what the book
 * said of each lot at any instant of the count.
 */
export function ledgerOfLots(
  db: Executor,
  take: CountyKey,
  lotIds: readonly number[],
): Promise<{ id: number; lotId: number; occurredAt: Date; quantity: Quantity }[]> {
  return db
    .select({
      id: movements.id,
      lotId: movements.lotId,
      occurredAt: movements.occurredAt,
      quantity: movements.quantity,
    })
    .from(movements)
    .where(
      and(
        eq(movements.countyId, take.countyId),
        sql`${movements.lotId} = any(${bigintArray(lotIds)})`,
        or(isNull(movements.stockTakeId), ne(movements.stockTakeId, take.id)),
      ),
    )
    .orderBy(asc(movements.occurredAt), asc(movements.id));
}

/**
 * For many stock-takes at once, the ledger lines of their depot dated while each was open (from its start to its
 * submission or cancellation, or until now), its own adjustments excepted: what moved while counting.
 */
export async function movementsDuring(
  db: Executor,
  keys: readonly CountyKey[],
): Promise<(MovementRow & { duringStockTakeId: number })[]> {
  const rows = await db
    .select({ takeId: stockTakes.id, m: movements })
    .from(stockTakes)
    .innerJoin(
      movements,
      and(
        eq(movements.countyId, stockTakes.countyId),
        eq(movements.depotId, stockTakes.depotId),
        gte(movements.occurredAt, stockTakes.startedAt),
        or(
          and(isNull(stockTakes.submittedAt), isNull(stockTakes.cancelledAt)),
          lte(movements.occurredAt, sql`coalesce(${stockTakes.submittedAt}, ${stockTakes.cancelledAt})`),
        ),
        or(isNull(movements.stockTakeId), ne(movements.stockTakeId, stockTakes.id)),
      ),
    )
    .where(inKeys(stockTakes.countyId, stockTakes.id, keys))
    .orderBy(asc(movements.occurredAt), asc(movements.id));
  return rows.map((r) => ({ ...r.m, duringStockTakeId: r.takeId }));
}

/** When the lot was last counted by a submitted stock-take, if ever. */
export async function lastCountedAt(db: Executor, lot: CountyKey): Promise<Date | null> {
  const [row] = await db
    .select({ at: max(stockTakes.submittedAt) })
    .from(stockTakes)
    .innerJoin(
      stockTakeLines,
      and(eq(stockTakeLines.countyId, stockTakes.countyId), eq(stockTakeLines.stockTakeId, stockTakes.id)),
    )
    .where(
      and(
        eq(stockTakes.countyId, lot.countyId),
        eq(stockTakeLines.lotId, lot.id),
        eq(stockTakes.status, "SUBMITTED"),
      ),
    );
  return row?.at ?? null;
}

export interface StockTakeFilter {
  depot?: CountyKey | undefined;
  status?: StockTakeRow["status"] | undefined;
}

/** Newest first. */
export async function list(
  db: Executor,
  scope: ReadScope,
  filter: StockTakeFilter,
  page: PageRequest,
): Promise<Page<StockTakeRow>> {
  const rows = await db
    .select({ take: stockTakes })
    .from(stockTakes)
    .innerJoin(depots, and(eq(depots.countyId, stockTakes.countyId), eq(depots.id, stockTakes.depotId)))
    .where(
      and(
        depotInScope(scope, depots),
        filter.depot
          ? and(eq(stockTakes.countyId, filter.depot.countyId), eq(stockTakes.depotId, filter.depot.id))
          : undefined,
        filter.status ? eq(stockTakes.status, filter.status) : undefined,
        page.afterId !== null ? lt(stockTakes.id, page.afterId) : undefined,
      ),
    )
    .orderBy(desc(stockTakes.id))
    .limit(page.first + 1);
  return toPage(
    rows.map((r) => r.take),
    page.first,
  );
}

export async function findVisible(
  db: Executor,
  scope: ReadScope,
  keys: readonly CountyKey[],
): Promise<StockTakeRow[]> {
  const rows = await db
    .select({ take: stockTakes })
    .from(stockTakes)
    .innerJoin(depots, and(eq(depots.countyId, stockTakes.countyId), eq(depots.id, stockTakes.depotId)))
    .where(and(inKeys(stockTakes.countyId, stockTakes.id, keys), depotInScope(scope, depots)));
  return rows.map((r) => r.take);
}
