import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino, type Logger } from "pino";
import type { AppDeps } from "./app/deps.js";
import { announceOverdueLoans } from "./app/events.js";
import { type TokenSettings, tokenSettings } from "./auth/tokens.js";
import { type Config, databaseBounds } from "./config.js";
import { type Database, openDatabase } from "./db/client.js";
import { assertMigrated } from "./db/migrate.js";
import { Metrics } from "./http/metrics.js";
import { createHttpServer, type HttpOptions, type HttpServer } from "./http/server.js";
import { type DataDirLock, lockDataDir } from "./shared/dataDirLock.js";

export interface Service {
  url: string;
  deps: AppDeps;
  tokens: TokenSettings;
  /**
   * Stops accepting, lets in-flight requests and exports finish within SHUTDOWN_GRACE_SECONDS, then closes the
   * database and releases the data folder. Resolves to the number of requests cut when the grace ran out.
   */
  close(): Promise<{ cut: number }>;
  /** Live notifications (decision 47). */
  live: {
    /** Subscriptions running now over WebSocket. */
    openSubscriptions(): number;
    /** The periodic overdue-loan check, run now (LOAN_OVERDUE_CHECK_SECONDS runs it on a timer); requisitions told. */
    checkOverdueLoans(): Promise<number>;
  };
}

const SETTLE_MS = 200;

/** A database a release job has not migrated is closed again before the start-up fails. */
async function checkedMigrated(database: Database): Promise<void> {
  try {
    await assertMigrated(database);
  } catch (e) {
    await database.close();
    throw e;
  }
}

export interface ServiceOptions {
  /** An already open database (tests); otherwise opened from the config and migrated. */
  database?: Database;
  clock?: () => Date;
  logger?: Logger;
  /**
   * Work on first start (main.ts: the demo seed), run once the server listens; /readyz answers 503 until it is done.
   * If it fails, the service closes and the failure is thrown.
   */
  firstStart?: (deps: AppDeps) => Promise<void>;
}

/**
 * config → database → migrations → HTTP server listening → first-start work → ready. Health answers from the
 * moment the server listens; readiness only after migrations and the first-start work are done.
 */
export async function startService(config: Config, options: ServiceOptions = {}): Promise<Service> {
  const logger = options.logger ?? pino({ level: config.LOG_LEVEL });
  // PostgreSQL serialises writers itself; the embedded engine needs the folder to itself
  const lock = !options.database && !config.DATABASE_URL ? lockDataDir(config.dataDir) : null;
  try {
    return await startOn(config, options, logger, lock);
  } catch (e) {
    lock?.release();
    throw e;
  }
}

async function startOn(
  config: Config,
  options: ServiceOptions,
  logger: Logger,
  lock: DataDirLock | null,
): Promise<Service> {
  const database = options.database ?? (await openConfigured(config));
  if (!options.database && !config.MIGRATE_ON_START) await checkedMigrated(database);
  const metrics = new Metrics(database, config.DATABASE_POOL_SIZE, logger);
  const deps = depsOf(config, options, database, logger, metrics);
  const tokens = await tokenSettings(config);
  let ready = false;
  const http = await createHttpServer(
    deps,
    tokens,
    httpOptionsOf(config, metrics, () => ready),
  );
  metrics.watchSubscriptions(http.openSubscriptions);
  const port = await listen(http.server, config);
  logger.info({ port }, "listening");
  const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "localhost" : config.HOST;
  const checkOverdueLoans = () => announceOverdueLoans(deps, deps.clock());
  const overdueTimer = everySeconds(config.LOAN_OVERDUE_CHECK_SECONDS, checkOverdueLoans, logger);
  const service: Service = {
    url: `http://${host}:${port}/graphql`,
    deps,
    tokens,
    // a database the caller handed in is the caller's to close
    close: () => {
      clearInterval(overdueTimer);
      return stop(http, { config, logger, lock, database: options.database ? null : database });
    },
    live: { openSubscriptions: http.openSubscriptions, checkOverdueLoans },
  };
  try {
    await options.firstStart?.(deps);
  } catch (e) {
    await service.close();
    throw e;
  }
  ready = true;
  return service;
}

/** A periodic job that never keeps the process alive and never overlaps itself; a failed run is logged. */
function everySeconds(seconds: number, run: () => Promise<unknown>, logger: Logger) {
  if (seconds <= 0) return undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    run()
      .catch((err: unknown) => logger.warn({ err }, "the overdue-loan check failed; it runs again later"))
      .finally(() => (running = false));
  }, seconds * 1000);
  timer.unref();
  return timer;
}

function depsOf(
  config: Config,
  options: ServiceOptions,
  database: Database,
  logger: Logger,
  metrics: Metrics,
): AppDeps {
  return {
    database,
    clock: options.clock ?? (() => new Date()),
    logger,
    policy: {
      writeOffConfirmationThreshold: config.WRITE_OFF_CONFIRMATION_THRESHOLD,
      emergencyPaperworkDays: config.EMERGENCY_PAPERWORK_DAYS,
    },
    actorCacheMs: config.ACTOR_CACHE_SECONDS * 1000,
    observer: metrics.observer,
  };
}

function openConfigured(config: Config): Promise<Database> {
  return openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: `${config.dataDir}/pglite`,
    maxConnections: config.DATABASE_POOL_SIZE,
    bounds: databaseBounds(config),
    migrate: config.MIGRATE_ON_START,
  });
}

function httpOptionsOf(config: Config, metrics: Metrics, isReady: () => boolean): HttpOptions {
  return {
    maxComplexity: config.MAX_QUERY_COMPLEXITY,
    maxDepth: config.MAX_QUERY_DEPTH,
    maxNodes: config.MAX_QUERY_NODES,
    maxAliases: config.MAX_ALIASES,
    budget: config.QUERY_BUDGET,
    budgetWindowSeconds: config.QUERY_BUDGET_WINDOW_SECONDS,
    introspection: config.NODE_ENV !== "production",
    isReady,
    trustProxy: config.TRUST_PROXY,
    shutdownGraceMs: config.SHUTDOWN_GRACE_SECONDS * 1000,
    production: config.NODE_ENV === "production",
    maxInFlight: config.DATABASE_POOL_SIZE + config.MAX_QUEUED_REQUESTS,
    metrics: { metrics, enabled: config.METRICS || !!config.METRICS_TOKEN, token: config.METRICS_TOKEN },
    corsOrigins: config.CORS_ORIGINS,
    compression: config.COMPRESSION,
    compiledReads: config.COMPILED_READS,
    importMaxBytes: config.IMPORT_MAX_BYTES,
    consoleDir: config.consoleDir ?? undefined,
    graphiqlDir: config.graphiqlDir ?? undefined,
  };
}

async function listen(server: Server, config: Config): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  return (server.address() as AddressInfo).port;
}

interface StopOptions {
  config: Config;
  logger: Logger;
  lock: DataDirLock | null;
  /** The database to close; null when the caller opened it. */
  database: Database | null;
}

/** Shutdown in its order: let just-accepted requests start, drain, say what was cut, close the database, unlock. */
async function stop(
  http: HttpServer,
  { config, logger, lock, database }: StopOptions,
): Promise<{ cut: number }> {
  // a connection accepted just before the signal may not have had its request read yet, and closing idle
  // connections would reset it; a few turns of the event loop let such requests start (and so be waited for)
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  // the drain plugin closes the listener, waits for in-flight requests, then cuts what is left
  await http.apollo.stop();
  const cut = http.cutDuringStop();
  // said before the database closes, which may itself fail under a cut transaction
  if (cut > 0)
    logger.error(
      { cut, graceSeconds: config.SHUTDOWN_GRACE_SECONDS },
      "stopped after the grace period: requests were cut",
    );
  try {
    await database?.close();
  } finally {
    lock?.release();
  }
  return { cut };
}
