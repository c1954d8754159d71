import { createHash } from "node:crypto";
import type { Executor } from "../db/client.js";
import * as idempotencyKeys from "../db/repositories/idempotencyKeys.js";
import * as idempotencyWrites from "../db/repositories/idempotencyKeys.writes.js";
import type { Actor } from "../domain/custody/actor.js";
import { DomainError } from "../domain/shared/errors.js";
import { quantitiesAsText } from "../domain/shared/quantity.js";

/** JSON with sorted keys, so the same input always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export interface IdempotencyRequest {
  key: string | null | undefined;
  operation: string;
  countyId: number;
  /** The request as the client sent it, without the key. */
  input: unknown;
  /** Told when the stored response is returned instead of running the work. */
  onReplay?: () => void;
}

/**
 * Runs `work` once per (user, key): the key, a hash of the input and the response are written in the caller's
 * transaction. A retry with the same input gets the stored response and writes nothing; the same key with other
 * input is IDEMPOTENCY_KEY_PARAMETER_MISMATCH. Responses are stored as JSON, so results must be JSON-shaped.
 */
export async function idempotent<T>(
  tx: Executor,
  actor: Actor,
  req: IdempotencyRequest,
  work: () => Promise<T>,
): Promise<T> {
  if (!req.key) return work();
  if (req.key.length > 200) {
    throw new DomainError("INVALID_INPUT", "idempotency key is longer than 200 characters", [
      "idempotencyKey",
    ]);
  }
  const claim: idempotencyKeys.IdempotencyClaim = {
    countyId: req.countyId,
    userId: actor.userId,
    key: req.key,
    operation: req.operation,
    requestHash: createHash("sha256")
      .update(canonical({ op: req.operation, input: req.input }))
      .digest("hex"),
  };
  if (!(await idempotencyWrites.claim(tx, claim))) {
    const stored = await idempotencyKeys.find(tx, claim);
    if (!stored || stored.requestHash !== claim.requestHash || stored.operation !== claim.operation) {
      throw new DomainError(
        "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
        "this idempotency key was used with different input",
        ["idempotencyKey"],
      );
    }
    req.onReplay?.();
    return stored.response as T;
  }
  const result = await work();
  // JSON round trip now, so the first answer and every replay have exactly the same shape (quantities as text)
  const json = JSON.parse(JSON.stringify(result, quantitiesAsText)) as T;
  await idempotencyWrites.saveResponse(tx, claim, json);
  return json;
}
