import { readFile } from "node:fs/promises";
import { type Logger, pino } from "pino";
import postgres from "postgres";
import { inject } from "vitest";
import { signLocalToken } from "../../src/auth/tokens.js";
import { loadConfig } from "../../src/config.js";
import { type Database, openDatabase } from "../../src/db/client.js";
import { type Service, startService } from "../../src/service.js";
import { adminUrl, databaseUrl, engine } from "./engine.js";
import { assertLedgerHolds } from "./ledgerInvariant.js";

export const TEST_SECRET = "test-secret-that-is-at-least-32-characters-long";

/**
 * A fresh copy of the migrated, demo-seeded database, on the engine under test. `drop` first checks the
 * ledger/balance invariant, so every test file that leaves its books out of balance fails, with the rows.
 */
export async function openTestDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  const template = inject("template");
  if (engine === "pglite") {
    const dump = new Blob([await readFile(template)]);
    const database = await openDatabase({ loadDataDir: dump });
    return { database, drop: () => checkedThen(database, null, () => database.close()) };
  }
  const name = `rl_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template ${template}`);
  const database = await openDatabase({ databaseUrl: databaseUrl(name), maxConnections: 20 });
  return {
    database,
    drop: () =>
      checkedThen(database, databaseUrl(name), async () => {
        await database.close();
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      }),
  };
}

/** The invariant's verdict, after the database is gone whatever it was. */
async function checkedThen(database: Database, url: string | null, drop: () => Promise<void>) {
  try {
    await assertLedgerHolds(database, url);
  } finally {
    await drop();
  }
}

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}

export interface TestService extends Service {
  database: Database;
  token(username: string, opts?: { expiresIn?: string }): Promise<string>;
  /** POSTs an operation as `username` (or anonymously with null): every test says who asks. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    as: string | null,
  ): Promise<GqlResult<T>>;
  stop(): Promise<void>;
}

/**
 * A second service over the same database that answers everything through the resolvers (COMPILED_READS=false):
 * the twin a compiled answer is held equal to. Stopping it leaves the database to the first.
 */
export async function resolverTwin(
  svc: TestService,
  opts: { clock?: () => Date } = {},
): Promise<Pick<TestService, "gql"> & { stop(): Promise<void> }> {
  const { service, gql } = await serviceOver(svc.database, { ...opts, env: { COMPILED_READS: "false" } });
  return { gql, stop: async () => void (await service.close()) };
}

type ServiceOpts = { clock?: () => Date; env?: Record<string, string>; logger?: Logger };

/** A service of the test configuration over `database`, with tokens and a GraphQL client for it. */
async function serviceOver(database: TestService["database"], opts: ServiceOpts) {
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    HOST: "127.0.0.1",
    JWT_SECRET: TEST_SECRET,
    // a test file asks one viewer's county-wide questions within seconds; test/queryCost.test.ts sets a small one
    QUERY_BUDGET: "100000000",
    // the minute's overdue-loan check would add statements at random to tests that count them; a test of it sets it
    LOAN_OVERDUE_CHECK_SECONDS: "0",
    ...opts.env,
  });
  const service = await startService(config, {
    database,
    clock: opts.clock,
    logger: opts.logger ?? pino({ level: process.env.TEST_LOG ?? "silent" }),
  });
  const secret = new TextEncoder().encode(TEST_SECRET);
  const token = (username: string, o: { expiresIn?: string } = {}) => signLocalToken(secret, username, o);
  const gql: TestService["gql"] = async (query, variables, as) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (as) headers.authorization = `Bearer ${await token(as)}`;
    const res = await fetch(service.url, {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as Omit<GqlResult, "status">;
    return { status: res.status, data: (body.data ?? null) as never, errors: body.errors };
  };
  return { service, token, gql };
}

export async function startTestService(opts: ServiceOpts = {}): Promise<TestService> {
  const { database, drop } = await openTestDatabase();
  const { service, token, gql } = await serviceOver(database, opts);
  return {
    ...service,
    database,
    token,
    gql,
    async stop() {
      await service.close();
      await drop();
    },
  };
}
