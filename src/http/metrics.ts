import type { ServerResponse } from "node:http";
import type { ApolloServerPlugin } from "@apollo/server";
import type { Logger } from "pino";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { CommandObserver } from "../app/observer.js";
import type { Database } from "../db/client.js";
import { connectionStates } from "../db/poolStats.js";
import type { Context } from "../graphql/context.js";
import { EXPORTS } from "./exports.js";

export interface MetricsOptions {
  /** Serve GET /metrics at all (METRICS=true or METRICS_TOKEN set). */
  enabled: boolean;
  /** When set, /metrics wants `Authorization: Bearer <token>`. */
  token?: string | undefined;
}

// operation names come from clients: past this many distinct names, the rest share one series
const MAX_OPERATION_NAMES = 200;
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const KNOWN_PATHS = new Set(["/graphql", "/healthz", "/readyz", "/metrics", ...EXPORTS.keys()]);

export type Outcome = "ok" | "refused" | "error";

function withDefaultMetrics(registry: Registry): Registry {
  collectDefaultMetrics({ register: registry });
  return registry;
}

function counter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: L[],
): Counter<L> {
  return new Counter({ name, help, labelNames, registers: [registry] });
}

function latency<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: L[],
): Histogram<L> {
  return new Histogram({ name, help, labelNames, buckets: LATENCY_BUCKETS, registers: [registry] });
}

/** The pool's size, and its connections by state read from the database at each scrape. */
function databaseGauges(registers: Registry[], database: Database, poolSize: number, logger: Logger): void {
  new Gauge({
    name: "db_pool_size",
    help: "Connections this process may open to PostgreSQL (DATABASE_POOL_SIZE); 1 for PGlite.",
    registers,
  }).set(database.engine === "postgres" ? poolSize : 1);
  new Gauge({
    name: "db_connections",
    help: "This service's PostgreSQL connections by state, from pg_stat_activity (all processes on the database).",
    labelNames: ["state"],
    registers,
    async collect() {
      try {
        const states = await withDeadline(connectionStates(database), 1000);
        this.reset();
        for (const [state, n] of states ?? []) this.set({ state }, n);
      } catch (err) {
        logger.warn({ err }, "metrics: database connections unavailable");
      }
    },
  });
}

/** One registry per service instance: tests start several in one process, and the global one would clash. */
export class Metrics {
  // the default process metrics are registered first, so they lead the scrape as they always have
  readonly registry = withDefaultMetrics(new Registry());
  private readonly operationNames = new Set<string>();
  private readonly httpRequests = counter(
    this.registry,
    "http_requests_total",
    "HTTP requests by method, path and status.",
    ["method", "path", "status"],
  );
  private readonly httpDuration = latency(
    this.registry,
    "http_request_duration_seconds",
    "Time to the last byte of an HTTP response, by path.",
    ["path"],
  );
  private readonly operations = counter(
    this.registry,
    "graphql_operations_total",
    "GraphQL operations by name and outcome (ok, refused with userErrors, error).",
    ["operation", "outcome"],
  );
  private readonly operationDuration = latency(
    this.registry,
    "graphql_operation_duration_seconds",
    "GraphQL operation latency by name and outcome.",
    ["operation", "outcome"],
  );
  private readonly refusals = counter(
    this.registry,
    "graphql_refusals_total",
    "Refusals by error code: userErrors codes and top-level error codes.",
    ["code"],
  );
  private readonly replays = counter(
    this.registry,
    "idempotent_replays_total",
    "Retried mutations answered from their stored idempotent response.",
    ["operation"],
  );
  private readonly ledgerLines = counter(
    this.registry,
    "ledger_lines_written_total",
    "Ledger lines (movements) committed, by kind.",
    ["kind"],
  );

  private readonly compiledAnswers = counter(
    this.registry,
    "graphql_compiled_answers_total",
    "Operations of the compiled read path: answered from compiled SQL, or handed to the resolvers.",
    ["outcome"],
  );

  constructor(database: Database, poolSize: number, logger: Logger) {
    databaseGauges([this.registry], database, poolSize, logger);
  }

  /** Subscriptions open over WebSocket, read at each scrape from the server that runs them. */
  watchSubscriptions(open: () => number): void {
    new Gauge({
      name: "graphql_subscriptions",
      help: "GraphQL subscriptions (live notifications) open over WebSocket on this process.",
      registers: [this.registry],
      collect() {
        this.set(open());
      },
    });
  }

  readonly observer: CommandObserver = {
    idempotentReplay: (operation) => this.replays.inc({ operation }),
    ledgerLinesWritten: (lines) => {
      for (const [kind, n] of lines) this.ledgerLines.inc({ kind }, n);
    },
  };

  httpRequest(method: string, path: string, status: number, seconds: number): void {
    const p = KNOWN_PATHS.has(path) ? path : "other";
    this.httpRequests.inc({ method, path: p, status: String(status) });
    this.httpDuration.observe({ path: p }, seconds);
  }

  operation(name: string, outcome: Outcome, seconds: number, codes: readonly string[]): void {
    if (!this.operationNames.has(name) && this.operationNames.size < MAX_OPERATION_NAMES)
      this.operationNames.add(name);
    const operation = this.operationNames.has(name) ? name : "other";
    this.operations.inc({ operation, outcome });
    this.operationDuration.observe({ operation, outcome }, seconds);
    for (const code of codes) this.refusals.inc({ code });
  }

  /** A compiled-path operation: answered from SQL, or handed to the resolvers because the answer might differ. */
  compiledAnswer(outcome: "compiled" | "resolvers"): void {
    this.compiledAnswers.inc({ outcome });
  }

  /** An Apollo plugin that reads each operation's name, its userErrors codes and its top-level error codes. */
  plugin(): ApolloServerPlugin<Context> {
    return {
      requestDidStart: async () => {
        const started = performance.now();
        return {
          willSendResponse: async ({ response, operationName }) => {
            if (response.body.kind !== "single") return;
            const { data, errors } = response.body.singleResult;
            const top = (errors ?? []).map((e) => String(e.extensions?.code ?? "INTERNAL_SERVER_ERROR"));
            const payload = userErrorCodes(data);
            const outcome: Outcome = top.length > 0 ? "error" : payload.length > 0 ? "refused" : "ok";
            this.operation(operationName ?? "anonymous", outcome, (performance.now() - started) / 1000, [
              ...top,
              ...payload,
            ]);
          },
        };
      },
    };
  }

  /** GET /metrics; a wrong or missing token is 401, so a scraper's misconfiguration is plain. */
  async serve(
    authorization: string | undefined,
    res: ServerResponse,
    options: MetricsOptions,
  ): Promise<void> {
    if (options.token && authorization !== `Bearer ${options.token}`) {
      res.writeHead(401, { "content-type": "text/plain; charset=utf-8", "www-authenticate": "Bearer" });
      res.end("metrics need a bearer token\n");
      return;
    }
    const body = await this.registry.metrics();
    res.writeHead(200, { "content-type": this.registry.contentType });
    res.end(body);
  }
}

/** The codes of every `userErrors` list among the top-level fields of a result. */
function userErrorCodes(data: Record<string, unknown> | null | undefined): string[] {
  const codes: string[] = [];
  for (const value of Object.values(data ?? {})) {
    const errors = (value as { userErrors?: unknown } | null)?.userErrors;
    if (!Array.isArray(errors)) continue;
    for (const e of errors)
      if (typeof (e as { code?: unknown })?.code === "string") codes.push((e as { code: string }).code);
  }
  return codes;
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
