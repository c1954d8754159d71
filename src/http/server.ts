import { compiledReadsPlugin } from "../graphql/compiled/plugin.js";
import { RawAnswers } from "../graphql/compiled/rawAnswers.js";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { ApolloServer, type ApolloServerPlugin, HeaderMap } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import type { GraphQLSchema } from "graphql";
import type { Logger } from "pino";
import type { AppDeps } from "../app/deps.js";
import type { TokenSettings } from "../auth/tokens.js";
import { clientMistakesPlugin } from "../graphql/clientMistakes.js";
import type { Context } from "../graphql/context.js";
import { formatError } from "../graphql/errors.js";
import { budgetOf, limitsPlugin, type QueryLimits } from "../graphql/limits.js";
import { buildContext } from "../graphql/requestContext.js";
import type { QueryBudget } from "../graphql/queryBudget.js";
import { getSchema } from "../graphql/schema.js";
import { isJsonMediaType, readBody, sendTooLarge } from "./body.js";
import { unavailablePlugin } from "../graphql/unavailablePlugin.js";
import { RETRY_AFTER_SECONDS, unavailableIn } from "../shared/unavailable.js";
import { noteRaisedUnder, type RequestScope } from "../shared/requestScope.js";
import { beginRequest, requestScopePlugin } from "./accessLog.js";
import { EXPORTS } from "./exports.js";
import { serveSubscriptions } from "./subscriptions.js";
import { importBooks } from "./import.js";
import type { Metrics, MetricsOptions } from "./metrics.js";
import { consoleFiles, wantsPage } from "./console.js";
import { applyCors, endBody } from "./production.js";

export interface HttpOptions extends QueryLimits {
  introspection: boolean;
  /** False until migrations and the first-start work (seeding) are done: /readyz says so, GraphQL waits for it. */
  isReady?: () => boolean;
  /** Take the client address from the last X-Forwarded-For entry (behind a reverse proxy). */
  trustProxy?: boolean;
  /** How long apollo.stop() lets in-flight requests and exports finish before it cuts their connections. */
  shutdownGraceMs?: number;
  /** NODE_ENV=production: errors say less (no "Did you mean …"). */
  production?: boolean;
  /** GraphQL requests and exports served at once; more are refused with 503 rather than queued without end. */
  maxInFlight?: number;
  /** GET /metrics and the counters behind it; absent or disabled, /metrics is not found. */
  metrics?: MetricsOptions & { metrics: Metrics };
  /** Browser origins allowed to call the API (CORS); none by default. */
  corsOrigins?: readonly string[];
  /** Gzip complete responses for clients that accept it. */
  compression?: boolean;
  /** Hot questions answered by compiled SQL (COMPILED_READS). */
  compiledReads?: boolean;
  /** Largest 台账 file POST /import accepts (IMPORT_MAX_BYTES). */
  importMaxBytes?: number;
  /** The built web console (web/dist), served at / and every path of its screens; absent, none is served. */
  consoleDir?: string;
  /** GraphiQL for development (web/graphiql/dist), the page a browser gets at /graphql; never in production. */
  graphiqlDir?: string;
}

export interface HttpServer {
  server: Server;
  apollo: ApolloServer<Context>;
  /** Requests whose connection closed before their response was complete, since stop began. */
  cutDuringStop(): number;
  /** GraphQL subscriptions running now over WebSocket (http/subscriptions.ts). */
  openSubscriptions(): number;
}

/** The address sign-in limits count failures against. */
export function clientAddressOf(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers["x-forwarded-for"] : undefined;
  const last = (Array.isArray(forwarded) ? forwarded.join(",") : forwarded)?.split(",").pop()?.trim();
  return (last || req.socket.remoteAddress) ?? "unknown";
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

/** The paths whose requests wait for the database, and count against MAX_QUEUED_REQUESTS. */
const DATABASE_PATHS = new Set(["/graphql", "/import", ...EXPORTS.keys()]);

const graphqlError = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });
const internalError = (requestId: string) => ({
  errors: [{ message: "internal error", extensions: { code: "INTERNAL_SERVER_ERROR", requestId } }],
});

/** What a request is served with, once the server is built. */
interface Served {
  deps: AppDeps;
  console: ReturnType<typeof consoleFiles> | null;
  tokens: TokenSettings;
  options: HttpOptions;
  logger: Logger;
  budget: QueryBudget;
  apollo: ApolloServer<Context>;
}

/**
 * Apollo over plain node:http: GraphQL at /graphql, health probes beside it. No framework, so the CSV exports
 * can stream straight to the socket.
 */
export async function createHttpServer(
  deps: AppDeps,
  tokens: TokenSettings,
  options: HttpOptions,
): Promise<HttpServer> {
  const schema = await getSchema();
  const logger: Logger = deps.logger;
  const metrics = options.metrics?.metrics;
  // one budget of county-wide work per caller, for GraphQL questions and CSV exports alike
  const budget = budgetOf(options);
  const admit = admission(options.maxInFlight ?? Infinity);
  const server = createServer((req, res) => {
    const scope = beginRequest(req, res, logger, (path, status, seconds) =>
      metrics?.httpRequest(req.method ?? "GET", path, status, seconds),
    );
    if (!admit(req, res)) return;
    handle(served, req, res, scope).catch((err: unknown) => answerFailure(err, res, scope.id, logger));
  });
  const stop = trackStop(server);
  const live = await serveSubscriptions(server, schema, {
    deps,
    tokens,
    logger,
    limits: options,
    production: options.production ?? false,
    isReady: options.isReady,
    clientAddress: (req) => clientAddressOf(req, options.trustProxy ?? false),
  });
  const apollo = apolloOver(server, schema, [stop.plugin, live.plugin], options, budget, logger);
  await apollo.start();
  // requests reach the server only once it listens, after this function has returned
  const console = options.consoleDir ? consoleFiles(options.consoleDir, options.graphiqlDir ?? null) : null;
  const served: Served = { deps, console, tokens, options, logger, budget, apollo };
  return { server, apollo, cutDuringStop: stop.cut, openSubscriptions: live.openSubscriptions };
}

/** Requests that wait for the database beyond maxInFlight at once are refused with 503, not queued without end. */
function admission(maxInFlight: number) {
  let inFlight = 0;
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!DATABASE_PATHS.has(new URL(req.url ?? "/", "http://localhost").pathname)) return true;
    if (inFlight >= maxInFlight) {
      res.setHeader("retry-after", String(RETRY_AFTER_SECONDS));
      const refusal = graphqlError("too many requests are waiting for the database", "SERVICE_UNAVAILABLE");
      sendJson(res, 503, refusal);
      return false;
    }
    inFlight += 1;
    res.once("close", () => (inFlight -= 1));
    return true;
  };
}

/** A request that threw: 503 with Retry-After when the database is away, otherwise 500 with its request id. */
function answerFailure(err: unknown, res: ServerResponse, requestId: string, logger: Logger): void {
  const unavailable = unavailableIn(err);
  if (unavailable && !res.headersSent) {
    logger.warn({ err, requestId }, "database unavailable");
    res.setHeader("retry-after", String(RETRY_AFTER_SECONDS));
    return sendJson(res, 503, graphqlError(unavailable.message, "SERVICE_UNAVAILABLE"));
  }
  logger.error({ err, requestId }, "request failed");
  if (!res.headersSent) sendJson(res, 500, internalError(requestId));
  else res.end();
}

function apolloOver(
  server: Server,
  schema: GraphQLSchema,
  stopPlugins: ApolloServerPlugin<Context>[],
  options: HttpOptions,
  budget: QueryBudget,
  logger: Logger,
): ApolloServer<Context> {
  return new ApolloServer<Context>({
    schema,
    introspection: options.introspection,
    csrfPrevention: true,
    persistedQueries: false,
    includeStacktraceInErrorResponses: false,
    formatError: formatError(logger),
    // cache-control hints are unused here, and its per-field hook would wrap every resolver in every request
    plugins: [
      clientMistakesPlugin({ production: options.production ?? false }),
      limitsPlugin(schema, options, budget),
      ...(options.compiledReads
        ? [compiledReadsPlugin(schema, (o) => options.metrics?.metrics.compiledAnswer(o))]
        : []),
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's landing pages load their sandbox from a CDN, which a county intranet cannot reach: a browser at
      // /graphql gets the GraphiQL bundled from npm in development and is sent to the console in production
      ApolloServerPluginLandingPageDisabled(),
      unavailablePlugin(),
      requestScopePlugin(),
      ...(options.metrics ? [options.metrics.metrics.plugin()] : []),
      // marks the stop, and closes every WebSocket 1001 (going away): the drain below would cut them as idle (1006)
      ...stopPlugins,
      // stop() closes the listener and idle connections at once, then waits for every request on the server,
      // the CSV exports included, up to the grace period; only then does the caller close the database
      ApolloServerPluginDrainHttpServer({
        httpServer: server,
        stopGracePeriodMillis: options.shutdownGraceMs ?? 25_000,
      }),
    ],
    // outside NODE_ENV=test Apollo would handle SIGTERM itself and re-raise it after draining, so the process
    // ended by the signal (143) with the database open; main.ts owns the signals instead
    stopOnTerminationSignals: false,
  });
}

/** The routes, in the order they are tried: probes and metrics first, then what waits for the database. */
async function handle(
  s: Served,
  req: IncomingMessage,
  res: ServerResponse,
  scope: RequestScope,
): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const { options } = s;
  if (applyCors(req, res, options.corsOrigins ?? [])) return;
  if (url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
  if (url.pathname === "/metrics" && req.method === "GET" && options.metrics?.enabled)
    return options.metrics.metrics.serve(req.headers.authorization, res, options.metrics);
  // the console's files need no database: a browser gets its page while the service still starts
  if (s.console && (await s.console(req, res, url))) return;
  // a load balancer must not send work to a service still seeding its first county, nor may a client read half of it
  if (options.isReady && !options.isReady()) {
    if (url.pathname === "/readyz") return sendJson(res, 503, { status: "starting" });
    res.setHeader("retry-after", "5");
    return sendJson(res, 503, graphqlError("the service is starting", "SERVICE_UNAVAILABLE"));
  }
  if (url.pathname === "/readyz") return readiness(s, res);
  const exporter = req.method === "GET" ? EXPORTS.get(url.pathname) : undefined;
  const { deps, tokens, logger, budget } = s;
  if (exporter) return exporter(req, res, url, { deps, tokens, logger, budget });
  if (url.pathname === "/import" && req.method === "POST")
    return importBooks(req, res, url, { deps, tokens, logger, maxBytes: options.importMaxBytes });
  if (url.pathname !== "/graphql") return sendJson(res, 404, { error: "not found" });
  if (options.production && wantsPage(req, url)) {
    res.writeHead(302, { location: "/" });
    return void res.end();
  }
  return serveGraphql(s, req, res, url, scope);
}

async function readiness(s: Served, res: ServerResponse): Promise<void> {
  try {
    await s.deps.database.ping();
    return sendJson(res, 200, { status: "ready" });
  } catch (err) {
    // ping gives up within a second (db/client.ts), so a probe never hangs on a database that does not answer
    s.logger.warn({ err }, "database not ready");
    res.setHeader("retry-after", String(RETRY_AFTER_SECONDS));
    return sendJson(res, 503, { status: "database unavailable" });
  }
}

async function serveGraphql(
  s: Served,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  scope: RequestScope,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  const read = req.method === "POST" ? await graphqlBody(req, res) : { body: undefined };
  if (!read) return;
  const rawAnswers = new RawAnswers();
  const response = await s.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body: read.body },
    // unwrapped, a refusal while loading the viewer keeps its 503 instead of "context creation failed", 500
    context: () =>
      buildContext(
        s.deps,
        s.tokens,
        req.headers.authorization,
        s.logger,
        clientAddressOf(req, s.options.trustProxy ?? false),
      ).then(
        (ctx) => Object.assign(ctx, { rawAnswers, request: scope }),
        (e: unknown) => {
          const refusal = unavailableIn(e) ?? e;
          noteRaisedUnder(refusal, scope);
          throw refusal;
        },
      ),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === "complete")
    return endBody(req, res, rawAnswers.splice(response.body.string), s.options.compression ?? false);
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** A POST's operation: parsed JSON, or the text as sent for Apollo to refuse; null once a refusal has been sent. */
async function graphqlBody(req: IncomingMessage, res: ServerResponse): Promise<{ body: unknown } | null> {
  const text = await readBody(req);
  if (text === null) {
    sendTooLarge(req, res, graphqlError("request body too large", "BAD_REQUEST"));
    return null;
  }
  if (!isJsonMediaType(req.headers["content-type"])) return { body: text };
  try {
    return { body: text.length > 0 ? JSON.parse(text) : undefined };
  } catch {
    sendJson(res, 400, graphqlError("request body is not valid JSON", "BAD_REQUEST"));
    return null;
  }
}

/** Counts responses cut short once stopping began: the one sign that the grace period ran out. */
function trackStop(server: Server) {
  let stopping = false;
  let cut = 0;
  server.on("request", (_req: IncomingMessage, res: ServerResponse) => {
    res.once("close", () => {
      if (stopping && !res.writableFinished) cut++;
    });
  });
  return {
    cut: () => cut,
    plugin: {
      serverWillStart: async () => ({
        drainServer: async () => {
          stopping = true;
        },
      }),
    },
  };
}
