import type { AddressInfo } from "node:net";
import { pino, type Logger } from "pino";
import type { AppDeps } from "./app/deps.js";
import { type TokenSettings, tokenSettings } from "./auth/tokens.js";
import type { Config } from "./config.js";
import { type Database, openDatabase } from "./db/client.js";
import { createHttpServer } from "./http/server.js";

export interface Service {
  url: string;
  deps: AppDeps;
  tokens: TokenSettings;
  close(): Promise<void>;
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
  const database =
    options.database ??
    (await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: `${config.dataDir}/pglite`,
      maxConnections: config.DATABASE_POOL_SIZE,
      migrate: true,
    }));
  const deps: AppDeps = {
    database,
    clock: options.clock ?? (() => new Date()),
    logger,
    policy: { writeOffConfirmationThreshold: config.WRITE_OFF_CONFIRMATION_THRESHOLD },
    actorCacheMs: config.ACTOR_CACHE_SECONDS * 1000,
  };
  const tokens = await tokenSettings(config);
  let ready = false;
  const { server, apollo } = await createHttpServer(deps, tokens, {
    maxComplexity: config.MAX_QUERY_COMPLEXITY,
    maxDepth: config.MAX_QUERY_DEPTH,
    maxNodes: config.MAX_QUERY_NODES,
    maxAliases: config.MAX_ALIASES,
    budget: config.QUERY_BUDGET,
    budgetWindowSeconds: config.QUERY_BUDGET_WINDOW_SECONDS,
    introspection: config.NODE_ENV !== "production",
    isReady: () => ready,
    trustProxy: config.TRUST_PROXY,
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.HOST === "0.0.0.0" || config.HOST === "::" ? "localhost" : config.HOST;
  const service: Service = {
    url: `http://${host}:${port}/graphql`,
    deps,
    tokens,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
      if (!options.database) await database.close();
    },
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
