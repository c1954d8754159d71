import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

/** What the access log and masked errors know about the HTTP request being served. */
export interface RequestScope {
  id: string;
  /** The GraphQL operation's name once Apollo resolved it; "anonymous" for an unnamed one. */
  operation?: string;
  /** The signed-in username, once the context is built. */
  user?: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function inRequestScope<T>(scope: RequestScope, work: () => T): T {
  return storage.run(scope, work);
}

export function currentRequest(): RequestScope | undefined {
  return storage.getStore();
}

// a client's id is echoed into headers and log lines, so only short, plain tokens are taken
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when it is a sane token (a proxy's trace id), a new UUID otherwise. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SANE_ID.test(value) ? value : randomUUID();
}
