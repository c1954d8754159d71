import type postgres from "postgres";
import { ServiceUnavailableError } from "../shared/unavailable.js";
import { type DatabaseBounds, Gate, withDeadline } from "./gate.js";

type Unsafe = postgres.Sql["unsafe"];
type Work = (tx: postgres.TransactionSql) => unknown;

/** Failures that say the database is gone, slow or full, rather than that the request was wrong. */
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "57014", // query_canceled: statement_timeout
  "55P03", // lock_not_available: lock_timeout
  "25P03", // idle_in_transaction_session_timeout
  "57P01", // admin_shutdown
  "57P03", // cannot_connect_now: the server is starting
  "53300", // too_many_connections
]);

function asUnavailable(e: unknown): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === "string" && CONNECTION_CODES.has(code)) {
    return Object.assign(new ServiceUnavailableError("the database is unavailable"), { cause: e });
  }
  return e;
}

const mapped = <T>(work: Promise<T>): Promise<T> =>
  work.catch((e: unknown) => {
    throw asUnavailable(e);
  });

/** A statement drizzle may await or ask `.values()` of, sent only when one of the two is called. */
function lazyStatement(send: (values: boolean) => Promise<unknown>) {
  return {
    values: () => send(true),
    then: (ok?: (v: unknown) => unknown, bad?: (e: unknown) => unknown) => send(false).then(ok, bad),
  };
}

/** What a transaction's statements share: once one of them is given up on, the whole transaction is. */
class Abandon {
  given = false;
  private reject!: (e: unknown) => void;
  readonly promise = new Promise<never>((_, reject) => (this.reject = reject));
  constructor() {
    this.promise.catch(() => {});
  }
  give(e: unknown): void {
    this.given = true;
    this.reject(e);
  }
}

/** The client's deadline stays behind the server's own, which ends a slow statement cleanly. */
const clientDeadline = (bounds: DatabaseBounds) => bounds.statementTimeoutMs + 1000;

/**
 * A transaction's statements, every one prepared (see openDatabase) and bounded by the client's own deadline:
 * a server that stopped answering never cancels its own statement_timeout.
 */
function boundedTx(
  tx: postgres.TransactionSql,
  bounds: DatabaseBounds,
  abandon: Abandon,
): postgres.TransactionSql {
  return new Proxy(tx, {
    get(target, prop) {
      if (prop === "unsafe") {
        return ((...[query, params, options]: Parameters<Unsafe>) =>
          lazyStatement((values) => {
            if (abandon.given)
              return Promise.reject(new ServiceUnavailableError("the transaction was given up"));
            const q = target.unsafe(query, params, { ...options, prepare: true });
            return withDeadline(
              mapped(values ? q.values() : q),
              clientDeadline(bounds),
              "a statement timed out",
            ).catch((e: unknown) => {
              if (e instanceof ServiceUnavailableError) abandon.give(e);
              throw e;
            });
          })) as unknown as Unsafe;
      }
      if (prop === "savepoint") {
        return (...args: unknown[]) => {
          const work = args.pop() as Work;
          return target.savepoint(...(args as []), (inner) => work(boundedTx(inner, bounds, abandon)));
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The client drizzle sees: every statement prepared, every use of a connection through the gate, every wait
 * bounded. Prepared, because drizzle asks postgres.js for unnamed statements, which it then sends twice over and
 * plans every time; a named one is parsed once per connection (postgres.js recycles connections, max_lifetime).
 */
export function boundedClient(client: postgres.Sql, bounds: DatabaseBounds, size: number): postgres.Sql {
  const gate = new Gate(size, bounds);
  return new Proxy(client, {
    get(target, prop) {
      if (prop === "unsafe") {
        return ((...[query, params, options]: Parameters<Unsafe>) =>
          lazyStatement((values) =>
            gate.run(() => {
              const q = target.unsafe(query, params, { ...options, prepare: true });
              const work = mapped(values ? q.values() : q);
              return {
                work,
                answer: withDeadline(work, clientDeadline(bounds), "the database did not answer in time"),
              };
            }),
          )) as unknown as Unsafe;
      }
      if (prop === "begin") {
        return (...args: unknown[]) => {
          const work = args.pop() as Work;
          return gate.run(() => transaction(target, args, work, bounds));
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * One transaction, answered within bounds: a statement that overstays abandons it at once, and so does a commit or
 * rollback that does not come back (the connection is freed, and the gate's slot given back, only when it does).
 */
function transaction(target: postgres.Sql, args: unknown[], work: Work, bounds: DatabaseBounds) {
  const abandon = new Abandon();
  let ending: NodeJS.Timeout | undefined;
  const endBy = () => {
    ending = setTimeout(
      () => abandon.give(new ServiceUnavailableError("the database did not end the transaction in time")),
      clientDeadline(bounds),
    );
    ending.unref();
  };
  const run = target.begin(...(args as []), async (tx) => {
    try {
      return await work(boundedTx(tx, bounds, abandon));
    } finally {
      endBy();
    }
  });
  const done = mapped(run as Promise<unknown>).finally(() => clearTimeout(ending));
  return { work: done, answer: Promise.race([done, abandon.promise]) };
}
