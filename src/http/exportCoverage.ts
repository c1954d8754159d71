import type { IncomingMessage, ServerResponse } from "node:http";
import { loadCountyCoverage, regionLines } from "../app/coverage/report.js";
import { formatQuantity } from "../domain/shared/quantity.js";
import { mayRead } from "../graphql/modules/coverage/access.js";
import { fromGlobalId } from "../graphql/ids.js";
import { buildContext } from "../graphql/requestContext.js";
import { EXPORT_COST } from "../graphql/limits.js";
import { chargeExport, csvLine, type ExportEnv, sendError } from "./exportLedger.js";

export const COVERAGE_CSV_HEADER = [
  "区域",
  "区划代码",
  "层级",
  "物资编码",
  "物资名称",
  "单位",
  "定额",
  "在库",
  "可用",
  "30天内到期",
  "保障率",
  "状态",
  "协议储备可调用",
  "调用时限(小时)",
] as const;

const STATUS_ZH: Record<string, string> = { MET: "达标", LOW: "不足", CRITICAL: "严重不足", NONE: "无储备" };

/**
 * GET /export/coverage.csv?regionId=…: coverage against norms of a region and every region below it, one row per
 * region and item with a norm. Small (regions × items), so written in one piece. Same token and scope as GraphQL.
 */
export async function exportCoverage(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  env: ExportEnv,
): Promise<void> {
  const ctx = await buildContext(env.deps, env.tokens, req.headers.authorization, env.logger);
  if (!ctx.actor) {
    res.setHeader("www-authenticate", "Bearer");
    return sendError(res, 401, "a valid bearer token is required");
  }
  if (ctx.user?.mustChangePassword)
    return sendError(res, 403, "change your one-time password first (changePassword)");
  if (!chargeExport(res, env, ctx, EXPORT_COST.coverageCsv)) return;
  const decoded = fromGlobalId(url.searchParams.get("regionId") ?? "");
  if (!decoded || decoded.type !== "Region" || decoded.countyId === null) {
    return sendError(res, 400, "regionId must be a Region ID");
  }
  const key = { countyId: decoded.countyId, id: decoded.id };
  if (!(await mayRead(ctx, key))) return sendError(res, 404, "region not found");
  const c = await loadCountyCoverage(env.deps, key.countyId, "ALL", null, ctx.today);
  const inSubtree = (id: number): boolean => {
    for (let r = c.regions.get(id); r; r = r.parentId === null ? undefined : c.regions.get(r.parentId)) {
      if (r.id === key.id) return true;
    }
    return false;
  };
  const regionIds = [...c.regions.keys()].filter(inSubtree);
  const [regionRows, itemRows] = await Promise.all([
    ctx.loaders.region.loadMany(regionIds.map((id) => ({ countyId: key.countyId, id }))),
    ctx.loaders.item.loadMany(c.itemIds),
  ]);
  const regionOf = new Map(
    regionRows.flatMap((r) => (r && !(r instanceof Error) ? [[r.id, r] as const] : [])),
  );
  const itemOf = new Map(itemRows.flatMap((i) => (i && !(i instanceof Error) ? [[i.id, i] as const] : [])));
  const lines = regionIds.flatMap((id) => regionLines(c, id));
  res.writeHead(200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="coverage-${regionOf.get(key.id)?.divisionCode ?? key.id}-${ctx.today}.csv"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  const body = lines.map((l) => {
    const region = regionOf.get(l.regionId)!;
    const item = itemOf.get(l.itemId)!;
    return csvLine([
      region.nameZh,
      region.divisionCode,
      region.level,
      item.code,
      item.nameZh,
      item.unitCode,
      formatQuantity(l.required!),
      formatQuantity(l.onHand),
      formatQuantity(l.usable),
      formatQuantity(l.expiringWithin30Days),
      l.ratio === null ? "" : `${(l.ratio * 100).toFixed(2)}%`,
      STATUS_ZH[l.status!] ?? "",
      formatQuantity(l.callable),
      l.callUpLeadHours === null ? "" : String(l.callUpLeadHours),
    ]);
  });
  res.end(`\uFEFF${csvLine(COVERAGE_CSV_HEADER)}${body.join("")}`);
}
