import { toUserErrors, type UserError } from "./errors.js";

/** A refused mutation's payload: every entity field null, every list empty. */
export type Refused<P> = { [K in keyof P]: P[K] extends readonly unknown[] ? P[K] : P[K] | null };

/**
 * Runs a use case for a mutation: its result shaped into the payload, or its business refusal as `userErrors`
 * beside empty fields. Unexpected errors and auth refusals are not caught here; they go to the top level.
 */
export async function payload<T, P extends object>(
  work: () => Promise<T>,
  shape: (result: T) => P,
  empty: Refused<P>,
): Promise<Refused<P> & { userErrors: UserError[] }> {
  try {
    return { ...shape(await work()), userErrors: [] };
  } catch (e) {
    return { ...empty, userErrors: toUserErrors(e) };
  }
}
