import { fileURLToPath } from "node:url";
import path from "node:path";
import { z } from "zod";

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    HOST: z.string().default("0.0.0.0"),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    /** PostgreSQL through postgres.js when set; embedded PGlite under DATA_DIR otherwise. */
    DATABASE_URL: z.string().superRefine(checkDatabaseUrl).optional(),
    DATA_DIR: z.string().default("./data"),
    /** HS256 secret for local tokens; at least 32 characters. */
    JWT_SECRET: z.string().min(32, "JWT_SECRET must be at least 32 characters").optional(),
    /** An identity provider's key set for RS256/ES256 tokens. */
    JWKS_URL: z.string().url().optional(),
    JWT_ISSUER: z.string().optional(),
    JWT_AUDIENCE: z.string().optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Load the demo county into an empty database; by default only outside production, and never in it. */
    SEED_DEMO: z
      .enum(["true", "false"])
      .optional()
      .transform((v) => (v === undefined ? undefined : v === "true")),
    /** Minutes an access token from signIn or refreshSession is valid. */
    ACCESS_TOKEN_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    /**
     * Behind a reverse proxy, take the client address for sign-in limits from the last X-Forwarded-For entry
     * (the one the proxy wrote). Off, the socket's peer address is the client.
     */
    TRUST_PROXY: z
      .enum(["true", "false"])
      .default("false")
      .transform((v) => v === "true"),
    /** Write-offs above this quantity need a second person's confirmation (confirmWriteOff). */
    WRITE_OFF_CONFIRMATION_THRESHOLD: z
      .string()
      .regex(/^\d+(\.\d{1,3})?$/, "a decimal number such as 100 or 2.5")
      .default("100"),
    /** Days the owing office has to do the paperwork of what went out under an emergency before it is overdue. */
    EMERGENCY_PAPERWORK_DAYS: z.coerce.number().int().min(1).max(365).default(7),
    MAX_QUERY_COMPLEXITY: z.coerce.number().int().positive().default(10000),
    /**
     * Answer the hot questions (stock pages, expiring lots, requisitions, depots, the ledger) with one SQL
     * statement per root field (src/graphql/compiled); false answers everything through the resolvers.
     */
    COMPILED_READS: z
      .enum(["true", "false"])
      .default("true")
      .transform((v) => v === "true"),
    /** Seconds a viewer's grants and kept depots are remembered between requests; 0 reads them every time. */
    ACTOR_CACHE_SECONDS: z.coerce.number().min(0).max(300).default(5),
    MAX_QUERY_DEPTH: z.coerce.number().int().positive().default(10),
    /** Fields one operation may select with its fragments expanded; refused before the cost is estimated. */
    MAX_QUERY_NODES: z.coerce.number().int().positive().default(2000),
    /** Aliased fields per operation: aliases repeat a question without making the document longer. */
    MAX_ALIASES: z.coerce.number().int().min(0).default(30),
    /** Cost of county-wide questions (readiness, coverage, …) one viewer may ask per window; see limits.ts. */
    QUERY_BUDGET: z.coerce.number().int().positive().default(30000),
    QUERY_BUDGET_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    /** Connections this process opens to PostgreSQL (DATABASE_URL only); behind a pooler, its share of the pool. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    /** On SIGTERM/SIGINT, seconds in-flight requests and exports may take to finish before they are cut. */
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(25),
    /** Longest one statement may run (PostgreSQL statement_timeout, and the client's own deadline beside it). */
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    /** Longest a statement waits for a row lock another transaction holds (lock_timeout). */
    DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
    /** A transaction left idle this long is ended by the server (idle_in_transaction_session_timeout). */
    DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    /** Longest a request waits for a free database connection before it is refused with 503. */
    DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    /** Requests beyond the pool's size that may be in flight at once; more are refused at once with 503. */
    MAX_QUEUED_REQUESTS: z.coerce.number().int().min(0).max(100_000).default(100),
    /** Largest 台账 file POST /import accepts, in bytes; a larger one is refused with 413. */
    IMPORT_MAX_BYTES: z.coerce.number().int().min(1000).max(1_000_000_000).default(20_000_000),
    /** Serve GET /metrics (Prometheus text). Setting METRICS_TOKEN turns it on behind that bearer token. */
    METRICS: flag("false"),
    METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional(),
    /** Comma-separated browser origins allowed to call the API, e.g. https://reserves.example.gov.cn; none by default. */
    CORS_ORIGINS: z
      .string()
      .default("")
      .transform((v) =>
        v
          .split(",")
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^https?:\/\/[^/?#\s]+$/, "origins are scheme://host[:port], no path"))),
    /**
     * Apply pending migrations at start (under an advisory lock on PostgreSQL). Set false where a release job runs
     * `npm run migrate` as the schema's owner and the service's role may not change the schema: the service then
     * refuses to start on a database that lacks a migration.
     */
    MIGRATE_ON_START: flag("true"),
    /** Seconds between checks for loans that became overdue (told once to both sides and the county); 0: never. */
    LOAN_OVERDUE_CHECK_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
    /** Gzip responses for clients that accept it; turn off when a reverse proxy compresses. */
    COMPRESSION: flag("true"),
    /**
     * The built web console served at /; defaults to web/dist beside the code (npm run web:build). An empty value
     * serves none, for a deployment whose reverse proxy serves the files itself.
     */
    CONSOLE_DIR: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.JWT_SECRET && !env.JWKS_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["JWT_SECRET"],
        message: "in production set JWT_SECRET or JWKS_URL; a generated secret would not survive a redeploy",
      });
    }
  });

function flag(fallback: "true" | "false") {
  return z
    .enum(["true", "false"])
    .default(fallback)
    .transform((v) => v === "true");
}

/**
 * postgres:// or postgresql:// with a host and a database name. `localhost:5432/x` parses as a URL with the scheme
 * "localhost:", so a plain URL check let it through to fail much later; the message never repeats the password.
 */
function checkDatabaseUrl(value: string, ctx: z.RefinementCtx): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return void ctx.addIssue({
      code: "custom",
      message: "not a URL; expected postgres://user@host:5432/database",
    });
  }
  const problem =
    url.protocol !== "postgres:" && url.protocol !== "postgresql:"
      ? `the scheme must be postgres:// or postgresql://, not ${url.protocol}//`
      : !url.hostname
        ? "it names no host"
        : url.pathname.replace(/^\//, "") === ""
          ? "it names no database"
          : null;
  if (problem)
    ctx.addIssue({ code: "custom", message: `${problem}; expected postgres://user@host:5432/database` });
}

export type Config = Omit<z.infer<typeof schema>, "SEED_DEMO"> & {
  SEED_DEMO: boolean;
  dataDir: string;
  consoleDir: string | null;
  graphiqlDir: string | null;
};

/** Parses the environment once; a bad value ends start-up with a message that names the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const production = parsed.data.NODE_ENV === "production";
  return {
    ...parsed.data,
    // a real county's database must never receive the demo county's people and stock
    SEED_DEMO: production ? false : (parsed.data.SEED_DEMO ?? true),
    dataDir: path.resolve(parsed.data.DATA_DIR),
    consoleDir:
      parsed.data.CONSOLE_DIR === undefined
        ? BUILT_CONSOLE
        : parsed.data.CONSOLE_DIR === ""
          ? null
          : path.resolve(parsed.data.CONSOLE_DIR),
    graphiqlDir: production ? null : BUILT_GRAPHIQL,
  };
}

// src/config.ts runs from src/ (tsx) or dist/src/ (npm run build copies web/dist beside it): ../web/dist either way
const BUILT_CONSOLE = fileURLToPath(new URL("../web/dist", import.meta.url));
const BUILT_GRAPHIQL = fileURLToPath(new URL("../web/graphiql/dist", import.meta.url));

/** The database client's bounds (src/db/gate.ts) from the configuration. */
export const databaseBounds = (config: Config) => ({
  statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
  lockTimeoutMs: config.DB_LOCK_TIMEOUT_MS,
  idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  acquireTimeoutMs: config.DB_ACQUIRE_TIMEOUT_MS,
});

export class ConfigError extends Error {
  override name = "ConfigError";
}
