import { STOCK_SHEET_HEADERS, type StockColumn } from "../domain/import/sheets.js";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ExportPlace } from "../db/reports/ledgerExport.js";
import { type StockExportRow, streamStockExport } from "../db/reports/stockExport.js";
import type { CalendarDate } from "../domain/shared/calendar.js";
import type { Quantity } from "../domain/shared/quantity.js";
import { type Lang, labelOf, LOT_CONDITION_LABELS } from "../domain/shared/labels.js";
import type { Context } from "../graphql/context.js";
import { EXPORT_COST } from "../graphql/limits.js";
import {
  answeringBadRequests,
  depotOrRegion,
  type ExportEnv,
  openExport,
  sendError,
  visibleRegion,
} from "./exportRequest.js";
import { type Cell, type Column, streamSheet } from "./exportSheet.js";

/**
 * The first eight columns of 库存 are the importer's opening-stock headers (src/domain/import/sheets.ts), so an
 * exported 库存 sheet re-imports as it is (docs/decisions.md 36). Several serial numbers share one cell, joined by 、.
 */
const KINDS: Record<StockColumn, Column["kind"]> = {
  depotCode: "code",
  itemCode: "code",
  quantity: "quantity",
  lotCode: "code",
  receivedOn: "date",
  expiresOn: "date",
  serialNumbers: "code",
  condition: "text",
};

/** 库存: the importer's eight columns, then what a person reads beside them. */
export const STOCK_COLUMNS: readonly Column[] = [
  ...(Object.keys(STOCK_SHEET_HEADERS) as StockColumn[]).map((key) => ({
    header: STOCK_SHEET_HEADERS[key],
    kind: KINDS[key],
  })),
  { header: "储备点名称", kind: "text" },
  { header: "物资名称", kind: "text" },
  { header: "单位", kind: "text" },
  { header: "所属区划", kind: "text" },
  { header: "区划代码", kind: "code" },
  { header: "已分配", kind: "quantity" },
];

/**
 * GET /export/stock.csv|.xlsx?depotId=…|regionId=…&lang=…: stock on hand per depot, item and lot, with receipt
 * date, expiry and condition, of a depot or of every depot of a region's subtree the caller may read.
 */
export async function exportStock(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  env: ExportEnv,
  batchSize = 2000,
): Promise<void> {
  const call = await openExport(req, res, url, env, EXPORT_COST.stock);
  if (!call) return;
  const { ctx, format, lang } = call;
  await answeringBadRequests(res, async () => {
    const place = depotOrRegion(call.params);
    const name = await placeName(ctx, place);
    // out of scope and absent look the same, so the answer does not reveal which depots exist
    if (name === null) return sendError(res, 404, "depot" in place ? "depot not found" : "region not found");
    const fileName = `stock-${name}-${ctx.today}`;
    await streamSheet(
      res,
      format,
      { fileName, sheetName: "库存", columns: STOCK_COLUMNS },
      rowsOf(streamStockExport(env.deps.database.db, ctx.scope, place, batchSize), lang),
      (err) => env.logger.error({ err, fileName }, "stock export failed after the headers were sent"),
    );
  });
}

/** The depot's code or the region's division code; null when the caller may not see it. */
async function placeName(ctx: Context, place: ExportPlace): Promise<string | null> {
  if ("depot" in place) return (await ctx.loaders.depot.load(place.depot))?.code ?? null;
  return (await visibleRegion(ctx, place.region))?.divisionCode ?? null;
}

async function* rowsOf(rows: AsyncGenerator<StockExportRow[]>, lang: Lang): AsyncGenerator<Cell[][]> {
  for await (const batch of rows) yield batch.map((r) => stockCells(r, lang));
}

function stockCells(r: StockExportRow, lang: Lang): Cell[] {
  const en = lang === "en";
  const q = (quantity: Quantity) => ({ quantity, scale: r.unitScale });
  return [
    r.depotCode,
    r.itemCode,
    q(r.onHand),
    r.lotCode,
    r.receivedOn as CalendarDate,
    r.expiresOn as CalendarDate | null,
    r.serialNumbers,
    labelOf(LOT_CONDITION_LABELS, r.condition, lang),
    en ? r.depotNameEn : r.depotNameZh,
    en ? r.itemNameEn : r.itemNameZh,
    en ? r.unitNameEn : r.unitNameZh,
    en ? r.regionNameEn : r.regionNameZh,
    r.divisionCode,
    q(r.allocated),
  ];
}
