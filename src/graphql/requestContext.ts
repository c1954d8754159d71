import type { Logger } from "pino";
import type { AppDeps } from "../app/deps.js";
import { TokenError, type TokenSettings, verifyToken } from "../auth/tokens.js";
import { createLoaders } from "../db/loaders.js";
import { actorCacheOf } from "../db/actorCache.js";
import type * as users from "../db/repositories/users.js";
import { readScope } from "../domain/custody/policy.js";
import { dateInZone } from "../domain/shared/calendar.js";
import type { Context } from "./context.js";

const EMPTY_SCOPE = { subtrees: [], depots: [], counties: [] };

/**
 * The actor behind an Authorization header, or null. A bad, expired or unknown-user token is simply no actor:
 * every operation requires one, so the caller gets UNAUTHENTICATED without learning which check failed.
 */
export async function buildContext(
  deps: AppDeps,
  tokens: TokenSettings,
  authorization: string | undefined,
  logger: Logger,
): Promise<Context> {
  let loaded: Awaited<ReturnType<typeof users.loadActor>> = null;
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (match) {
    try {
      const username = await verifyToken(tokens, match[1]!);
      loaded = await actorCacheOf(deps.database.db).load(username, deps.actorCacheMs ?? 0);
    } catch (e) {
      if (!(e instanceof TokenError)) throw e;
      logger.debug({ reason: e.message }, "token refused");
    }
  }
  const today = dateInZone(deps.clock());
  const actor = loaded?.actor ?? null;
  const scope = actor ? readScope(actor) : EMPTY_SCOPE;
  return {
    actor,
    user: loaded?.user ?? null,
    scope,
    loaders: createLoaders(deps.database.db, scope),
    deps,
    today,
    logger,
  };
}
