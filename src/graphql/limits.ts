import type { ApolloServerPlugin } from "@apollo/server";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getNullableType,
  GraphQLError,
  isListType,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { type ComplexityEstimator, getComplexity, simpleEstimator } from "graphql-query-complexity";
import { DEFAULT_PAGE_SIZE } from "./relay.js";

/** A connection costs its children once per row asked for: `first: 100` of depots with stock costs 100×. */
const connectionEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  if (typeof args.first === "number") return 1 + childComplexity * args.first;
  if (childComplexity > 0 && "first" in args) return 1 + childComplexity * DEFAULT_PAGE_SIZE;
  return undefined;
};

/** Plain lists (a depot's stock, a township's villages) are short but not free: assume a few rows each. */
export const LIST_ESTIMATE = 5;

const listEstimator: ComplexityEstimator = ({ type, field, childComplexity }) => {
  // a connection's edges and nodes are already counted by `first`
  if (type.name.endsWith("Connection")) return undefined;
  if (childComplexity > 0 && isListType(getNullableType(field.type)))
    return 1 + childComplexity * LIST_ESTIMATE;
  return undefined;
};

function depthOf(
  set: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: Set<string>,
): number {
  if (!set) return 0;
  let max = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value.startsWith("__")) continue;
      max = Math.max(max, 1 + depthOf(sel.selectionSet, fragments, seen));
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, depthOf(sel.selectionSet, fragments, seen));
    } else {
      const name = sel.name.value;
      if (seen.has(name)) continue;
      const fragment = fragments.get(name);
      max = Math.max(max, depthOf(fragment?.selectionSet, fragments, new Set([...seen, name])));
    }
  }
  return max;
}

export function operationDepth(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return depthOf(operation.selectionSet, fragments, new Set());
}

const refuse = (message: string, details: Record<string, number>) =>
  new GraphQLError(message, { extensions: { code: "QUERY_TOO_COMPLEX", ...details, http: { status: 400 } } });

/** Refuses operations that are too deep or too costly before any resolver runs. */
export function limitsPlugin(
  schema: GraphQLSchema,
  limits: { maxComplexity: number; maxDepth: number },
): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          if (!operation) return;
          const depth = operationDepth(document, operation);
          if (depth > limits.maxDepth) {
            throw refuse(`query depth ${depth} exceeds the limit of ${limits.maxDepth}`, {
              depth,
              limit: limits.maxDepth,
            });
          }
          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [connectionEstimator, listEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (e) {
            // the estimator coerces variables before execution does: a bad variable is the client's mistake
            throw new GraphQLError((e as Error).message, {
              extensions: { code: "BAD_USER_INPUT", http: { status: 400 } },
            });
          }
          if (complexity > limits.maxComplexity) {
            throw refuse(`query complexity ${complexity} exceeds the limit of ${limits.maxComplexity}`, {
              complexity,
              limit: limits.maxComplexity,
            });
          }
        },
      };
    },
  };
}
