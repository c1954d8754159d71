import type { Logger } from "pino";
import type { AppDeps } from "../app/deps.js";
import type { Loaders } from "../db/loaders.js";
import type { UserRow } from "../db/repositories/users.js";
import type { Actor } from "../domain/custody/actor.js";
import type { CalendarDate } from "../domain/shared/calendar.js";

export interface Context {
  /** Null when the request carried no valid token; operations then answer UNAUTHENTICATED. */
  actor: Actor | null;
  user: UserRow | null;
  loaders: Loaders;
  deps: AppDeps;
  /** "Today" in Asia/Shanghai for this request, fixed once so every field agrees. */
  today: CalendarDate;
  logger: Logger;
}
