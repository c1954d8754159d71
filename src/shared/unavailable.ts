/**
 * The database is slow, gone or saturated: the request was refused within its bounds instead of waiting out the
 * outage. A top-level SERVICE_UNAVAILABLE with HTTP 503 and Retry-After; nothing was written unless the
 * commit itself was what timed out, which an idempotency key makes safe to retry.
 */
export class ServiceUnavailableError extends Error {
  override name = "ServiceUnavailableError";
  readonly extensions: { code: "SERVICE_UNAVAILABLE"; http: { status: 503; headers: Map<string, string> } };

  constructor(message: string, retryAfterSeconds = RETRY_AFTER_SECONDS) {
    super(message);
    this.extensions = {
      code: "SERVICE_UNAVAILABLE",
      http: { status: 503, headers: new Map([["retry-after", String(retryAfterSeconds)]]) },
    };
  }
}

export const RETRY_AFTER_SECONDS = 5;

/** The ServiceUnavailableError a failure was caused by, through the wrappers of drizzle and graphql-js. */
export function unavailableIn(e: unknown): ServiceUnavailableError | null {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth += 1) {
    if (cur instanceof ServiceUnavailableError) return cur;
    const next = cur as { cause?: unknown; originalError?: unknown };
    cur = next.originalError ?? next.cause;
  }
  return null;
}
