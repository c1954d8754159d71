import type { Logger } from "pino";
import type { Database, Executor } from "../db/client.js";
import type { CommandObserver } from "./observer.js";

/** What every use case needs from the outside world; tests pass a fixed clock. */
export interface AppDeps {
  database: Database;
  clock: () => Date;
  logger: Logger;
  policy: StockPolicy;
  /** How long a viewer's grants are remembered between requests; 0 reads them on every request. */
  actorCacheMs?: number;
  /** Told about replays and ledger lines after each committed command (metrics); absent, nobody listens. */
  observer?: CommandObserver;
}

/** Tunable rules of the stock commands. */
export interface StockPolicy {
  /** Write-offs above this quantity (in the item's unit) wait for a second person's confirmation. */
  writeOffConfirmationThreshold: string;
}

export const DEFAULT_POLICY: StockPolicy = { writeOffConfirmationThreshold: "100" };

/** One transaction per use case: facts are loaded, decided on and written inside it. */
export function inTransaction<T>(deps: AppDeps, work: (tx: Executor) => Promise<T>): Promise<T> {
  return deps.database.db.transaction((tx) => work(tx as unknown as Executor));
}
