import type { Actor } from "../domain/custody/actor.js";
import type { Executor } from "../db/client.js";
import { tallyLedgerLines } from "../db/ledgerTally.js";
import { type AppDeps, inTransaction } from "./deps.js";
import { idempotent } from "./idempotency.js";

/**
 * One use case: one transaction, under the caller's idempotency key, with one "now" for every instant it records.
 * The key is hashed with the rest of the input, so the same key with other input is refused.
 */
export async function command<I extends { idempotencyKey?: string | null | undefined }, T>(
  deps: AppDeps,
  actor: Actor,
  operation: string,
  countyId: number,
  input: I,
  work: (tx: Executor, now: Date) => Promise<T>,
): Promise<T> {
  const { idempotencyKey, ...request } = input;
  let replayed = false;
  const { value, lines } = await inTransaction(deps, (tx) => {
    // a transaction may be attempted more than once; only the attempt that commits is reported
    replayed = false;
    const onReplay = () => {
      replayed = true;
    };
    return tallyLedgerLines(tx, () =>
      idempotent(tx, actor, { key: idempotencyKey, operation, countyId, input: request, onReplay }, () =>
        work(tx, deps.clock()),
      ),
    );
  });
  if (replayed) deps.observer?.idempotentReplay(operation);
  if (lines.size > 0) deps.observer?.ledgerLinesWritten(lines);
  return value;
}
