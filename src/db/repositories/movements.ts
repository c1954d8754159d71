import { and, asc, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import { depotInScope, sameDepot } from "./scope.js";
import { depots, movements } from "../schema/index.js";
import type { ReadScope } from "../../domain/custody/policy.js";
import type { MovementKind } from "../../domain/stock/movement.js";
import type { Quantity } from "../../domain/shared/quantity.js";

export type MovementRow = typeof movements.$inferSelect;

export interface MovementFilter {
  depot?: CountyKey | undefined;
  lot?: CountyKey | undefined;
  itemId?: number | undefined;
  kind?: MovementKind | undefined;
  actorId?: number | undefined;
  /** occurredAt range, inclusive. */
  from?: Date | undefined;
  to?: Date | undefined;
}

export function movementWhere(scope: ReadScope, f: MovementFilter): SQL | undefined {
  return and(
    depotInScope(scope, depots),
    f.depot ? and(eq(movements.countyId, f.depot.countyId), eq(movements.depotId, f.depot.id)) : undefined,
    f.lot ? and(eq(movements.countyId, f.lot.countyId), eq(movements.lotId, f.lot.id)) : undefined,
    f.itemId !== undefined ? eq(movements.itemId, f.itemId) : undefined,
    f.kind ? eq(movements.kind, f.kind) : undefined,
    f.actorId !== undefined ? eq(movements.actorId, f.actorId) : undefined,
    f.from ? gte(movements.occurredAt, f.from) : undefined,
    f.to ? lte(movements.occurredAt, f.to) : undefined,
  );
}

/** Which lines a page of `listMovements` holds (lines joined to depots): the filter's, before the cursor. */
export const movementListWhere = (
  scope: ReadScope,
  filter: MovementFilter,
  page: PageRequest,
): SQL | undefined =>
  and(movementWhere(scope, filter), page.afterId !== null ? lt(movements.id, page.afterId) : undefined);

/** The ledger, newest line first (by the order lines were recorded). */
export async function listMovements(
  db: Executor,
  scope: ReadScope,
  filter: MovementFilter,
  page: PageRequest,
): Promise<Page<MovementRow>> {
  const rows = await db
    .select({ m: movements })
    .from(movements)
    .innerJoin(depots, sameDepot(movements))
    .where(movementListWhere(scope, filter, page))
    .orderBy(desc(movements.id))
    .limit(page.first + 1);
  return toPage(
    rows.map((r) => r.m),
    page.first,
  );
}

export async function findVisibleMovements(
  db: Executor,
  scope: ReadScope,
  keys: readonly CountyKey[],
): Promise<MovementRow[]> {
  const rows = await db
    .select({ m: movements })
    .from(movements)
    .innerJoin(depots, sameDepot(movements))
    .where(and(inKeys(movements.countyId, movements.id, keys), depotInScope(scope, depots)));
  return rows.map((r) => r.m);
}

/**
 * The lines requisitions wrote at depots the scope may read: each side of a requisition sees its own books, as in
 * the ledger itself (docs/decisions.md, "Each side of a requisition reads its own books").
 */
export async function movementsOfRequisitions(
  db: Executor,
  scope: ReadScope,
  keys: readonly CountyKey[],
): Promise<MovementRow[]> {
  const rows = await db
    .select({ m: movements })
    .from(movements)
    .innerJoin(depots, sameDepot(movements))
    .where(and(inKeys(movements.countyId, movements.requisitionId, keys), depotInScope(scope, depots)))
    .orderBy(asc(movements.id));
  return rows.map((r) => r.m);
}

/** A lot's ledger in the order things happened, for backdating checks. */
export function ledgerOfLot(
  db: Executor,
  lot: CountyKey,
): Promise<{ id: number; occurredAt: Date; quantity: Quantity }[]> {
  return db
    .select({ id: movements.id, occurredAt: movements.occurredAt, quantity: movements.quantity })
    .from(movements)
    .where(and(eq(movements.countyId, lot.countyId), eq(movements.lotId, lot.id)))
    .orderBy(asc(movements.occurredAt), asc(movements.id));
}

export async function findMovement(db: Executor, key: CountyKey): Promise<MovementRow | null> {
  const [row] = await db
    .select()
    .from(movements)
    .where(inKeys(movements.countyId, movements.id, [key]));
  return row ?? null;
}

export async function isReversed(db: Executor, key: CountyKey): Promise<boolean> {
  const rows = await db
    .select({ id: movements.id })
    .from(movements)
    .where(and(eq(movements.countyId, key.countyId), eq(movements.reversesId, key.id)))
    .limit(1);
  return rows.length > 0;
}
