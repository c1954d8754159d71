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
      connect_timeout: 5,
      onnotice: () => {},
    });
    return {
      db: drizzlePostgres(client, { schema, logger }) as unknown as Db,
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
