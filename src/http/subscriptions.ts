import { randomUUID } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { ApolloServerPlugin } from "@apollo/server";
import {
  type ExecutionArgs,
  getOperationAST,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  parse,
  validate,
} from "graphql";
import type { SubscribePayload } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import type { AppDeps } from "../app/deps.js";
import { listenForNotices } from "../app/events.js";
import type { TokenSettings } from "../auth/tokens.js";
import { OPERATION_NOT_SUPPORTED, withoutSuggestions } from "../graphql/clientMistakes.js";
import type { Context } from "../graphql/context.js";
import { formatError } from "../graphql/errors.js";
import { checkOperation, type QueryLimits } from "../graphql/limits.js";
import { livePubSub, NOTICES } from "../graphql/live.js";
import { buildContext } from "../graphql/requestContext.js";
import { MAX_BODY_BYTES } from "./body.js";

/** What the WebSocket side needs of the HTTP server's settings. */
export interface LiveOptions {
  deps: AppDeps;
  tokens: TokenSettings;
  logger: Logger;
  limits: QueryLimits;
  production: boolean;
  isReady?: () => boolean;
  clientAddress: (req: IncomingMessage) => string;
}

export interface LiveServer {
  /** Drains with Apollo's stop: every socket is closed 1001 (going away), then this process stops listening. */
  plugin: ApolloServerPlugin<Context>;
  /** Subscriptions running now on this server (exported as a metric, and read by tests). */
  openSubscriptions(): number;
}

type Refusal = readonly GraphQLError[];

/**
 * graphql-ws on the HTTP server's own port and path: an upgrade of /graphql becomes a WebSocket speaking the
 * graphql-transport-ws protocol. The connection's `authorization` parameter is checked like the HTTP header: no
 * valid token, close 4403. Only subscriptions are served here, under the same size, depth and cost limits as HTTP
 * (Apollo's plugins never see these operations). Notices come from this process's LISTEN (app/events.ts).
 */
export async function serveSubscriptions(
  server: Server,
  schema: GraphQLSchema,
  o: LiveOptions,
): Promise<LiveServer> {
  const topic = randomUUID();
  const unlisten = await listenForNotices(o.deps, o.logger, (notice) =>
    livePubSub.publish(NOTICES, topic, notice),
  );
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  let stopping = false;
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = upgradeRefusal(req, stopping, o.isReady);
    if (refusal)
      return void socket.end(`HTTP/1.1 ${refusal}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });
  const open = new Set<string>();
  const disposable = useServer<Record<string, unknown> | undefined>(
    {
      schema,
      onConnect: async (ctx) =>
        (await contextFor(o, ctx.connectionParams, ctx.extra.request, topic)).actor !== null,
      onSubscribe: (ctx, _id, payload) =>
        executionArgs(schema, o, payload, () =>
          contextFor(o, ctx.connectionParams, ctx.extra.request, topic),
        ),
      onOperation: (ctx, id, _payload, _args, result) => {
        if (Symbol.asyncIterator in result) open.add(`${socketNo(ctx.extra.socket)}:${id}`);
      },
      onComplete: (ctx, id) => void open.delete(`${socketNo(ctx.extra.socket)}:${id}`),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => formatted(o, e)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatted(o, e)),
    },
    wss,
  );
  const drain = async () => {
    stopping = true;
    await disposable.dispose();
    await unlisten().catch((err: unknown) => o.logger.warn({ err }, "stopping the notice listener failed"));
  };
  return {
    plugin: { serverWillStart: async () => ({ drainServer: drain }) },
    openSubscriptions: () => open.size,
  };
}

/** Why an upgrade is refused, as an HTTP status line; null to accept it. */
function upgradeRefusal(req: IncomingMessage, stopping: boolean, isReady?: () => boolean): string | null {
  if (new URL(req.url ?? "/", "http://localhost").pathname !== "/graphql") return "404 Not Found";
  if (stopping || (isReady && !isReady())) return "503 Service Unavailable";
  return null;
}

const socketNumbers = new WeakMap<object, number>();
let sockets = 0;
/** A number per socket, so two connections' subscription ids ("1", "2", …) never collide in the open set. */
function socketNo(socket: object): number {
  let n = socketNumbers.get(socket);
  if (n === undefined) socketNumbers.set(socket, (n = ++sockets));
  return n;
}

/**
 * A subscription's context: the actor behind the connection's token, as buildContext reads it for HTTP, and a
 * `renew` that reads token and actor again before each event (an expired token or a disabled user hears nothing
 * more; the socket stays open until the client leaves or the service stops).
 */
async function contextFor(
  o: LiveOptions,
  params: Record<string, unknown> | undefined,
  req: IncomingMessage,
  topic: string,
): Promise<Context> {
  const authorization = typeof params?.authorization === "string" ? params.authorization : undefined;
  const build = () => buildContext(o.deps, o.tokens, authorization, o.logger, o.clientAddress(req));
  const context = await build();
  const renew = async () => {
    const fresh = await build();
    if (!fresh.actor) return false;
    Object.assign(context, fresh);
    return true;
  };
  return Object.assign(context, { liveTopic: topic, renew });
}

/** Parsed, validated and measured like an HTTP operation; a query or mutation is sent back to HTTP. */
async function executionArgs(
  schema: GraphQLSchema,
  o: LiveOptions,
  payload: SubscribePayload,
  context: () => Promise<Context>,
): Promise<ExecutionArgs | Refusal> {
  let document;
  try {
    document = parse(payload.query);
  } catch (e) {
    return [coded(e as GraphQLError, "GRAPHQL_PARSE_FAILED")];
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return invalid.map((e) => coded(e, "GRAPHQL_VALIDATION_FAILED"));
  const operation = getOperationAST(document, payload.operationName);
  if (!operation) return [new GraphQLError("name the operation to run", code("BAD_USER_INPUT"))];
  if (operation.operation !== "subscription") {
    const message = "only subscriptions are served over WebSocket; send queries and mutations over HTTP";
    return [new GraphQLError(message, code(OPERATION_NOT_SUPPORTED))];
  }
  try {
    checkOperation(schema, o.limits, payload, document, operation);
  } catch (e) {
    if (e instanceof GraphQLError) return [e];
    throw e;
  }
  const contextValue = await context();
  // the token expired between connecting and subscribing: what HTTP says, and nothing runs
  if (!contextValue.actor) return [new GraphQLError("sign in first", code("UNAUTHENTICATED"))];
  const { operationName, variables } = payload;
  return { schema, document, operationName, variableValues: variables ?? undefined, contextValue };
}

const code = (c: string) => ({ extensions: { code: c } });
/** graphql-js's own errors carry no code; HTTP's would (Apollo adds it), and formatError passes only coded ones. */
const coded = (e: GraphQLError, c: string) =>
  new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, ...code(c) });

/** As HTTP formats them: client mistakes as they are (without suggestions in production), the rest masked. */
function formatted(o: LiveOptions, e: GraphQLError): GraphQLFormattedError {
  const out = formatError(o.logger)(e.toJSON(), e);
  return o.production ? { ...out, message: withoutSuggestions(out.message) } : out;
}
