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
              const send = () => {
                const q = target.unsafe(query, params, { ...options, prepare: true });
                return values ? q.values() : q;
              };
              const work = mapped(againIfTerminated(send));
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
  const options = typeof args[0] === "string" ? args[0] : "";
  const run = pipelined(target, options, async (tx) => {
    try {
      return await work(boundedTx(tx, bounds, abandon));
    } finally {
      endBy();
    }
  });
  const done = mapped(run as Promise<unknown>).finally(() => clearTimeout(ending));
  return { work: done, answer: Promise.race([done, abandon.promise]) };
}

/**
 * 57P01 (admin_shutdown) that was never the statement's own. A connection killed under a statement (a DBA's
 * pg_terminate_backend, a failover) fails that statement as CONNECTION_CLOSED; postgres.js keeps the server's 57P01
 * on the connection and hands it to the first use of the connection's reconnection, which it never sent. That use
 * is asked for once more, on whatever connection the pool gives; a server that is really stopping refuses that one
 * too, and the caller hears 503 as before (test/postgres/lostConnection.test.ts).
 */
const terminated = (e: unknown) => (e as { code?: unknown } | null)?.code === "57P01";

function againIfTerminated<T>(use: () => PromiseLike<T>): Promise<T> {
  return Promise.resolve(use()).catch((e: unknown) => {
    if (!terminated(e)) throw e;
    return use();
  });
}

/** A connection for a transaction; a stale 57P01 (above) on the reservation is asked for again. */
const reserve = (target: postgres.Sql): Promise<postgres.ReservedSql> =>
  againIfTerminated(() => target.reserve());

/** What postgres.js says of a statement sent on a connection that has closed. */
const connectionClosed = () =>
  Object.assign(new Error("the connection closed during the transaction"), { code: "CONNECTION_CLOSED" });

/**
 * A transaction on a reserved connection whose BEGIN goes out with its first statement, and whose statements run
 * on generic plans: a transaction's statements find and change rows by key, so the plan built for one call is the
 * plan for every call, and planning them anew was half the database's time on a stock command (decision 58).
 *
 * postgres.js's own begin() waits for BEGIN's answer before the work may send anything: a round trip of its own on every transaction, a
 * sixth of a stock command's. postgres.js writes what is queued on a connection in one turn of the event loop as
 * one packet, so BEGIN and the first statement travel together, and PostgreSQL runs them in order; BEGIN cannot
 * fail on a live connection, and its answer is checked before COMMIT all the same.
 *
 * A connection that closes under the transaction is never handed back to the pool (postgres.js would put the dead
 * connection among the idle ones: porsager/postgres#1199) nor written to again (its socket is gone), so the
 * transaction's remaining statements fail as the closed connection's would.
 */
async function pipelined(target: postgres.Sql, options: string, work: Work): Promise<unknown> {
  const reserved = await reserve(target);
  let connection: { onclose: ((e: unknown) => void) | null } | null = null;
  let closed = false;
  // one simple query, so the setting costs no round trip; LOCAL ends with the transaction, and the connection's
  // statements outside one keep the pool's custom plans (decision 58)
  const begun = reserved
    .unsafe(`begin ${options.replace(/[^a-z ]/gi, "")}; set local plan_cache_mode = force_generic_plan`, [], {
      // postgres.js's own hook, as its begin() uses it, for the connection the transaction runs on; true keeps
      // the connection open to the statements queued behind BEGIN
      onexecute: (c: NonNullable<typeof connection>) => {
        connection = c;
        c.onclose = () => (closed = true);
        return true;
      },
    } as never)
    .execute();
  begun.catch(() => {});
  const send = (text: string) => {
    if (closed) return Promise.reject(connectionClosed());
    return reserved.unsafe(text);
  };
  let savepoints = 0;
  const tx = {
    unsafe: (...[query, params, opts]: Parameters<Unsafe>) => {
      if (closed) throw connectionClosed();
      return reserved.unsafe(query, params, opts);
    },
    // as postgres.js's savepoint(): undone on failure, left to the transaction's end on success
    savepoint: async (inner: Work) => {
      const name = `s${savepoints++}`;
      await send(`savepoint ${name}`);
      try {
        return await inner(tx as unknown as postgres.TransactionSql);
      } catch (e) {
        await send(`rollback to savepoint ${name}`);
        throw e;
      }
    },
  };
  try {
    const result = await work(tx as unknown as postgres.TransactionSql);
    await begun;
    await send("commit");
    return result;
  } catch (e) {
    if (!closed) await send("rollback").catch(() => {});
    throw e;
  } finally {
    if (connection) (connection as { onclose: unknown }).onclose = null;
    if (!closed) reserved.release();
  }
}
