import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";

/** A subscription sent over HTTP, or a query over WebSocket: the caller's mistake, said with its own code. */
export const OPERATION_NOT_SUPPORTED = "OPERATION_NOT_SUPPORTED";

// graphql-js ends a message with its guesses (`Did you mean "depots"?`); quoted names never contain a question mark
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/** A message without graphql-js's suggestions, which would spell out the schema to whoever probes it. */
export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, "");
}

/**
 * Requests that are the caller's mistake answer 400 with a code of their own, never an internal error:
 * subscriptions over HTTP (they are served over WebSocket, http/subscriptions.ts) and persisted-query hashes
 * (automatic persisted queries are off: no client uses them, and their cache is memory any caller could fill).
 * In production, no error says "Did you mean …", to anonymous callers or anyone else.
 */
export function clientMistakesPlugin(options: { production: boolean }): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== "subscription") return;
          throw new GraphQLError(
            "subscriptions are served over WebSocket (graphql-ws) at /graphql, not over HTTP",
            {
              extensions: { code: OPERATION_NOT_SUPPORTED, http: { status: 400 } },
            },
          );
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          const errors = response.body.singleResult.errors;
          if (!errors) return;
          // Apollo answers 200 here so that its clients retry with the full text; ours never sent a hash
          if (errors.some((e) => e.extensions?.code === "PERSISTED_QUERY_NOT_SUPPORTED"))
            response.http.status = 400;
          if (options.production) {
            response.body.singleResult.errors = errors.map((e) => ({
              ...e,
              message: withoutSuggestions(e.message),
            }));
          }
        },
      };
    },
  };
}
