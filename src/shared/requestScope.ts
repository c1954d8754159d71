import { randomUUID } from "node:crypto";

/** What the access log and masked errors know about the HTTP request being served. */
export interface RequestScope {
  id: string;
  /** The GraphQL operation's name once Apollo resolved it; "anonymous" for an unnamed one. */
  operation?: string;
  /** The signed-in username, once the context is built. */
  user?: string;
}

/**
 * The request an error was raised under, for the masked answer and the log line that say its id. Passed along with
 * the error rather than kept in an AsyncLocalStorage: on Node 20 that installs a promise hook for every promise the
 * process makes, which was 5% of the service's CPU on a stock command.
 */
const raisedUnder = new WeakMap<object, RequestScope>();

export function noteRaisedUnder(error: unknown, scope: RequestScope): void {
  if (typeof error === "object" && error !== null) raisedUnder.set(error, scope);
}

export function requestIdOf(error: unknown): string | undefined {
  return typeof error === "object" && error !== null ? raisedUnder.get(error)?.id : undefined;
}

// a client's id is echoed into headers and log lines, so only short, plain tokens are taken
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when it is a sane token (a proxy's trace id), a new UUID otherwise. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SANE_ID.test(value) ? value : randomUUID();
}
