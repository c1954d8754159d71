import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_STALE_AFTER_DAYS } from "../app/readiness/readiness.js";
import { type FindingRow, streamReadinessFindings } from "../db/reports/readinessExport.js";
import { hasRole } from "../domain/custody/actor.js";
import { coversRegion } from "../domain/custody/policy.js";
import { type CalendarDate, daysBetween, parseCalendarDate } from "../domain/shared/calendar.js";
import { type Lang, labelOf, READINESS_FINDING_LABELS } from "../domain/shared/labels.js";
import { EXPORT_COST } from "../graphql/limits.js";
import {
  answeringBadRequests,
  BadExportRequest,
  type ExportEnv,
  idParam,
  intParam,
  openExport,
  sendError,
  visibleRegion,
} from "./exportRequest.js";
import { type Cell, type Column, streamSheet } from "./exportSheet.js";

/**
 * 战备状况: what needs someone, one row per lot, unit, loan, depot or paperwork item. 相关日期 is the expiry (expired,
 * expiring), the last test run or receipt (test overdue), the due day (loan), the last count (stale; empty: never
 * counted) or the day emergency paperwork was opened (paperwork overdue);
 * 距报告日天数 is that day minus the report day (negative: in the past).
 */
export const READINESS_COLUMNS: readonly Column[] = [
  { header: "问题", kind: "text" },
  { header: "区划", kind: "text" },
  { header: "区划代码", kind: "code" },
  { header: "储备点编码", kind: "code" },
  { header: "储备点名称", kind: "text" },
  { header: "物资编码", kind: "code" },
  { header: "物资名称", kind: "text" },
  { header: "批次号", kind: "code" },
  { header: "序列号", kind: "code" },
  { header: "数量", kind: "quantity" },
  { header: "单位", kind: "text" },
  { header: "相关日期", kind: "date" },
  { header: "距报告日天数", kind: "integer" },
  { header: "借入储备点", kind: "code" },
];

/**
 * GET /export/readiness.csv|.xlsx?regionId=…&asOf=…&within=…&staleAfterDays=…&lang=…: the findings behind
 * GraphQL's `readiness` over the region's subtree, for the same people: county and township offices and auditors
 * with a role over the region (403 for anyone else, as GraphQL answers FORBIDDEN; an empty sheet for a region of
 * their county they do not cover, as GraphQL answers an empty list).
 */
export async function exportReadiness(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  env: ExportEnv,
  batchSize = 2000,
): Promise<void> {
  const call = await openExport(req, res, url, env, EXPORT_COST.readiness);
  if (!call) return;
  const { ctx, format, lang, params } = call;
  if (!hasRole(ctx.actor!, "COUNTY_OFFICER", "TOWNSHIP_OFFICER", "AUDITOR"))
    return sendError(res, 403, "readiness is read by county and township offices and auditors");
  await answeringBadRequests(res, async () => {
    const key = idParam(params, "regionId", "Region");
    if (!key) throw new BadExportRequest("regionId is required");
    const asOfText = params.get("asOf");
    const asOf = asOfText ? parseCalendarDate(asOfText) : ctx.today;
    if (!asOf) throw new BadExportRequest("asOf must be a date YYYY-MM-DD");
    const options = {
      asOf,
      expiringWithinDays: intParam(params, "within", [1, 366], 30),
      staleAfterDays: intParam(params, "staleAfterDays", [1, 3650], DEFAULT_STALE_AFTER_DAYS),
      paperworkDays: env.deps.policy.emergencyPaperworkDays,
    };
    const region = await visibleRegion(ctx, key);
    if (!region) return sendError(res, 404, "region not found");
    const lineage = await ctx.loaders.regionLineage.load(key);
    const covered = coversRegion(ctx.actor!, { countyId: key.countyId, regionLineage: lineage });
    const fileName = `readiness-${region.divisionCode}-${asOf}`;
    const findings = covered
      ? streamReadinessFindings(env.deps.database.db, key, options, batchSize)
      : none();
    await streamSheet(
      res,
      format,
      { fileName, sheetName: "战备状况", columns: READINESS_COLUMNS },
      rowsOf(findings, asOf, lang),
      (err) => env.logger.error({ err, fileName }, "readiness export failed after the headers were sent"),
    );
  });
}

// eslint-disable-next-line require-yield -- a region the caller does not cover has no findings for them
async function* none(): AsyncGenerator<FindingRow[]> {
  return;
}

async function* rowsOf(
  rows: AsyncGenerator<FindingRow[]>,
  asOf: CalendarDate,
  lang: Lang,
): AsyncGenerator<Cell[][]> {
  for await (const batch of rows) yield batch.map((r) => findingCells(r, asOf, lang));
}

function findingCells(r: FindingRow, asOf: CalendarDate, lang: Lang): Cell[] {
  const en = lang === "en";
  return [
    labelOf(READINESS_FINDING_LABELS, r.finding, lang),
    en ? r.regionNameEn : r.regionNameZh,
    r.divisionCode,
    r.depotCode,
    en ? r.depotNameEn : r.depotNameZh,
    r.itemCode,
    en ? r.itemNameEn : r.itemNameZh,
    r.lotCode,
    r.serialNumber,
    r.quantity === null ? null : { quantity: r.quantity, scale: r.unitScale ?? 3 },
    en ? r.unitNameEn : r.unitNameZh,
    r.day as CalendarDate | null,
    r.day === null ? null : daysBetween(asOf, r.day as CalendarDate),
    r.borrowerCode,
  ];
}
