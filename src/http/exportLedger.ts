import type { IncomingMessage, ServerResponse } from "node:http";
import { type ExportPlace, type LedgerExportLine, streamLedgerExport } from "../db/reports/ledgerExport.js";
import {
  ISSUE_PURPOSE_LABELS,
  type Lang,
  labelOf,
  MOVEMENT_KIND_LABELS,
  RECEIPT_SOURCE_LABELS,
  WRITE_OFF_CAUSE_LABELS,
} from "../domain/shared/labels.js";
import { EXPORT_COST } from "../graphql/limits.js";
import {
  answeringBadRequests,
  BadExportRequest,
  depotOrRegion,
  type ExportEnv,
  instantParam,
  openExport,
  sendError,
  visibleRegion,
} from "./exportRequest.js";
import { type Cell, type Column, streamSheet } from "./exportSheet.js";

/** 台账: the ledger's columns, as the county's staff read them; `ledgerCells` fills them in this order. */
export const LEDGER_COLUMNS: readonly Column[] = [
  { header: "流水号", kind: "integer" },
  { header: "发生时间", kind: "instant" },
  { header: "记录时间", kind: "instant" },
  { header: "储备点编码", kind: "code" },
  { header: "储备点名称", kind: "text" },
  { header: "物资编码", kind: "code" },
  { header: "物资名称", kind: "text" },
  { header: "批次号", kind: "code" },
  { header: "序列号", kind: "code" },
  { header: "类型", kind: "text" },
  { header: "来源/用途/报损原因", kind: "text" },
  { header: "数量", kind: "quantity" },
  { header: "单位", kind: "text" },
  { header: "经办人", kind: "text" },
  { header: "经办人账号", kind: "code" },
  { header: "原因", kind: "text" },
  { header: "凭证/去向", kind: "text" },
  { header: "冲销流水号", kind: "integer" },
  { header: "应急响应编号", kind: "integer" },
  { header: "动用指令号", kind: "code" },
];

/**
 * GET /export/ledger.csv|.xlsx?depotId=…|regionId=…&from=…&to=…&lang=…: the ledger of a depot, or of every depot
 * of a region's subtree the caller may read, in recording order, streamed a batch at a time. Same token, same
 * custody scope as GraphQL.
 */
export async function exportLedger(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  env: ExportEnv,
  batchSize = 2000,
): Promise<void> {
  const call = await openExport(req, res, url, env, EXPORT_COST.ledger);
  if (!call) return;
  const { ctx, format, lang, params } = call;
  await answeringBadRequests(res, async () => {
    const place = depotOrRegion(params);
    const from = instantParam(params, "from", "00:00:00");
    const to = instantParam(params, "to", "23:59:59.999");
    if (from && to && from > to) throw new BadExportRequest("from is after to");
    const fileName = await ledgerFileName(call.ctx, place);
    // out of scope and absent look the same, so the answer does not reveal which depots exist
    if (fileName === null)
      return sendError(res, 404, "depot" in place ? "depot not found" : "region not found");
    const lines = streamLedgerExport(env.deps.database.db, ctx.scope, place, { from, to }, batchSize);
    await streamSheet(
      res,
      format,
      { fileName, sheetName: "台账", columns: LEDGER_COLUMNS },
      rowsOf(lines, lang),
      (err) => env.logger.error({ err, fileName }, "ledger export failed after the headers were sent"),
    );
  });
}

/** `ledger-TD-CHENGGUAN` or `ledger-411098100000`; null when the caller may not see the depot or region. */
async function ledgerFileName(ctx: Parameters<typeof visibleRegion>[0], place: ExportPlace) {
  if ("depot" in place) {
    const depot = await ctx.loaders.depot.load(place.depot);
    return depot ? `ledger-${depot.code}` : null;
  }
  const region = await visibleRegion(ctx, place.region);
  return region ? `ledger-${region.divisionCode}` : null;
}

async function* rowsOf(lines: AsyncGenerator<LedgerExportLine[]>, lang: Lang): AsyncGenerator<Cell[][]> {
  for await (const batch of lines) yield batch.map((l) => ledgerCells(l, lang));
}

/** Why stock came or went, in words: a receipt's source, an issue's purpose or a write-off's cause. */
function classOf(m: LedgerExportLine["m"], lang: Lang): string {
  if (m.source) return labelOf(RECEIPT_SOURCE_LABELS, m.source, lang);
  if (m.purpose) return labelOf(ISSUE_PURPOSE_LABELS, m.purpose, lang);
  if (m.writeOffCause) return labelOf(WRITE_OFF_CAUSE_LABELS, m.writeOffCause, lang);
  return "";
}

function ledgerCells(l: LedgerExportLine, lang: Lang): Cell[] {
  const m = l.m;
  const en = lang === "en";
  return [
    m.id,
    m.occurredAt,
    m.recordedAt,
    l.depotCode,
    en ? l.depotNameEn : l.depotNameZh,
    l.itemCode,
    en ? l.itemNameEn : l.itemNameZh,
    l.lotCode,
    l.serialNumber,
    labelOf(MOVEMENT_KIND_LABELS, m.kind, lang),
    classOf(m, lang),
    { quantity: m.quantity, scale: l.unitScale },
    en ? l.unitNameEn : l.unitNameZh,
    l.actorDisplayName,
    l.actorUsername,
    m.reason,
    [m.reference, m.recipient ?? ""].filter((s) => s !== "").join(" / "),
    m.reversesId,
    l.emergencyNumber,
    m.releaseOrderNo,
  ];
}
