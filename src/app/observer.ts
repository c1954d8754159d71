/**
 * What the use cases report for the operator's metrics. The HTTP layer implements it (prom-client); the app layer
 * only calls it, after the transaction committed, so rolled-back attempts are never counted.
 */
export interface CommandObserver {
  /** A retried request with a known idempotency key got its stored response. */
  idempotentReplay(operation: string): void;
  /** Ledger lines (movements) one committed command appended, by kind. */
  ledgerLinesWritten(lines: ReadonlyMap<string, number>): void;
}
