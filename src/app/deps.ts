import type { Logger } from "pino";
import type { Database, Executor } from "../db/client.js";

/** What every use case needs from the outside world; tests pass a fixed clock. */
export interface AppDeps {
  database: Database;
  clock: () => Date;
  logger: Logger;
}

/** One transaction per use case: facts are loaded, decided on and written inside it. */
export function inTransaction<T>(deps: AppDeps, work: (tx: Executor) => Promise<T>): Promise<T> {
  return deps.database.db.transaction((tx) => work(tx as unknown as Executor));
}
