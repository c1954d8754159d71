import type { Logger } from "pino";
import type { AppDeps } from "../app/deps.js";
import type { TokenSettings } from "../auth/tokens.js";
import type { Loaders } from "../db/loaders.js";
import type { RawAnswers } from "./compiled/rawAnswers.js";
import type { RequestScope } from "../shared/requestScope.js";
import type { UserRow } from "../db/repositories/users.js";
import type { Actor } from "../domain/custody/actor.js";
import type { ReadScope } from "../domain/custody/policy.js";
import type { CalendarDate } from "../domain/shared/calendar.js";

export interface Context {
  /** Null when the request carried no valid token; operations then answer UNAUTHENTICATED. */
  actor: Actor | null;
  user: UserRow | null;
  /** The sign-in session (family) the access token belongs to; null for tokens not issued by signIn. */
  sessionId: number | null;
  /** Who is calling, as the HTTP request tells: the socket peer, or the proxy's X-Forwarded-For (TRUST_PROXY). */
  clientAddress: string;
  /** How tokens are verified and signed; signIn and refreshSession sign with it. */
  tokens: TokenSettings;
  /** What the actor may read, worked out once per request; empty without an actor. */
  scope: ReadScope;
  loaders: Loaders;
  deps: AppDeps;
  /** "Today" in Asia/Shanghai for this request, fixed once so every field agrees. */
  today: CalendarDate;
  logger: Logger;
  /** A WebSocket subscription's: the topic its process's notices are published under (graphql/live.ts). */
  liveTopic?: string;
  /**
   * A WebSocket subscription's: reads the token and the viewer again before an event is delivered, replacing the
   * actor, scope, loaders and day above; false once the token expired or the user was disabled.
   */
  renew?: () => Promise<boolean>;
  /** An HTTP request's: compiled answers kept as PostgreSQL's JSON text, put into the response as they are. */
  rawAnswers?: RawAnswers;
  /** An HTTP request's: its id, operation and user, for the access log and masked errors. */
  request?: RequestScope;
}
