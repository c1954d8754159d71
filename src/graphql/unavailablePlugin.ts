import type { ApolloServerPlugin } from "@apollo/server";
import { RETRY_AFTER_SECONDS } from "../shared/unavailable.js";

/**
 * A response that carries SERVICE_UNAVAILABLE (see formatError) goes out as HTTP 503 with Retry-After, so load
 * balancers and clients back off. The status cannot come from the error itself: drizzle and graphql-js wrap it.
 */
export function unavailablePlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        willSendResponse: ({ response }) => {
          if (response.body.kind !== "single") return Promise.resolve();
          const errors = response.body.singleResult.errors ?? [];
          if (errors.some((e) => e.extensions?.code === "SERVICE_UNAVAILABLE")) {
            response.http.status = 503;
            response.http.headers.set("retry-after", String(RETRY_AFTER_SECONDS));
          }
          return Promise.resolve();
        },
      }),
  };
}
