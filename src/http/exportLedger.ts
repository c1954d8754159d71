import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { AppDeps } from "../app/deps.js";
import type { TokenSettings } from "../auth/tokens.js";
import type { CountyKey } from "../db/keys.js";
import type { Loaders } from "../db/loaders.js";
import type { ItemRow } from "../db/repositories/catalogue.js";
import type { DepotRow } from "../db/repositories/depots.js";
import { streamMovements } from "../db/repositories/ledger.js";
import type { LotRow, MovementRow } from "../db/repositories/stock.js";
import type { UserRow } from "../db/repositories/users.js";
import { instantOn, parseCalendarDate } from "../domain/shared/calendar.js";
import { formatQuantity, fromDb } from "../domain/shared/quantity.js";
import type { Context } from "../graphql/context.js";
import { fromGlobalId } from "../graphql/ids.js";
import { callerOf, EXPORT_COST } from "../graphql/limits.js";
import type { QueryBudget } from "../graphql/queryBudget.js";
import { buildContext } from "../graphql/requestContext.js";

export interface ExportEnv {
  deps: AppDeps;
  tokens: TokenSettings;
  logger: Logger;
  /** The process's budget of county-wide work per caller, shared with GraphQL; absent, exports are not charged. */
  budget?: QueryBudget;
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

/** Column headers as the county's staff read them; the order is the order of `csvFields`. */
export const LEDGER_CSV_HEADER = [
  "流水号",
  "发生时间",
  "记录时间",
  "储备点",
  "物资编码",
  "物资名称",
  "批次号",
  "序列号",
  "类型",
  "数量",
  "单位",
  "经办人",
  "原因",
  "凭证/去向",
  "冲销流水号",
  "动用指令号",
] as const;

// without the byte order mark Excel reads the file as the local ANSI code page and garbles the Chinese
const BOM = "\uFEFF";
const CRLF = "\r\n";
/** Index of the quantity column: a leading minus there is a deduction, not a formula. */
const QUANTITY_COLUMN = LEDGER_CSV_HEADER.indexOf("数量");

class BadExportRequest extends Error {}

/**
 * GET /export/ledger.csv?depotId=…&from=…&to=…: one depot's ledger as CSV, in recording order, streamed a batch
 * at a time so a ledger of any length costs the same memory. Same token, same custody scope as GraphQL.
 */
export async function exportLedger(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  env: ExportEnv,
  batchSize = 1000,
): Promise<void> {
  const ctx = await buildContext(env.deps, env.tokens, req.headers.authorization, env.logger);
  if (!ctx.actor) {
    res.setHeader("www-authenticate", "Bearer");
    return sendError(res, 401, "a valid bearer token is required");
  }
  if (ctx.user?.mustChangePassword)
    return sendError(res, 403, "change your one-time password first (changePassword)");
  if (!chargeExport(res, env, ctx, EXPORT_COST.ledgerCsv)) return;
  let request: ExportRequest;
  try {
    request = parseExportRequest(url.searchParams);
  } catch (e) {
    if (e instanceof BadExportRequest) return sendError(res, 400, e.message);
    throw e;
  }
  // out of scope and absent look the same, so the answer does not reveal which depots exist
  const depot = await ctx.loaders.depot.load(request.depot);
  if (!depot) return sendError(res, 404, "depot not found");

  const batches = streamMovements(
    env.deps.database.db,
    ctx.scope,
    { depot: request.depot, from: request.from, to: request.to },
    batchSize,
  );
  // the first batch is read before the headers go out, so a failing database still gets a proper 500
  const first = await batches.next();
  writeCsvHead(res, depot);
  try {
    await streamRows(res, depot, ctx.loaders, resume(first, batches));
  } catch (err) {
    env.logger.error({ err, depot: depot.code }, "ledger export failed after the headers were sent");
    // destroying, not ending: a cleanly terminated body would pass for a complete ledger
    res.destroy();
  }
}

export function sendError(res: ServerResponse, status: number, error: string): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify({ error }));
}

interface ExportRequest {
  depot: CountyKey;
  /** occurredAt bounds, both inclusive. */
  from: Date | undefined;
  to: Date | undefined;
}

function parseExportRequest(params: URLSearchParams): ExportRequest {
  const depotId = params.get("depotId");
  if (!depotId) throw new BadExportRequest("depotId is required");
  const decoded = fromGlobalId(depotId);
  if (!decoded || decoded.type !== "Depot" || decoded.countyId === null)
    throw new BadExportRequest("depotId is not a valid Depot ID");
  const from = parseBound(params.get("from"), "from", "00:00:00");
  const to = parseBound(params.get("to"), "to", "23:59:59.999");
  if (from && to && from > to) throw new BadExportRequest("from is after to");
  return { depot: { countyId: decoded.countyId, id: decoded.id }, from, to };
}

// an offset is required: without one the instant would depend on the server's time zone
const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** A bare date is a whole day in the county's calendar (Asia/Shanghai); `dayEdge` says which end of it. */
function parseBound(text: string | null, name: string, dayEdge: string): Date | undefined {
  if (text === null || text === "") return undefined;
  const day = parseCalendarDate(text);
  if (day) return instantOn(day, dayEdge);
  const m = ISO_INSTANT.exec(text);
  const instant = m && parseCalendarDate(m[1]!) ? new Date(text) : null;
  if (!instant || Number.isNaN(instant.getTime()))
    throw new BadExportRequest(`${name} must be a date (YYYY-MM-DD) or an ISO date-time with an offset`);
  return instant;
}

function writeCsvHead(res: ServerResponse, depot: DepotRow): void {
  // header values must be plain ASCII; depot codes are, but nothing enforces it
  const safeCode = depot.code.replace(/[^A-Za-z0-9._-]/g, "_");
  res.writeHead(200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="ledger-${safeCode}.csv"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  res.write(BOM + csvLine(LEDGER_CSV_HEADER));
}

async function streamRows(
  res: ServerResponse,
  depot: DepotRow,
  loaders: Loaders,
  batches: AsyncGenerator<MovementRow[]>,
): Promise<void> {
  let closed = false;
  res.once("close", () => (closed = true));
  for await (const batch of batches) {
    if (closed) return;
    const lookups = await lookUp(batch, loaders);
    if (closed) return;
    const chunk = batch.map((m) => csvLine(csvFields(m, depot, lookups))).join("");
    if (!res.write(chunk)) await drainedOrClosed(res);
  }
  if (!closed) res.end();
}

/** The batches again, the one already read first. */
async function* resume<T>(first: IteratorResult<T, unknown>, rest: AsyncGenerator<T>): AsyncGenerator<T> {
  if (first.done) return;
  yield first.value;
  yield* rest;
}

/** Resolves on 'drain', or on 'close' when the client went away and 'drain' would never come. */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });
}

interface Lookups {
  item(id: number): ItemRow | null;
  lot(id: number): LotRow | null;
  user(id: number): UserRow | null;
}

/** Items, lots and users of one batch: one statement each per batch, never one per line. */
async function lookUp(batch: MovementRow[], loaders: Loaders): Promise<Lookups> {
  const itemIds = [...new Set(batch.map((m) => m.itemId))];
  const userIds = [...new Set(batch.map((m) => m.actorId))];
  // one depot, so one county: the lot id alone identifies a lot of this export
  const lotIds = [...new Set(batch.map((m) => m.lotId))];
  const lotKeys = lotIds.map((id) => ({ countyId: batch[0]!.countyId, id }));
  const [items, lots, users] = await Promise.all([
    loaders.item.loadMany(itemIds),
    loaders.lot.loadMany(lotKeys),
    loaders.user.loadMany(userIds),
  ]);
  // items and users are a small catalogue worth caching for the whole export; lots grow with the ledger
  loaders.lot.clearAll();
  const itemMap = new Map(itemIds.map((id, i) => [id, found(items[i])]));
  const lotMap = new Map(lotIds.map((id, i) => [id, found(lots[i])]));
  const userMap = new Map(userIds.map((id, i) => [id, found(users[i])]));
  return {
    item: (id) => itemMap.get(id) ?? null,
    lot: (id) => lotMap.get(id) ?? null,
    user: (id) => userMap.get(id) ?? null,
  };
}

function found<T>(value: T | Error | null | undefined): T | null {
  if (value instanceof Error) throw value;
  return value ?? null;
}

function csvFields(m: MovementRow, depot: DepotRow, lookups: Lookups): string[] {
  const item = lookups.item(m.itemId);
  const lot = lookups.lot(m.lotId);
  const reference = [m.reference, m.recipient ?? ""].filter((s) => s !== "").join(" / ");
  return [
    String(m.id),
    m.occurredAt.toISOString(),
    m.recordedAt.toISOString(),
    depot.code,
    item?.code ?? "",
    item?.nameZh ?? "",
    lot?.lotCode ?? "",
    lot?.serialNumber ?? "",
    m.kind,
    formatQuantity(fromDb(m.quantity)),
    item?.unitCode ?? "",
    lookups.user(m.actorId)?.username ?? "",
    m.reason,
    reference,
    m.reversesId === null ? "" : String(m.reversesId),
    m.releaseOrderNo ?? "",
  ];
}

export function csvLine(fields: readonly string[]): string {
  return fields.map((f, i) => quote(i === QUANTITY_COLUMN ? f : defuse(f))).join(",") + CRLF;
}

/**
 * Spreadsheets run a cell starting with = + - @ (or tab or CR) as a formula; an apostrophe makes it text.
 * Reasons, references, codes and names are typed by people, so every column but the quantity is defused.
 */
function defuse(field: string): string {
  return /^[=+\-@\t\r]/.test(field) ? `'${field}` : field;
}

/** RFC 4180: quote a field holding a comma, quote, CR or LF, doubling the quotes inside. */
function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
