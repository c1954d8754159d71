import type { IncomingMessage, ServerResponse } from "node:http";
import { itemsWithScale } from "../app/catalogue.js";
import { loadCountyCoverage } from "../app/coverage/report.js";
import { type CoverageLine, inSubtreeOf, regionLines } from "../domain/coverage/lending.js";
import type { RegionRow } from "../db/repositories/regions.js";
import type { Quantity } from "../domain/shared/quantity.js";
import { COVERAGE_STATUS_LABELS, type Lang, labelOf, REGION_LEVEL_LABELS } from "../domain/shared/labels.js";
import { mayRead } from "../graphql/modules/coverage/access.js";
import { EXPORT_COST } from "../graphql/limits.js";
import {
  answeringBadRequests,
  BadExportRequest,
  type ExportEnv,
  idParam,
  openExport,
  sendError,
} from "./exportRequest.js";
import { type Cell, type Column, streamSheet } from "./exportSheet.js";

/** 覆盖率: coverage per region and item, as civil affairs reads it. */
export const COVERAGE_COLUMNS: readonly Column[] = [
  { header: "区域", kind: "text" },
  { header: "区划代码", kind: "code" },
  { header: "层级", kind: "text" },
  { header: "物资编码", kind: "code" },
  { header: "物资名称", kind: "text" },
  { header: "单位", kind: "text" },
  { header: "定额", kind: "quantity" },
  { header: "在库", kind: "quantity" },
  { header: "可用", kind: "quantity" },
  { header: "30天内到期", kind: "quantity" },
  { header: "保障率", kind: "percent" },
  { header: "状态", kind: "text" },
  { header: "协议储备可调用", kind: "quantity" },
  { header: "调用时限(小时)", kind: "integer" },
];

/**
 * GET /export/coverage.csv|.xlsx?regionId=…&lang=…: coverage against norms of a region and every region below it,
 * one row per region and item with a norm. Small (regions × items), so written in one batch. Same token and scope
 * as GraphQL's `coverage`.
 */
export async function exportCoverage(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  env: ExportEnv,
): Promise<void> {
  const call = await openExport(req, res, url, env, EXPORT_COST.coverage);
  if (!call) return;
  const { ctx, format, lang } = call;
  await answeringBadRequests(res, async () => {
    const key = idParam(call.params, "regionId", "Region");
    if (!key) throw new BadExportRequest("regionId must be a Region ID");
    if (!(await mayRead(ctx, key))) return sendError(res, 404, "region not found");
    const c = await loadCountyCoverage(env.deps, key.countyId, "ALL", null, ctx.today);
    const regionIds = [...c.regions.keys()].filter((id) => inSubtreeOf(c, key.id, id));
    const [regionRows, items] = await Promise.all([
      ctx.loaders.region.loadMany(regionIds.map((id) => ({ countyId: key.countyId, id }))),
      itemsWithScale(env.deps, env.deps.database.db, c.itemIds),
    ]);
    const regionOf = new Map(
      regionRows.flatMap((r) => (r && !(r instanceof Error) ? [[r.id, r] as const] : [])),
    );
    const rows = regionIds.flatMap((id) =>
      regionLines(c, id).map((l) => coverageCells(l, regionOf.get(id)!, items.get(l.itemId)!, lang)),
    );
    const fileName = `coverage-${regionOf.get(key.id)?.divisionCode ?? key.id}-${ctx.today}`;
    await streamSheet(
      res,
      format,
      { fileName, sheetName: "覆盖率", columns: COVERAGE_COLUMNS },
      [rows][Symbol.iterator](),
      (err) => env.logger.error({ err, fileName }, "coverage export failed after the headers were sent"),
    );
  });
}

type ItemWithUnit = NonNullable<ReturnType<Awaited<ReturnType<typeof itemsWithScale>>["get"]>>;

function coverageCells(l: CoverageLine, region: RegionRow, { item, unit }: ItemWithUnit, lang: Lang): Cell[] {
  const en = lang === "en";
  const q = (quantity: Quantity) => ({ quantity, scale: unit.scale });
  return [
    en ? region.nameEn : region.nameZh,
    region.divisionCode,
    labelOf(REGION_LEVEL_LABELS, region.level, lang),
    item.code,
    en ? item.nameEn : item.nameZh,
    en ? unit.nameEn : unit.nameZh,
    q(l.required!),
    q(l.onHand),
    q(l.usable),
    q(l.expiringWithin30Days),
    l.ratio,
    l.status ? labelOf(COVERAGE_STATUS_LABELS, l.status, lang) : "",
    q(l.callable),
    l.callUpLeadHours,
  ];
}
