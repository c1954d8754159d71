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
  /** Paperwork left by an emergency issue is overdue when still open this many days after (EMERGENCY_PAPERWORK_DAYS). */
  emergencyPaperworkDays: number;
}

export const DEFAULT_POLICY: StockPolicy = {
  writeOffConfirmationThreshold: "100",
  emergencyPaperworkDays: 7,
};

/** serialization_failure and deadlock_detected: the database undid the transaction, and it may simply run again. */
const RETRYABLE = new Set(["40001", "40P01"]);
const ATTEMPTS = 4;

function retryable(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 4; depth += 1) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && RETRYABLE.has(code)) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

/** A random pause that grows with each attempt, so the transactions that collided do not collide again. */
const jitter = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));

/**
 * One transaction per use case: facts are loaded, decided on and written inside it. Locks are taken in one order
 * (docs/decisions.md), but a transaction the database still undoes for a deadlock or a serialization failure is
 * run again a few times before the caller hears of it; `work` wrote nothing that survived, and the idempotency
 * record is written inside the same transaction, so running it again is safe.
 */
export async function inTransaction<T>(deps: AppDeps, work: (tx: Executor) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await deps.database.db.transaction((tx) => work(tx as unknown as Executor));
    } catch (e) {
      if (attempt >= ATTEMPTS || !retryable(e)) throw e;
      deps.logger.warn({ err: e, attempt }, "transaction undone by the database, running it again");
      await jitter(attempt);
    }
  }
}
