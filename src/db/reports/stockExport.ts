import { and, asc, eq, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type ExportPlace, placeFilter } from "./ledgerExport.js";
import { depotInScope } from "../repositories/scope.js";
import { depots, items, lots, regions, units } from "../schema/index.js";
import type { ReadScope } from "../../domain/custody/policy.js";
import type { LotCondition } from "../../domain/stock/lot.js";
import type { Quantity } from "../../domain/shared/quantity.js";

/**
 * 库存: stock on hand per depot, item and lot as a person lists it, with the names beside it. A serialised item's
 * units received together (same lot code, dates and condition) are one row: their count and their serial numbers.
 */
export interface StockExportRow {
  countyId: number;
  depotId: number;
  depotCode: string;
  depotNameZh: string;
  depotNameEn: string;
  regionNameZh: string;
  regionNameEn: string;
  divisionCode: string;
  itemId: number;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  unitNameZh: string;
  unitNameEn: string;
  unitScale: number;
  lotCode: string;
  receivedOn: string;
  expiresOn: string | null;
  condition: LotCondition;
  onHand: Quantity;
  allocated: Quantity;
  /** Joined by 、 in serial-number order; null for bulk and lot items. */
  serialNumbers: string | null;
}

/** What one row is about: lots alike in all of these are one row. */
const GROUPED = {
  countyId: depots.countyId,
  depotId: depots.id,
  depotCode: depots.code,
  depotNameZh: depots.nameZh,
  depotNameEn: depots.nameEn,
  regionNameZh: regions.nameZh,
  regionNameEn: regions.nameEn,
  divisionCode: regions.divisionCode,
  itemId: items.id,
  itemCode: items.code,
  itemNameZh: items.nameZh,
  itemNameEn: items.nameEn,
  unitNameZh: units.nameZh,
  unitNameEn: units.nameEn,
  unitScale: units.scale,
  lotCode: lots.lotCode,
  receivedOn: lots.receivedOn,
  expiresOn: lots.expiresOn,
  condition: lots.condition,
};

const SUMMED = {
  onHand: sql<Quantity>`sum(${lots.onHand})`.mapWith(lots.onHand),
  allocated: sql<Quantity>`sum(${lots.allocated})`.mapWith(lots.allocated),
  serialNumbers: sql<string | null>`string_agg(${lots.serialNumber}, '、' order by ${lots.serialNumber})`,
};

// a lot without expiry sorts last, and the keyset compares it like any other date
const expiryKey = sql`coalesce(${lots.expiresOn}, 'infinity'::date)`;

const rowKey = sql`(${depots.countyId}, ${depots.id}, ${items.id}, ${lots.lotCode}, ${lots.receivedOn}, ${expiryKey}, ${lots.condition})`;

const cursorOf = (r: StockExportRow) =>
  sql`(${r.countyId}::bigint, ${r.depotId}::bigint, ${r.itemId}::bigint, ${r.lotCode}::text, ${r.receivedOn}::date, coalesce(${r.expiresOn}::date, 'infinity'::date), ${r.condition}::lot_condition)`;

/**
 * Stock on hand of a depot or of the depots of a region's subtree the scope may read, in (depot, item, lot) order,
 * a keyset-paged batch of rows at a time: bounded memory however many lots, one statement per batch.
 */
export async function* streamStockExport(
  db: Executor,
  scope: ReadScope,
  place: ExportPlace,
  batchSize = 2000,
): AsyncGenerator<StockExportRow[]> {
  let after: StockExportRow | null = null;
  for (;;) {
    const rows: StockExportRow[] = await db
      .select({ ...GROUPED, ...SUMMED })
      .from(lots)
      .innerJoin(depots, and(eq(depots.countyId, lots.countyId), eq(depots.id, lots.depotId)))
      .innerJoin(regions, and(eq(regions.countyId, depots.countyId), eq(regions.id, depots.regionId)))
      .innerJoin(items, eq(items.id, lots.itemId))
      .innerJoin(units, eq(units.code, items.unitCode))
      .where(
        and(
          depotInScope(scope, depots),
          placeFilter(place),
          sql`${lots.onHand} > 0`,
          after ? sql`${rowKey} > ${cursorOf(after)}` : undefined,
        ),
      )
      .groupBy(...Object.values(GROUPED))
      .orderBy(
        asc(depots.countyId),
        asc(depots.id),
        asc(items.id),
        asc(lots.lotCode),
        asc(lots.receivedOn),
        asc(expiryKey),
        asc(lots.condition),
      )
      .limit(batchSize);
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1]!;
    if (rows.length < batchSize) return;
  }
}
