import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApolloServerPlugin } from "@apollo/server";
import type { Logger } from "pino";
import type { Context } from "../graphql/context.js";
import { noteRaisedUnder, type RequestScope, requestIdFrom } from "../shared/requestScope.js";

/**
 * Starts the scope of one HTTP request: its id (the caller's sane X-Request-Id or a new one) goes back in the
 * X-Request-Id header, and one line is logged when the response is finished or the client went away.
 */
export function beginRequest(
  req: IncomingMessage,
  res: ServerResponse,
  logger: Logger,
  onDone?: (path: string, status: number, seconds: number) => void,
): RequestScope {
  const scope: RequestScope = { id: requestIdFrom(req.headers["x-request-id"]) };
  res.setHeader("x-request-id", scope.id);
  const started = performance.now();
  const path = pathOf(req.url);
  let logged = false;
  const done = () => {
    if (logged) return;
    logged = true;
    const seconds = (performance.now() - started) / 1000;
    onDone?.(path, res.statusCode, seconds);
    logger.info(
      {
        requestId: scope.id,
        method: req.method,
        path,
        operation: scope.operation,
        status: res.statusCode,
        durationMs: Math.round(seconds * 10_000) / 10,
        user: scope.user,
        // a response cut before its end (a client that hung up mid-export) is worth telling apart
        ...(res.writableFinished ? {} : { aborted: true }),
      },
      "request",
    );
  };
  res.once("finish", done);
  res.once("close", done);
  return scope;
}

/** Only the path: query strings can carry tokens and personal data, and the log keeps for years. */
function pathOf(url: string | undefined): string {
  const q = (url ?? "/").indexOf("?");
  return q < 0 ? (url ?? "/") : (url ?? "/").slice(0, q);
}

/** Puts the GraphQL operation's name and the signed-in user into the request's scope for the access log. */
export function requestScopePlugin(): ApolloServerPlugin<Context> {
  return {
    requestDidStart: async ({ contextValue }) => {
      const scope = contextValue.request;
      if (!scope) return;
      scope.user = contextValue.user?.username;
      return {
        didResolveOperation: async ({ operationName }) => {
          scope.operation = operationName ?? "anonymous";
        },
        // before Apollo formats them: a masked error says the id of the request it was raised under (graphql-js
        // makes each request its own error objects, even around an error two requests share)
        didEncounterErrors: async ({ errors }) => {
          for (const e of errors) noteRaisedUnder(e, scope);
        },
      };
    },
  };
}
