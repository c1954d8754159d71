import type { Executor } from "./client.js";

/** Ledger lines appended by kind, per transaction attempt: only a committed attempt's tally is reported. */
export type LedgerTally = Map<string, number>;

/**
 * The tally of the transaction a line is appended in, found by the transaction itself (not an AsyncLocalStorage:
 * on Node 20 that hooks every promise of the process).
 */
const tallies = new WeakMap<Executor, LedgerTally>();

export async function tallyLedgerLines<T>(
  tx: Executor,
  work: () => Promise<T>,
): Promise<{ value: T; lines: LedgerTally }> {
  const lines: LedgerTally = new Map();
  tallies.set(tx, lines);
  try {
    return { value: await work(), lines };
  } finally {
    tallies.delete(tx);
  }
}

export function noteLedgerLine(tx: Executor, kind: string): void {
  const lines = tallies.get(tx);
  if (lines) lines.set(kind, (lines.get(kind) ?? 0) + 1);
}
