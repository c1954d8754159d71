import { and, asc, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import type { ReadScope } from "../../domain/custody/policy.js";
import type { LotCondition } from "../../domain/stock/lot.js";
import type { MovementKind } from "../../domain/stock/movement.js";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import { depots, items, lots, movements, units, users } from "../schema/index.js";
import type { DepotRow } from "./depots.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import { depotInScope, inSubtrees } from "./scope.js";
import type { LotRow, MovementRow } from "./stock.js";

const sameDepot = (t: typeof lots | typeof movements) =>
  and(eq(depots.countyId, t.countyId), eq(depots.id, t.depotId));

export interface LotFilter {
  depot?: CountyKey | undefined;
  itemId?: number | undefined;
  condition?: LotCondition | undefined;
  /** Lots whose expiry date is before this day. */
  expiringBefore?: string | undefined;
  serialNumber?: string | undefined;
}

/** Lots the scope may read, in a stable order. */
export async function listLots(
  db: Executor,
  scope: ReadScope,
  filter: LotFilter,
  page: PageRequest,
): Promise<Page<{ lot: LotRow; depot: DepotRow }>> {
  // the depot is joined for custody anyway; handing it back spares the page a statement for its depots
  const rows = await db
    .select({ lot: lots, depot: depots })
    .from(lots)
    .innerJoin(depots, sameDepot(lots))
    .where(
      and(
        depotInScope(scope, depots),
        filter.depot
          ? and(eq(lots.countyId, filter.depot.countyId), eq(lots.depotId, filter.depot.id))
          : undefined,
        filter.itemId !== undefined ? eq(lots.itemId, filter.itemId) : undefined,
        filter.condition ? eq(lots.condition, filter.condition) : undefined,
        filter.expiringBefore ? lt(lots.expiresOn, filter.expiringBefore) : undefined,
        filter.serialNumber ? eq(lots.serialNumber, filter.serialNumber) : undefined,
        page.afterId !== null ? gte(lots.id, page.afterId + 1) : undefined,
      ),
    )
    .orderBy(asc(lots.id))
    .limit(page.first + 1);
  return toPage(rows, page.first);
}

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

function movementWhere(scope: ReadScope, f: MovementFilter): SQL | undefined {
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
    .where(
      and(movementWhere(scope, filter), page.afterId !== null ? lt(movements.id, page.afterId) : undefined),
    )
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

/** Ledger lines written by requisitions (dispatch, receipt, returns), for many requisitions at once. */
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

/** What an export needs of the ledger line's depot or region: one of them. */
export type ExportPlace = { depot: CountyKey } | { region: CountyKey };

export const placeFilter = (place: ExportPlace): SQL =>
  "depot" in place
    ? and(eq(depots.countyId, place.depot.countyId), eq(depots.id, place.depot.id))!
    : inSubtrees(depots, [place.region]);

/** A ledger line with the names a person reads beside it: depot, lot, item, unit and actor. */
export interface LedgerExportLine {
  m: MovementRow;
  depotCode: string;
  depotNameZh: string;
  depotNameEn: string;
  lotCode: string;
  serialNumber: string | null;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  unitNameZh: string;
  unitNameEn: string;
  unitScale: number;
  actorUsername: string;
  actorDisplayName: string;
}

const LEDGER_EXPORT_SELECT = {
  m: movements,
  depotCode: depots.code,
  depotNameZh: depots.nameZh,
  depotNameEn: depots.nameEn,
  lotCode: lots.lotCode,
  serialNumber: lots.serialNumber,
  itemCode: items.code,
  itemNameZh: items.nameZh,
  itemNameEn: items.nameEn,
  unitNameZh: units.nameZh,
  unitNameEn: units.nameEn,
  unitScale: units.scale,
  actorUsername: users.username,
  actorDisplayName: users.displayName,
};

/**
 * The ledger of a depot or of a region's subtree, in recording order, a keyset-paged batch at a time with every
 * name joined in: memory stays bounded by the batch however long the ledger, and a batch is one statement.
 */
export async function* streamLedgerExport(
  db: Executor,
  scope: ReadScope,
  place: ExportPlace,
  period: { from?: Date | undefined; to?: Date | undefined },
  batchSize = 2000,
): AsyncGenerator<LedgerExportLine[]> {
  let afterId = 0;
  for (;;) {
    const rows = await db
      .select(LEDGER_EXPORT_SELECT)
      .from(movements)
      .innerJoin(depots, sameDepot(movements))
      .innerJoin(lots, and(eq(lots.countyId, movements.countyId), eq(lots.id, movements.lotId)))
      .innerJoin(items, eq(items.id, movements.itemId))
      .innerJoin(units, eq(units.code, items.unitCode))
      .innerJoin(users, eq(users.id, movements.actorId))
      .where(
        and(
          movementWhere(scope, { from: period.from, to: period.to }),
          placeFilter(place),
          gte(movements.id, afterId + 1),
        ),
      )
      .orderBy(asc(movements.id))
      .limit(batchSize);
    if (rows.length === 0) return;
    yield rows;
    afterId = rows[rows.length - 1]!.m.id;
    if (rows.length < batchSize) return;
  }
}
