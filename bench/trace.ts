import { pino } from "pino";
import postgres from "postgres";
import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/client.js";
import { startService } from "../src/service.js";

/** What one request of B sent to the database, and how PostgreSQL ran each statement. */
export interface Trace {
  statements: number;
  plans: StatementPlan[];
}

export interface StatementPlan {
  sql: string;
  /** Execution time, as EXPLAIN ANALYZE measured it. */
  ms: number;
  /** Planning time: paid on every call, since statements are not prepared. */
  planMs: number;
  /** Tables read by a sequential scan anywhere in the plan. */
  seqScans: string[];
  /** The plan's node types, outermost first: enough to see the access paths at a glance. */
  nodes: string[];
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function walk(node: PlanNode, out: { seq: string[]; nodes: string[] }): void {
  const on = node["Relation Name"] ? ` on ${node["Relation Name"]}` : "";
  const using = node["Index Name"] ? ` using ${node["Index Name"]}` : "";
  out.nodes.push(`${node["Node Type"]}${on}${using}`);
  if (node["Node Type"] === "Seq Scan" && node["Relation Name"]) out.seq.push(node["Relation Name"]);
  for (const child of node.Plans ?? []) walk(child, out);
}

/**
 * Runs the service in this process with a statement hook, sends each request once to warm caches and once to
 * record, then EXPLAIN ANALYZEs every recorded statement with its own parameters.
 */
export async function traceRequests(
  databaseUrl: string,
  secret: string,
  requests: Record<string, (url: string) => Promise<unknown>>,
): Promise<Record<string, Trace>> {
  let recording: { sql: string; params: unknown[] }[] | null = null;
  const database = await openDatabase({
    databaseUrl,
    maxConnections: 2,
    onQuery: (sql, params) => recording?.push({ sql, params }),
  });
  const config = loadConfig({
    NODE_ENV: "production",
    PORT: "0",
    HOST: "127.0.0.1",
    JWT_SECRET: secret,
    DATABASE_URL: databaseUrl,
    MAX_QUERY_COMPLEXITY: "100000",
    // the load generator is one viewer asking hundreds of questions a second
    QUERY_BUDGET: "1000000000",
    // the viewer is remembered between requests (5 s by default); here for the whole trace, so the recorded
    // request shows only its own statements, never the viewer lookup the warm-up made
    ACTOR_CACHE_SECONDS: "300",
  });
  const svc = await startService(config, { database, logger: pino({ level: "silent" }) });
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const out: Record<string, Trace> = {};
  try {
    for (const [name, send] of Object.entries(requests)) {
      await send(svc.url);
      const seen: { sql: string; params: unknown[] }[] = [];
      recording = seen;
      await send(svc.url);
      recording = null;
      const plans: StatementPlan[] = [];
      for (const s of seen) {
        const [row] = await sql.unsafe(`explain (analyze, format json) ${s.sql}`, s.params as never[]);
        const plan = (
          row as unknown as {
            "QUERY PLAN": [{ Plan: PlanNode; "Execution Time": number; "Planning Time": number }];
          }
        )["QUERY PLAN"][0];
        const found = { seq: [] as string[], nodes: [] as string[] };
        walk(plan.Plan, found);
        plans.push({
          sql: s.sql,
          ms: plan["Execution Time"],
          planMs: plan["Planning Time"],
          seqScans: found.seq,
          nodes: found.nodes,
        });
      }
      out[name] = { statements: seen.length, plans };
    }
  } finally {
    await sql.end({ timeout: 2 });
    await svc.close();
    await database.close();
  }
  return out;
}
