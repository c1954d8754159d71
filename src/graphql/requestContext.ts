import type { Logger } from "pino";
import type { AppDeps } from "../app/deps.js";
import { TokenError, type TokenSettings, type VerifiedClaims, verifyClaims } from "../auth/tokens.js";
import { createLoaders, type Loaders } from "../db/loaders.js";
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
  clientAddress = "unknown",
): Promise<Context> {
  let loaded: Awaited<ReturnType<typeof users.loadActor>> = null;
  let sessionId: number | null = null;
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (match) {
    try {
      const claims = await verifyClaims(tokens, match[1]!);
      loaded = await actorCacheOf(deps.database.db).load(claims.subject, deps.actorCacheMs ?? 0);
      if (loaded && !stillValid(loaded.user, claims)) {
        logger.debug({ user: claims.subject }, "token of a disabled user or from before a password change");
        loaded = null;
      }
      sessionId = loaded ? (claims.sessionId ?? null) : null;
    } catch (e) {
      if (!(e instanceof TokenError)) throw e;
      logger.debug({ reason: e.message }, "token refused");
    }
  }
  const today = dateInZone(deps.clock());
  const actor = loaded?.actor ?? null;
  const scope = actor ? readScope(actor) : EMPTY_SCOPE;
  return new RequestContext({
    actor,
    user: loaded?.user ?? null,
    sessionId,
    clientAddress,
    tokens,
    scope,
    deps,
    today,
    logger,
  });
}

/**
 * A request's context whose DataLoaders are made when a resolver first asks: a mutation or a compiled read never
 * does, and making some forty of them was 1–3% of the CPU of such a request. The accessor lives on the prototype, so
 * Apollo's copy of the context (Object.assign onto Object.create of the prototype) stays lazy, and a subscription's
 * renewal, which assigns a fresh context over the old one, brings the fresh loaders (none yet) with it.
 */
class RequestContext implements Context {
  actor!: Context["actor"];
  user!: Context["user"];
  sessionId!: Context["sessionId"];
  clientAddress!: string;
  tokens!: TokenSettings;
  scope!: Context["scope"];
  deps!: AppDeps;
  today!: Context["today"];
  logger!: Logger;
  loadersMade: Loaders | undefined = undefined;

  constructor(fields: Omit<Context, "loaders">) {
    Object.assign(this, fields);
  }

  get loaders(): Loaders {
    return (this.loadersMade ??= createLoaders(this.deps.database.db, this.scope));
  }
}

/**
 * A verified token still speaks for its user unless the user was disabled, or changed or was given a new password
 * after it was issued. Token times are whole seconds, so a token from the second of the change passes; the
 * session that changed the password keeps its tokens (users.password_session_id).
 */
function stillValid(user: users.UserRow, claims: VerifiedClaims): boolean {
  if (user.disabledAt) return false;
  if (!user.passwordChangedAt) return true;
  if (claims.sessionId !== undefined && claims.sessionId === user.passwordSessionId) return true;
  return (claims.issuedAt ?? 0) >= Math.floor(user.passwordChangedAt.getTime() / 1000);
}
