import type { ApolloServerPlugin } from "@apollo/server";
import type { DocumentNode, GraphQLSchema } from "graphql";
import type { Context } from "../context.js";
import { type OperationPlan, planOperation } from "./plan.js";
import { answerCompiled } from "./run.js";

/**
 * Answers an operation from compiled SQL when it can, after parsing, validation and every limit (complexity,
 * budget) have run; otherwise, or whenever the compiled answer might differ, Apollo executes it on the resolvers.
 * Plans are kept per parsed document: Apollo keeps one document per query text.
 */
export function compiledReadsPlugin(
  schema: GraphQLSchema,
  observe: (outcome: "compiled" | "resolvers") => void = () => {},
): ApolloServerPlugin<Context> {
  const plans = new WeakMap<DocumentNode, Map<string, OperationPlan | null>>();
  const planOf = (document: DocumentNode, operation: Parameters<typeof planOperation>[2]) => {
    let byName = plans.get(document);
    if (!byName) plans.set(document, (byName = new Map()));
    const name = operation.name?.value ?? "";
    if (!byName.has(name)) byName.set(name, planOperation(schema, document, operation));
    return byName.get(name)!;
  };
  return {
    requestDidStart() {
      return Promise.resolve({
        async responseForOperation(rc) {
          const plan = planOf(rc.document, rc.operation);
          if (!plan?.compiled) return null;
          const data = await answerCompiled(
            schema,
            rc.document,
            rc.operation,
            plan,
            rc.contextValue,
            rc.request.variables,
          );
          observe(data ? "compiled" : "resolvers");
          return data ? { http: rc.response.http, body: { kind: "single", singleResult: { data } } } : null;
        },
      });
    },
  };
}
