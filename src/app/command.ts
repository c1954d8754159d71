import type { Actor } from "../domain/custody/actor.js";
import type { Executor } from "../db/client.js";
import { type AppDeps, inTransaction } from "./deps.js";
import { idempotent } from "./idempotency.js";

/**
 * One use case: one transaction, under the caller's idempotency key, with one "now" for every instant it records.
 * The key is hashed with the rest of the input, so the same key with other input is refused.
 */
export function command<I extends { idempotencyKey?: string | null | undefined }, T>(
  deps: AppDeps,
  actor: Actor,
  operation: string,
  countyId: number,
  input: I,
  work: (tx: Executor, now: Date) => Promise<T>,
): Promise<T> {
  const { idempotencyKey, ...request } = input;
  return inTransaction(deps, (tx) =>
    idempotent(tx, actor, { key: idempotencyKey, operation, countyId, input: request }, () =>
      work(tx, deps.clock()),
    ),
  );
}
