import { type ApolloServerPlugin, HeaderMap } from "@apollo/server";
import {
  type DocumentNode,
  getNullableType,
  GraphQLError,
  isListType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { type ComplexityEstimator, getComplexity, simpleEstimator } from "graphql-query-complexity";
import type { Context } from "./context.js";
import { documentSize } from "./documentSize.js";
import { QueryBudget } from "./queryBudget.js";
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

/**
 * What a root question costs before its first row: the county-wide sums read every lot and norm under the region
 * asked for, however few rows they return. About 20 per millisecond each takes on the demo county on PGlite
 * (bench/LIMITS.md: readiness ≈ 235 ms, coverageGaps ≈ 300 ms), so MAX_QUERY_COMPLEXITY bounds the time one
 * request may take and QUERY_BUDGET the time one viewer may take per window.
 */
export const ROOT_FIELD_COST: Readonly<Record<string, number>> = {
  readiness: 4000,
  coverageGaps: 5000,
  coverageMap: 1800,
  coverage: 1500,
  rotationPlan: 1000,
  expiringLots: 100,
};

export interface QueryLimits {
  maxComplexity: number;
  maxDepth: number;
  /** Fields in the operation with every fragment spread expanded. */
  maxNodes: number;
  maxAliases: number;
  /** Expensive-question cost (ROOT_FIELD_COST) one viewer, or one address without a token, may spend per window. */
  budget: number;
  budgetWindowSeconds: number;
}

const refuse = (message: string, details: Record<string, number>) =>
  new GraphQLError(message, { extensions: { code: "QUERY_TOO_COMPLEX", ...details, http: { status: 400 } } });

/** Sizes measured without walking the expanded tree; refused first, so the cost estimate below stays linear. */
function checkSize(limits: QueryLimits, size: ReturnType<typeof documentSize>): void {
  if (size.nodes > limits.maxNodes) {
    throw refuse(`the query selects ${size.nodes} fields, more than the limit of ${limits.maxNodes}`, {
      nodes: size.nodes,
      limit: limits.maxNodes,
    });
  }
  if (size.aliases > limits.maxAliases) {
    throw refuse(`the query uses ${size.aliases} aliases, more than the limit of ${limits.maxAliases}`, {
      aliases: size.aliases,
      limit: limits.maxAliases,
    });
  }
  if (size.depth > limits.maxDepth) {
    throw refuse(`query depth ${size.depth} exceeds the limit of ${limits.maxDepth}`, {
      depth: size.depth,
      limit: limits.maxDepth,
    });
  }
}

/** The operation's complexity, and the part of it spent on expensive root questions. */
function estimate(
  schema: GraphQLSchema,
  request: { operationName?: string | null; variables?: Record<string, unknown> | null },
  document: Parameters<typeof getComplexity>[0]["query"],
): { complexity: number; expensive: number } {
  let expensive = 0;
  const rootEstimator: ComplexityEstimator = (options) => {
    const base = options.type === schema.getQueryType() ? ROOT_FIELD_COST[options.field.name] : undefined;
    if (base === undefined) return undefined;
    expensive += base;
    const rest = connectionEstimator(options) ?? listEstimator(options) ?? 1 + options.childComplexity;
    return base + rest;
  };
  try {
    const complexity = getComplexity({
      schema,
      query: document,
      operationName: request.operationName ?? undefined,
      variables: request.variables ?? {},
      estimators: [
        rootEstimator,
        connectionEstimator,
        listEstimator,
        simpleEstimator({ defaultComplexity: 1 }),
      ],
    });
    return { complexity, expensive };
  } catch (e) {
    // the estimator coerces variables before execution does: a bad variable is the client's mistake
    throw new GraphQLError((e as Error).message, {
      extensions: { code: "BAD_USER_INPUT", http: { status: 400 } },
    });
  }
}

// The same question asked again (a desk's page, refreshed) is the same parsed document: Apollo keeps one per query
// text. Its size depends on the document alone and its estimate on the operation's name and variables too, so both
// are worked out once; walking the document with type information was about 3% of the CPU of a page of lots, and
// 4% of a stock command's.
const sizes = new WeakMap<OperationDefinitionNode, ReturnType<typeof documentSize>>();
const estimates = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, Estimate>>>();
/** Enough for a document's usual variables (a page size, a day, a few regions); beyond it the oldest goes. */
const ESTIMATES_PER_DOCUMENT = 64;
/** A key longer than this (long strings among the variables) is estimated every time rather than remembered. */
const MAX_ESTIMATE_KEY = 1_000;
type Estimate = ReturnType<typeof estimate>;

function sizeOf(document: DocumentNode, operation: OperationDefinitionNode): ReturnType<typeof documentSize> {
  let size = sizes.get(operation);
  if (!size) sizes.set(operation, (size = documentSize(document, operation)));
  return size;
}

/**
 * The variables an estimate can depend on: a page size (`first`) or a condition (`@include(if:)`) is a number or a
 * boolean, never an object or a list, so a write's input leaves the key alone and its estimate is remembered. A
 * wrongly typed variable left out here is still refused, by Apollo coercing the variables before execution (400
 * BAD_USER_INPUT, as the estimate would have answered).
 */
function costVariables(variables: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(variables ?? {}))
    if (value === null || typeof value !== "object") kept[name] = value;
  return kept;
}

function estimateOnce(
  schema: GraphQLSchema,
  request: Parameters<typeof estimate>[1],
  document: DocumentNode,
): Estimate {
  const key = `${request.operationName ?? ""}\n${JSON.stringify(costVariables(request.variables))}`;
  if (key.length > MAX_ESTIMATE_KEY) return estimate(schema, request, document);
  let bySchema = estimates.get(schema);
  if (!bySchema) estimates.set(schema, (bySchema = new WeakMap()));
  let byKey = bySchema.get(document);
  const hit = byKey?.get(key);
  if (hit) return hit;
  const fresh = estimate(schema, request, document);
  if (!byKey) bySchema.set(document, (byKey = new Map()));
  if (byKey.size >= ESTIMATES_PER_DOCUMENT) byKey.delete(byKey.keys().next().value!);
  byKey.set(key, fresh);
  return fresh;
}

/**
 * The exports (CSV and their XLSX twins, charged alike) are county-wide sums too, sent as plain HTTP: each is
 * charged to the same budget as the GraphQL question it answers (the coverage export computes the whole county's
 * coverage, as coverageMap does; the readiness export walks the subtree as readiness does).
 */
export const EXPORT_COST: Readonly<Record<"coverage" | "ledger" | "stock" | "readiness", number>> = {
  coverage: ROOT_FIELD_COST.coverageMap!,
  ledger: ROOT_FIELD_COST.expiringLots!,
  stock: ROOT_FIELD_COST.expiringLots!,
  readiness: ROOT_FIELD_COST.readiness!,
};

/** Whom a budget charge is for: the viewer, or the client address without a token. */
export const callerOf = (ctx: Pick<Context, "actor" | "clientAddress">): string =>
  ctx.actor ? `user:${ctx.actor.userId}` : `address:${ctx.clientAddress}`;

/** One budget per process, shared by GraphQL and the CSV exports. */
export const budgetOf = (limits: QueryLimits): QueryBudget =>
  new QueryBudget({ budget: limits.budget, windowMs: limits.budgetWindowSeconds * 1000 });

/**
 * Refuses (throws) an operation that is too large, too deep or too costly; answers the part of its cost spent on
 * expensive root questions, for the caller's budget. HTTP runs it in the plugin below; WebSocket subscriptions,
 * which Apollo's plugins never see, run it in their own onSubscribe (http/subscriptions.ts).
 */
export function checkOperation(
  schema: GraphQLSchema,
  limits: QueryLimits,
  request: { operationName?: string | null; variables?: Record<string, unknown> | null },
  document: DocumentNode,
  operation: OperationDefinitionNode,
): number {
  checkSize(limits, sizeOf(document, operation));
  const { complexity, expensive } = estimateOnce(schema, request, document);
  if (complexity > limits.maxComplexity) {
    throw refuse(`query complexity ${complexity} exceeds the limit of ${limits.maxComplexity}`, {
      complexity,
      limit: limits.maxComplexity,
    });
  }
  return expensive;
}

/** Refuses operations that are too large, too deep, too costly or over the caller's budget before any resolver runs. */
export function limitsPlugin(
  schema: GraphQLSchema,
  limits: QueryLimits,
  budget: QueryBudget = budgetOf(limits),
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, contextValue }) {
          if (!operation) return;
          const expensive = checkOperation(schema, limits, request, document, operation);
          if (expensive === 0) return;
          const charged = budget.charge(callerOf(contextValue), expensive);
          if (!charged.ok) {
            throw new GraphQLError(
              `too many county-wide questions: try again in ${charged.retryAfterSeconds} s`,
              {
                extensions: {
                  code: "TOO_MANY_REQUESTS",
                  retryAfterSeconds: charged.retryAfterSeconds,
                  http: {
                    status: 429,
                    headers: new HeaderMap([["retry-after", String(charged.retryAfterSeconds)]]),
                  },
                },
              },
            );
          }
        },
      };
    },
  };
}
