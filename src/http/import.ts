import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { AppDeps } from "../app/deps.js";
import { importFile } from "../app/import/importFile.js";
import type { TokenSettings } from "../auth/tokens.js";
import { decideAdministration } from "../domain/custody/policy.js";
import { readBytes, sendTooLarge } from "./body.js";
import { sendError, signedIn } from "./exportRequest.js";

export interface ImportEnv {
  deps: AppDeps;
  tokens: TokenSettings;
  logger: Logger;
  maxBytes?: number | undefined;
}

export const DEFAULT_IMPORT_MAX_BYTES = 20_000_000;

/**
 * POST /import?commit=false|true: the web console's 台账 import. The body is the file (.xlsx, or one CSV sheet with
 * `sheet=` naming it when its headers do not); the answer is the import's report as JSON, 200 when the file has no
 * problem, 422 when it has. Same token as the API; only a county's administrator imports.
 */
export async function importBooks(req: IncomingMessage, res: ServerResponse, url: URL, env: ImportEnv) {
  const ctx = await signedIn(req, res, env);
  if (!ctx?.actor) return;
  const admin = ctx.actor.grants.find((g) => g.role === "COUNTY_ADMIN");
  if (!admin || !decideAdministration(ctx.actor, admin.countyId).allowed)
    return sendError(res, 403, "only a county's administrator imports a 台账");
  const limit = env.maxBytes ?? DEFAULT_IMPORT_MAX_BYTES;
  const bytes = await readBytes(req, limit);
  if (bytes === null) {
    return sendTooLarge(req, res, {
      error: `文件超过 ${Math.floor(limit / 1_000_000)} MB 的上限，请拆分后分批导入（IMPORT_MAX_BYTES）`,
    });
  }
  const commit = url.searchParams.get("commit") === "true";
  const report = await importFile(env.deps, ctx.actor, bytes, {
    commit,
    sheet: url.searchParams.get("sheet") ?? undefined,
  });
  res.writeHead(report.problems.length > 0 ? 422 : 200, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(JSON.stringify(report));
}
