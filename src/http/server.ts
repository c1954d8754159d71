import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { ApolloServer, HeaderMap } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import type { Logger } from "pino";
import type { AppDeps } from "../app/deps.js";
import type { TokenSettings } from "../auth/tokens.js";
import type { Context } from "../graphql/context.js";
import { formatError } from "../graphql/errors.js";
import { limitsPlugin, type QueryLimits } from "../graphql/limits.js";
import { buildContext } from "../graphql/requestContext.js";
import { getSchema } from "../graphql/schema.js";
import { exportCoverage } from "./exportCoverage.js";
import { exportLedger } from "./exportLedger.js";

export interface HttpOptions extends QueryLimits {
  introspection: boolean;
  /** False until migrations and the first-start work (seeding) are done: /readyz says so, GraphQL waits for it. */
  isReady?: () => boolean;
  /** Take the client address from the last X-Forwarded-For entry (behind a reverse proxy). */
  trustProxy?: boolean;
}

/** The address sign-in limits count failures against. */
export function clientAddressOf(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers["x-forwarded-for"] : undefined;
  const last = (Array.isArray(forwarded) ? forwarded.join(",") : forwarded)?.split(",").pop()?.trim();
  return (last || req.socket.remoteAddress) ?? "unknown";
}

const MAX_BODY_BYTES = 1_000_000;

class BadRequest extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

const graphqlError = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

/**
 * Apollo over plain node:http: GraphQL at /graphql, health probes beside it. No framework, so the CSV exports
 * can stream straight to the socket.
 */
export async function createHttpServer(
  deps: AppDeps,
  tokens: TokenSettings,
  options: HttpOptions,
): Promise<{ server: Server; apollo: ApolloServer<Context> }> {
  const schema = await getSchema();
  const logger: Logger = deps.logger;
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: options.introspection,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    formatError: formatError(logger),
    // cache-control hints are unused here, and its per-field hook would wrap every resolver in every request
    plugins: [limitsPlugin(schema, options), ApolloServerPluginCacheControlDisabled()],
  });
  await apollo.start();

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err }, "request failed");
      if (!res.headersSent) sendJson(res, 500, graphqlError("internal error", "INTERNAL_SERVER_ERROR"));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === "/healthz") return sendJson(res, 200, { status: "ok" });
    // a load balancer must not send work to a service still seeding its first county, nor may a client read half of it
    if (options.isReady && !options.isReady()) {
      if (url.pathname === "/readyz") return sendJson(res, 503, { status: "starting" });
      res.setHeader("retry-after", "5");
      return sendJson(res, 503, graphqlError("the service is starting", "SERVICE_UNAVAILABLE"));
    }
    if (url.pathname === "/readyz") {
      try {
        await deps.database.ping();
        return sendJson(res, 200, { status: "ready" });
      } catch (err) {
        logger.warn({ err }, "database not ready");
        return sendJson(res, 503, { status: "database unavailable" });
      }
    }
    if (url.pathname === "/export/coverage.csv" && req.method === "GET")
      return exportCoverage(req, res, url, { deps, tokens, logger });
    if (url.pathname === "/export/ledger.csv" && req.method === "GET")
      return exportLedger(req, res, url, { deps, tokens, logger });
    if (url.pathname !== "/graphql") return sendJson(res, 404, { error: "not found" });

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    let body: unknown = undefined;
    if (req.method === "POST") {
      let text: string;
      try {
        text = await readBody(req);
      } catch (e) {
        if (e instanceof BadRequest) return sendJson(res, 413, graphqlError(e.message, "BAD_REQUEST"));
        throw e;
      }
      if ((headers.get("content-type") ?? "").includes("application/json")) {
        try {
          body = text.length > 0 ? JSON.parse(text) : undefined;
        } catch {
          return sendJson(res, 400, graphqlError("request body is not valid JSON", "BAD_REQUEST"));
        }
      } else {
        body = text;
      }
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
      context: () =>
        buildContext(
          deps,
          tokens,
          req.headers.authorization,
          logger,
          clientAddressOf(req, options.trustProxy ?? false),
        ),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  return { server, apollo };
}
