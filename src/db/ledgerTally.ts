import { AsyncLocalStorage } from "node:async_hooks";

/** Ledger lines appended by kind, per transaction attempt: only a committed attempt's tally is reported. */
export type LedgerTally = Map<string, number>;

const storage = new AsyncLocalStorage<LedgerTally>();

export async function tallyLedgerLines<T>(work: () => Promise<T>): Promise<{ value: T; lines: LedgerTally }> {
  const lines: LedgerTally = new Map();
  const value = await storage.run(lines, work);
  return { value, lines };
}

export function noteLedgerLine(kind: string): void {
  const lines = storage.getStore();
  if (lines) lines.set(kind, (lines.get(kind) ?? 0) + 1);
}
