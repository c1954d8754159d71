import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { signLocalToken } from "../src/auth/tokens.js";
import { loadConfig } from "../src/config.js";
import { startService } from "../src/service.js";
import { demoCounty } from "../seeds/demo-county.js";
import { engine, withEmptyDatabase } from "./support/engine.js";
import { openTestDatabase, TEST_SECRET } from "./support/service.js";

const root = path.resolve(import.meta.dirname, "..");
const SEEDED_LINES = demoCounty.receipts.reduce((n, r) => n + (r.serialNumbers?.length || 1), 0);

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function probe(base: string, pathname: string): Promise<number | null> {
  try {
    return (await fetch(`${base}${pathname}`)).status;
  } catch {
    return null; // not listening yet
  }
}

/** Every ledger line the service holds, paged through the API as an auditor would read them. */
async function ledgerLines(base: string): Promise<number> {
  const token = await signLocalToken(new TextEncoder().encode(TEST_SECRET), "auditor");
  let after: string | null = null;
  let count = 0;
  for (;;) {
    const res = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `query($after: String) { movements(first: 100, after: $after) {
          nodes { id } pageInfo { hasNextPage endCursor } } }`,
        variables: { after },
      }),
    });
    const body = (await res.json()) as {
      data: { movements: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    };
    count += body.data.movements.nodes.length;
    if (!body.data.movements.pageInfo.hasNextPage) return count;
    after = body.data.movements.pageInfo.endCursor;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
  });
}

describe("/readyz", () => {
  it("answers 503 while the first-start work runs, and GraphQL waits too; ready once it is done", async () => {
    const { database, drop } = await openTestDatabase();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let base = "";
    const config = loadConfig({ NODE_ENV: "test", PORT: String(await freePort()), HOST: "127.0.0.1" });
    base = `http://127.0.0.1:${config.PORT}`;
    const starting = startService(
      { ...config, JWT_SECRET: TEST_SECRET },
      { database, logger: pino({ level: "silent" }), firstStart: () => gate },
    );
    try {
      let ready: number | null = null;
      while (ready === null) ready = await probe(base, "/readyz");
      expect(ready).toBe(503);
      expect(await probe(base, "/healthz")).toBe(200);
      expect(await probe(base, "/graphql?query=%7B__typename%7D")).toBe(503);
      release();
      const service = await starting;
      expect(await probe(base, "/readyz")).toBe(200);
      await service.close();
    } finally {
      release();
      await drop();
    }
  });

  it("a real start on an empty database says ready only when migrated and seeded with the whole demo county", async () => {
    const run = async (databaseEnv: Record<string, string>) => {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? "",
          PORT: String(port),
          HOST: "127.0.0.1",
          JWT_SECRET: TEST_SECRET,
          LOG_LEVEL: "silent",
          ...databaseEnv,
        },
        stdio: "ignore",
      });
      try {
        const seen: number[] = [];
        for (let status = null as number | null; status !== 200;) {
          if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
          status = await probe(base, "/readyz");
          if (status !== null) seen.push(status);
          await new Promise((r) => setTimeout(r, 20));
        }
        // it was listening (and answering not ready) before the seeding had finished
        // never ready before the end; on PostgreSQL the seeding waits on the network, so the probe is answered
        // (not ready) meanwhile, while embedded PGlite keeps the one thread busy until the seed is in
        expect(seen.slice(0, -1).every((s) => s === 503)).toBe(true);
        if (engine === "postgres") expect(seen[0]).toBe(503);
        expect(seen.at(-1)).toBe(200);
        expect(await ledgerLines(base)).toBe(SEEDED_LINES);
      } finally {
        child.kill("SIGTERM");
        await exited(child);
      }
    };
    if (engine === "pglite") await run({ DATA_DIR: mkdtempSync(path.join(tmpdir(), "rl-ready-")) });
    else await withEmptyDatabase("rl_readyz", (url) => run({ DATABASE_URL: url }));
  }, 180_000);
});
