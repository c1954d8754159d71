import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "../src/db/client.js";
import { adminUrl, databaseUrl, engine } from "./support/engine.js";
import { gqlAt, type Place, run, snapshot, withDirect } from "./support/ops.js";
import { spawnService, type ServiceProcess, waitFor } from "./support/process.js";
import { TEST_SECRET } from "./support/service.js";

const root = path.resolve(import.meta.dirname, "..");
const dirs: string[] = [];
const databases: string[] = [];
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
const tmp = (prefix: string) => {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

/** The demo county's books (ledger lines, balances, keyed receipts) in a place of their own. */
async function county(): Promise<Place> {
  if (engine === "pglite") {
    const DATA_DIR = tmp("rl-backup-src-");
    const db = await openDatabase({
      dataDir: `${DATA_DIR}/pglite`,
      loadDataDir: new Blob([await readFile(inject("template"))]),
    });
    await db.close();
    return { DATA_DIR };
  }
  return { DATABASE_URL: await database(`template ${inject("template")}`) };
}

async function database(template = ""): Promise<string> {
  const name = `rl_backup_${process.pid}_${databases.length}`;
  databases.push(name);
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name} ${template}`);
  return databaseUrl(name);
}

const emptyPlace = async (): Promise<Place> =>
  engine === "pglite" ? { DATA_DIR: tmp("rl-backup-dst-") } : { DATABASE_URL: await database() };

const cli = async (script: "backup" | "restore", place: Place, ...args: string[]) => {
  const c = run(process.execPath, ["--import", "tsx", `src/cli/${script}.ts`, ...args], {
    cwd: root,
    env: place,
  });
  return { ...(await c.exited), output: c.output() };
};

async function started(place: Place): Promise<{ svc: ServiceProcess; base: string }> {
  const svc = spawnService({ ...place, JWT_SECRET: TEST_SECRET, SEED_DEMO: "false" });
  const base = await svc.base();
  await waitFor(base, "/readyz", 200);
  return { svc, base };
}
async function stopped(svc: ServiceProcess) {
  svc.child.kill("SIGTERM");
  expect((await svc.exited).code).toBe(0);
}

const RECEIPT = `mutation($input: ReceiveStockInput!) { receiveStock(input: $input) {
  movements { id kind quantity lot { id } } lots { id onHand } userErrors { code } } }`;
const allTables = (place: Place) =>
  withDirect(place, (q) => q("select tablename from pg_tables where schemaname = 'public' order by 1")).then(
    (rows) => (rows as { tablename: string }[]).map((r) => r.tablename),
  );

let source: Place;
let target: Place;
const file = path.join(tmp("rl-backup-file-"), "county.backup");
let input: Record<string, unknown>;
let answer: unknown;
let whileRunning: Awaited<ReturnType<typeof cli>>;
let runningPid = 0;
let books: Awaited<ReturnType<typeof snapshot>>;

beforeAll(async () => {
  source = await county();
  const { svc, base } = await started(source);
  runningPid = svc.child.pid!;
  const ids = await gqlAt<{
    depots: { nodes: { id: string; code: string }[] };
    items: { nodes: { id: string; trackingMode: string }[] };
  }>(
    base,
    "county.officer",
    "{ depots(first: 100) { nodes { id code } } items(first: 100) { nodes { id trackingMode } } }",
  );
  input = {
    depotId: ids.data!.depots.nodes.find((d) => d.code === "CW-01")!.id,
    itemId: ids.data!.items.nodes.find((i) => i.trackingMode === "BULK")!.id,
    quantity: "7",
    lotCode: "BK-1",
    receivedOn: "2026-11-30",
    source: "DONATION",
    reason: "备份前的捐赠",
    idempotencyKey: "backup-receipt-1",
  };
  answer = (await gqlAt(base, "county.keeper", RECEIPT, { input })).data;
  whileRunning = await cli("backup", source, file);
  await stopped(svc);
  if (engine === "pglite") expect((await cli("backup", source, file)).code).toBe(0);
  books = await snapshot(source, await allTables(source));
  target = await emptyPlace();
  const restored = await cli("restore", target, file);
  expect(restored.output).toContain("restored");
  expect(restored.code).toBe(0);
}, 300_000);

afterAll(async () => {
  for (const name of databases) await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe(`backup and restore (${engine})`, () => {
  it(
    engine === "pglite"
      ? "a data folder a running service holds is refused, naming the process"
      : "a PostgreSQL backup is taken while the service runs (pg_dump reads one snapshot)",
    () => {
      if (engine === "pglite") {
        expect(whileRunning.code).toBe(1);
        expect(whileRunning.output.trim()).toBe(
          `backup: the data folder ${(source as { DATA_DIR: string }).DATA_DIR} is in use by process ${runningPid}`,
        );
      } else expect(whileRunning.code).toBe(0);
    },
  );

  it("the restored copy holds every row of every table: balances, ledger lines, idempotency records", async () => {
    const copy = await snapshot(target, await allTables(target));
    expect(Object.keys(copy)).toEqual(Object.keys(books));
    for (const table of Object.keys(books))
      expect({ table, rows: copy[table] }).toEqual({ table, rows: books[table] });
    expect(books.movements!.length).toBeGreaterThan(50);
    expect(books.stock_levels!.length).toBeGreaterThan(10);
    expect(books.idempotency_keys!.some((k) => k.key === "backup-receipt-1")).toBe(true);
  });

  it("a restore over books already there is refused without --force and changes nothing", async () => {
    const refused = await cli("restore", target, file);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/already holds .*nothing was changed \(--force replaces/);
    expect((await cli("restore", target, file, "--force")).code).toBe(0);
    expect((await snapshot(target, ["movements"])).movements).toEqual(books.movements);
  });

  it("a service on the restored copy replays the keyed receipt with the original answer and no new line", async () => {
    const { svc, base } = await started(target);
    try {
      const replay = await gqlAt(base, "county.keeper", RECEIPT, { input });
      expect(replay.errors).toBeUndefined();
      expect(replay.data).toEqual(answer);
    } finally {
      await stopped(svc);
    }
    expect((await snapshot(target, ["movements"])).movements).toEqual(books.movements);
  });
});
