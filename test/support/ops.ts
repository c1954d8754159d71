import { type ChildProcess, spawn } from "node:child_process";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { signLocalToken } from "../../src/auth/tokens.js";
import { TEST_SECRET } from "./service.js";

/** Where a deployment keeps its books: a PostgreSQL URL, or an embedded data folder. */
export type Place = { DATABASE_URL: string } | { DATA_DIR: string };

/** The tables an operator would call "the county's books": every balance, ledger line and idempotency record. */
export const BOOKS = [
  "regions",
  "region_paths",
  "users",
  "role_grants",
  "units",
  "items",
  "depots",
  "lots",
  "stock_levels",
  "movements",
  "idempotency_keys",
] as const;

const secret = new TextEncoder().encode(TEST_SECRET);

/** An operation over HTTP against a service at `base` (http://host:port), as `as`. */
export async function gqlAt<T = Record<string, unknown>>(
  base: string,
  as: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const res = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${await signLocalToken(secret, as)}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as object) };
}

/** Runs `use` on a direct connection to the place (the service must be stopped for an embedded folder). */
export async function withDirect<T>(
  place: Place,
  use: (q: (text: string) => Promise<unknown[]>) => Promise<T>,
) {
  if ("DATABASE_URL" in place) {
    const sql = postgres(place.DATABASE_URL, { max: 1, onnotice: () => {} });
    try {
      return await use(async (text) => [...(await sql.unsafe(text))]);
    } finally {
      await sql.end();
    }
  }
  const pg = new PGlite({ dataDir: `${place.DATA_DIR}/pglite` });
  try {
    return await use(async (text) => (await pg.query(text)).rows);
  } finally {
    await pg.close();
  }
}

/** Every row of each table as JSON, in a stable order: two snapshots are equal when the books are. */
export async function snapshot(place: Place, tables: readonly string[] = BOOKS) {
  return withDirect(place, async (q) => {
    const out: Record<string, Record<string, unknown>[]> = {};
    for (const t of tables) {
      const rows = (await q(`select to_jsonb(t) as r from ${t} t`)) as { r: Record<string, unknown> }[];
      out[t] = rows.map((x) => x.r).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    }
    return out;
  });
}

/** A child process's output and exit, for processes the test starts itself. */
export interface Child {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

export function run(
  command: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string> },
): Child {
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? "", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out += b.toString("utf8")));
  child.stderr!.on("data", (b: Buffer) => (out += b.toString("utf8")));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => out };
}

/** Polls the output until `pattern` matches; fails if the process exits first. */
export async function waitForOutput(
  c: Child,
  pattern: RegExp,
  timeoutMs = 120_000,
): Promise<RegExpExecArray> {
  let gone = false;
  void c.exited.then(() => (gone = true));
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const m = pattern.exec(c.output());
    if (m) return m;
    if (gone) throw new Error(`the process exited before ${pattern}: ${c.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${pattern} within ${timeoutMs} ms: ${c.output()}`);
}
