import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import type { Logger } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { boundedClient } from "./bounded.js";
import { type DatabaseBounds, DEFAULT_BOUNDS, withDeadline } from "./gate.js";
import { migratePgliteDatabase, migratePostgresDatabase } from "./migrate.js";

/**
 * Either engine, one type: everything above db/ sees only this. Without drizzle's relational queries (`db.query`,
 * never used): given the schema, drizzle builds a query builder per table for every transaction it opens, which was
 * 2% of the service's CPU on a stock command.
 */
export type Db = PgDatabase<PgQueryResultHKT>;
/** A transaction is a Db too; every repository function takes the executor first. */
export type Executor = Db;

export type Engine = "postgres" | "pglite";

export interface Database {
  db: Db;
  /**
   * For the compiled reads alone (src/graphql/compiled): statements whose text is fixed per question and whose
   * values are keys, so PostgreSQL keeps one generic plan per connection instead of planning every call. The same
   * Db as `db` on PGlite, and on PostgreSQL when the pool has a single connection.
   */
  reads: Db;
  engine: Engine;
  /** The embedded instance, when the engine is PGlite (tests dump it as a migrated template). */
  pglite: PGlite | null;
  /** SQL statements sent so far; tests read it to prove list queries are batched. */
  statements(): number;
  /** Answers when the database does, or fails within a second; used by /readyz. */
  ping(): Promise<void>;
  /**
   * Hears NOTIFY on `channel` (db/events.ts) until the answered function is called. PostgreSQL: one dedicated
   * connection beside the pool, re-opened by postgres.js when it drops, `onListen` called each time it (re)listens;
   * what was sent while it was down is lost. PGlite: in-process, the one connection.
   */
  listen(channel: string, onPayload: (payload: string) => void, onListen?: () => void): Promise<Unlisten>;
  close(): Promise<void>;
}

export type Unlisten = () => Promise<void>;

class CountingLogger implements Logger {
  count = 0;
  constructor(private readonly onQuery: OpenOptions["onQuery"]) {}
  logQuery(query: string, params: unknown[]): void {
    this.count += 1;
    this.onQuery?.(query, params);
  }
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** PGlite data directory; undefined keeps the database in memory. */
  dataDir?: string | undefined;
  /** A PGlite data-dir dump to start from (a migrated template in tests). */
  loadDataDir?: Blob | undefined;
  maxConnections?: number;
  /** Timeouts and the waiting queue's length (PostgreSQL only: PGlite is in-process and has no pool). */
  bounds?: DatabaseBounds;
  /** Apply pending migrations before returning. */
  migrate?: boolean;
  /** Sees every statement sent; the benchmark uses it to EXPLAIN what each question really runs. */
  onQuery?: (query: string, params: unknown[]) => void;
}

/** /readyz must answer within a second, whatever the database does. */
const PING_DEADLINE_MS = 900;

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const logger = new CountingLogger(opts.onQuery);
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts, logger);
  return openPglite(opts, logger);
}

async function openPostgres(url: string, opts: OpenOptions, logger: CountingLogger): Promise<Database> {
  if (opts.migrate) await migratePostgresDatabase(url);
  const bounds = opts.bounds ?? DEFAULT_BOUNDS;
  const max = opts.maxConnections ?? 10;
  // the pool's size caps the process: half of it (rounded down) serves the compiled reads
  const readsMax = Math.floor(max / 2);
  const connect = (size: number, planCacheMode: string) =>
    postgres(url, {
      max: size,
      connection: {
        plan_cache_mode: planCacheMode,
        statement_timeout: bounds.statementTimeoutMs,
        lock_timeout: bounds.lockTimeoutMs,
        idle_in_transaction_session_timeout: bounds.idleInTransactionTimeoutMs,
      },
      connect_timeout: Math.max(1, Math.ceil(bounds.acquireTimeoutMs / 1000)),
      onnotice: () => {},
    });
  // statements are prepared (see boundedClient) for the round trips, not for plan reuse: a generic plan cannot see
  // which dates, depots or regions a use case or report asks about, and chose worse paths on the benchmark's
  // coverage questions (14.6 → 22.7 ms for Q3 at tier S)
  const client = connect(max - readsMax, "force_custom_plan");
  // a compiled read's values are ids, cursors and a page size: its generic plan is the one every call would get,
  // and planning was most of its time (Q1 1.39 → 0.72 ms, Q5 0.65 → 0.33 ms of database time at tier S)
  const readsClient = readsMax > 0 ? connect(readsMax, "force_generic_plan") : null;
  const db = drizzlePostgres(boundedClient(client, bounds, max - readsMax), { logger }) as unknown as Db;
  const reads = readsClient
    ? (drizzlePostgres(boundedClient(readsClient, bounds, readsMax), { logger }) as unknown as Db)
    : db;
  return {
    db,
    reads,
    engine: "postgres",
    pglite: null,
    statements: () => logger.count,
    ping: async () => {
      await withDeadline(Promise.resolve(client`select 1`), PING_DEADLINE_MS, "the database did not answer");
    },
    listen: async (channel, onPayload, onListen) => {
      const { unlisten } = await client.listen(channel, onPayload, onListen);
      return async () => void (await unlisten());
    },
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), readsClient?.end({ timeout: 5 })]);
    },
  };
}

async function openPglite(opts: OpenOptions, logger: CountingLogger): Promise<Database> {
  if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
  const pglite = new PGlite({ dataDir: opts.dataDir, loadDataDir: opts.loadDataDir });
  await pglite.waitReady;
  if (opts.migrate) await migratePgliteDatabase(pglite);
  const db = drizzlePglite(pglite, { logger }) as unknown as Db;
  return {
    db,
    reads: db,
    engine: "pglite",
    pglite,
    statements: () => logger.count,
    ping: async () => {
      await pglite.query("select 1");
    },
    listen: async (channel, onPayload, onListen) => {
      const unlisten = await pglite.listen(channel, onPayload);
      onListen?.();
      // a closed instance has nothing left to unlisten
      return async () => (pglite.closed ? undefined : unlisten());
    },
    // closing twice (a signal during shutdown) is not an error
    close: () => (pglite.closed ? Promise.resolve() : pglite.close()),
  };
}
