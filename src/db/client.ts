import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import type { Logger } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { migratePgliteDatabase, migratePostgresDatabase } from "./migrate.js";
import * as schema from "./schema/index.js";

export type Schema = typeof schema;
/** Either engine, one type: everything above db/ sees only this. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction is a Db too; every repository function takes the executor first. */
export type Executor = Db;

export type Engine = "postgres" | "pglite";

export interface Database {
  db: Db;
  engine: Engine;
  /** The embedded instance, when the engine is PGlite (tests dump it as a migrated template). */
  pglite: PGlite | null;
  /** SQL statements sent so far; tests read it to prove list queries are batched. */
  statements(): number;
  /** Answers when the database does; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

class CountingLogger implements Logger {
  count = 0;
  constructor(private readonly onQuery: OpenOptions["onQuery"]) {}
  logQuery(query: string, params: unknown[]): void {
    this.count += 1;
    this.onQuery?.(query, params);
  }
}

type Unsafe = postgres.Sql["unsafe"];

/**
 * The client drizzle sees, with every statement prepared. Drizzle asks postgres.js for unnamed statements, and
 * postgres.js then sends each one twice over (parse and describe, wait, bind and execute) and plans it every
 * time; a named statement is parsed once per connection and costs one round trip afterwards. Statements live as
 * long as their connection, which postgres.js recycles (max_lifetime), so distinct texts cannot pile up forever.
 */
function alwaysPrepared<T extends postgres.Sql | postgres.TransactionSql>(sql: T): T {
  return new Proxy(sql, {
    get(target, prop) {
      if (prop === "unsafe") {
        return ((query, params, options) =>
          target.unsafe(query, params, { ...options, prepare: true })) as Unsafe;
      }
      if (prop === "begin" || prop === "savepoint") {
        return (...args: unknown[]) => {
          const work = args.pop() as (tx: postgres.TransactionSql) => unknown;
          const open = Reflect.get(target, prop, target) as (...a: unknown[]) => Promise<unknown>;
          return open.call(target, ...args, (tx: postgres.TransactionSql) => work(alwaysPrepared(tx)));
        };
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** PGlite data directory; undefined keeps the database in memory. */
  dataDir?: string | undefined;
  /** A PGlite data-dir dump to start from (a migrated template in tests). */
  loadDataDir?: Blob | undefined;
  maxConnections?: number;
  /** Apply pending migrations before returning. */
  migrate?: boolean;
  /** Sees every statement sent; the benchmark uses it to EXPLAIN what each question really runs. */
  onQuery?: (query: string, params: unknown[]) => void;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const logger = new CountingLogger(opts.onQuery);
  if (opts.databaseUrl) {
    if (opts.migrate) await migratePostgresDatabase(opts.databaseUrl);
    const client = postgres(opts.databaseUrl, {
      max: opts.maxConnections ?? 10,
      // statements are prepared (see alwaysPrepared) for the round trips, not for plan reuse: a generic plan
      // cannot see which dates or depots are asked and chose worse paths on the benchmark's questions
      connection: { plan_cache_mode: "force_custom_plan" },
      connect_timeout: 5,
      onnotice: () => {},
    });
    return {
      db: drizzlePostgres(alwaysPrepared(client), { schema, logger }) as unknown as Db,
      engine: "postgres",
      pglite: null,
      statements: () => logger.count,
      ping: async () => {
        await client`select 1`;
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
  const pglite = new PGlite({ dataDir: opts.dataDir, loadDataDir: opts.loadDataDir });
  await pglite.waitReady;
  if (opts.migrate) await migratePgliteDatabase(pglite);
  return {
    db: drizzlePglite(pglite, { schema, logger }) as unknown as Db,
    engine: "pglite",
    pglite,
    statements: () => logger.count,
    ping: async () => {
      await pglite.query("select 1");
    },
    // closing twice (a signal during shutdown) is not an error
    close: () => (pglite.closed ? Promise.resolve() : pglite.close()),
  };
}
