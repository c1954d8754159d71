import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { AppDeps } from "../app/deps.js";
import type { TokenSettings } from "../auth/tokens.js";
import type { CountyKey } from "../db/keys.js";
import type { RegionRow } from "../db/repositories/regions.js";
import { instantOn, parseCalendarDate } from "../domain/shared/calendar.js";
import type { Lang } from "../domain/shared/labels.js";
import type { Context } from "../graphql/context.js";
import { fromGlobalId } from "../graphql/ids.js";
import { callerOf } from "../graphql/limits.js";
import type { QueryBudget } from "../graphql/queryBudget.js";
import { buildContext } from "../graphql/requestContext.js";
import type { Format } from "./exportSheet.js";

export interface ExportEnv {
  deps: AppDeps;
  tokens: TokenSettings;
  logger: Logger;
  /** The process's budget of county-wide work per caller, shared with GraphQL; absent, exports are not charged. */
  budget?: QueryBudget;
}

/** One export request, once its caller is known and charged. */
export interface ExportCall {
  ctx: Context;
  format: Format;
  lang: Lang;
  params: URLSearchParams;
}

/** A request the caller must fix: 400 with its message. */
export class BadExportRequest extends Error {}

export function sendError(res: ServerResponse, status: number, error: string): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify({ error }));
}

/**
 * Charges an export to its caller's budget; false when over it, after answering 429 with Retry-After, as GraphQL's
 * county-wide questions are answered (docs/decisions.md 24).
 */
export function chargeExport(
  res: ServerResponse,
  env: ExportEnv,
  ctx: Pick<Context, "actor" | "clientAddress">,
  cost: number,
): boolean {
  const charged = env.budget?.charge(callerOf(ctx), cost) ?? { ok: true };
  if (charged.ok) return true;
  res.setHeader("retry-after", String(charged.retryAfterSeconds));
  sendError(res, 429, `too many county-wide questions: try again in ${charged.retryAfterSeconds} s`);
  return false;
}

/**
 * The viewer of a request outside GraphQL (exports, the import), by the same bearer token: null after answering 401
 * without a valid one, or 403 before the one-time password is changed.
 */
export async function signedIn(
  req: IncomingMessage,
  res: ServerResponse,
  env: Pick<ExportEnv, "deps" | "tokens" | "logger">,
): Promise<Context | null> {
  const ctx = await buildContext(env.deps, env.tokens, req.headers.authorization, env.logger);
  if (!ctx.actor) {
    res.setHeader("www-authenticate", "Bearer");
    sendError(res, 401, "a valid bearer token is required");
    return null;
  }
  if (ctx.user?.mustChangePassword) {
    sendError(res, 403, "change your one-time password first (changePassword)");
    return null;
  }
  return ctx;
}

/**
 * The door every export goes through: the same bearer token as GraphQL (401 without one, 403 before the one-time
 * password is changed), the same budget (429), then `lang` checked. Null when the answer has been sent.
 */
export async function openExport(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  env: ExportEnv,
  cost: number,
): Promise<ExportCall | null> {
  const ctx = await signedIn(req, res, env);
  if (!ctx) return null;
  if (!chargeExport(res, env, ctx, cost)) return null;
  const lang = url.searchParams.get("lang") ?? "zh";
  if (lang !== "zh" && lang !== "en") {
    sendError(res, 400, "lang must be zh or en");
    return null;
  }
  const format: Format = url.pathname.endsWith(".xlsx") ? "xlsx" : "csv";
  return { ctx, format, lang, params: url.searchParams };
}

/** Runs an export's body, answering its BadExportRequest with 400. */
export async function answeringBadRequests(res: ServerResponse, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (e instanceof BadExportRequest && !res.headersSent) return sendError(res, 400, e.message);
    throw e;
  }
}

/** A global ID of one type, in a county, from a query parameter; null when the parameter is absent. */
export function idParam(params: URLSearchParams, name: string, type: string): CountyKey | null {
  const text = params.get(name);
  if (text === null || text === "") return null;
  const decoded = fromGlobalId(text);
  if (!decoded || decoded.type !== type || decoded.countyId === null)
    throw new BadExportRequest(`${name} is not a valid ${type} ID`);
  return { countyId: decoded.countyId, id: decoded.id };
}

/** Exactly one of a depot and a region: what a sheet covers. */
export function depotOrRegion(params: URLSearchParams): { depot: CountyKey } | { region: CountyKey } {
  const depot = idParam(params, "depotId", "Depot");
  const region = idParam(params, "regionId", "Region");
  if (depot && region) throw new BadExportRequest("give depotId or regionId, not both");
  if (depot) return { depot };
  if (region) return { region };
  throw new BadExportRequest("depotId or regionId is required");
}

// an offset is required: without one the instant would depend on the server's time zone
const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** A bare date is a whole day in the county's calendar (Asia/Shanghai); `dayEdge` says which end of it. */
export function instantParam(params: URLSearchParams, name: string, dayEdge: string): Date | undefined {
  const text = params.get(name);
  if (text === null || text === "") return undefined;
  const day = parseCalendarDate(text);
  if (day) return instantOn(day, dayEdge);
  const m = ISO_INSTANT.exec(text);
  const instant = m && parseCalendarDate(m[1]!) ? new Date(text) : null;
  if (!instant || Number.isNaN(instant.getTime()))
    throw new BadExportRequest(`${name} must be a date (YYYY-MM-DD) or an ISO date-time with an offset`);
  return instant;
}

/** A whole number in a range, or the default when absent. */
export function intParam(params: URLSearchParams, name: string, range: [number, number], fallback: number) {
  const text = params.get(name);
  if (text === null || text === "") return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < range[0] || n > range[1])
    throw new BadExportRequest(`${name} must be a whole number from ${range[0]} to ${range[1]}`);
  return n;
}

/**
 * A region of the caller's counties (the region tree is public within a county, as in GraphQL); null, answered
 * 404 like a region that does not exist, for any other.
 */
export async function visibleRegion(ctx: Context, key: CountyKey): Promise<RegionRow | null> {
  if (!ctx.scope.counties.includes(key.countyId)) return null;
  return ctx.loaders.region.load(key);
}
