import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminUrl, databaseUrl, engine } from "./support/engine.js";
import {
  BOOKS,
  type Child,
  gqlAt,
  type Place,
  run,
  snapshot,
  waitForOutput,
  withDirect,
} from "./support/ops.js";
import { spawnService, type ServiceProcess, waitFor } from "./support/process.js";
import { TEST_SECRET } from "./support/service.js";

/**
 * The oldest release that can upgrade (README, "Upgrading"): 5eab365, the last commit that rewrote 0000_initial.sql
 * and the journal's first timestamps. Its own code runs here (git archive of that commit, beside this checkout's
 * node_modules: its dependencies are a subset at the same versions), writes the demo county and a receipt under an
 * idempotency key through its own API, and stops; today's service then starts on the same books and migrates.
 */
const OLDEST = "5eab365889d163fda4b37d851482e372af09e421";
const root = path.resolve(import.meta.dirname, "..");
const env = { JWT_SECRET: TEST_SECRET, HOST: "127.0.0.1", PORT: "0" };

const RECEIPT = `mutation($input: ReceiveStockInput!) { receiveStock(input: $input) {
  movements { id kind quantity reason lot { id lotCode } } lots { id onHand lotCode } userErrors { code } } }`;
const LEDGER = `query($d: ID!) { movements(depotId: $d, first: 100) { nodes { id kind quantity occurredAt lot { id } } } }`;
const STOCK = `query($d: ID!) { lots(depotId: $d, first: 100) { nodes { id onHand allocated condition item { code } } } }`;

let place: Place;
let dropPlace: () => Promise<void> = async () => {};
const old: { receipt?: unknown; ledger?: unknown; stock?: unknown; input?: Record<string, unknown> } = {};
let before: Awaited<ReturnType<typeof snapshot>>;
let current: ServiceProcess | null = null;
let currentBase = "";
const dirs: string[] = [];

async function freshPlace(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "rl-upgrade-"));
  dirs.push(dir);
  if (engine === "pglite") return void (place = { DATA_DIR: dir });
  const name = `rl_upgrade_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  place = { DATABASE_URL: databaseUrl(name) };
  dropPlace = async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
}

/** That commit's tree in a folder of its own, using this checkout's node_modules. */
function oldRelease(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "rl-oldrelease-"));
  dirs.push(dir);
  execFileSync("bash", ["-c", `git -C "${root}" archive ${OLDEST} | tar -x -C "${dir}"`]);
  symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

async function writeUnderOldRelease(): Promise<void> {
  const cwd = oldRelease();
  const svc: Child = run(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd,
    env: { ...env, ...place },
  });
  try {
    // the old release seeds the demo county before it prints its address
    const [, base] = (await waitForOutput(svc, /GraphQL: (http:\/\/[^/\s]+)\/graphql/)) as unknown as [
      string,
      string,
    ];
    const ids = await gqlAt<{
      depots: { nodes: { id: string; code: string }[] };
      items: { nodes: { id: string; code: string; trackingMode: string }[] };
    }>(
      base,
      "county.officer",
      "{ depots(first: 100) { nodes { id code } } items(first: 100) { nodes { id code trackingMode } } }",
    );
    const depot = ids.data!.depots.nodes.find((d) => d.code === "CW-01")!.id;
    const item = ids.data!.items.nodes.find((i) => i.trackingMode === "BULK")!.id;
    old.input = {
      depotId: depot,
      itemId: item,
      quantity: "12",
      lotCode: "UPG-1",
      receivedOn: "2026-11-20",
      source: "PURCHASE",
      reason: "升级前的入库",
      idempotencyKey: "upgrade-receipt-1",
    };
    old.receipt = (await gqlAt(base, "county.keeper", RECEIPT, { input: old.input })).data;
    expect(old.receipt).toMatchObject({ receiveStock: { userErrors: [] } });
    old.ledger = (await gqlAt(base, "county.officer", LEDGER, { d: depot })).data;
    old.stock = (await gqlAt(base, "county.officer", STOCK, { d: depot })).data;
  } finally {
    svc.child.kill("SIGTERM");
    await svc.exited;
  }
}

beforeAll(async () => {
  await freshPlace();
  await writeUnderOldRelease();
  before = await snapshot(place);
  current = spawnService({ ...env, ...place, SEED_DEMO: "false" });
  currentBase = await current.base();
  await waitFor(currentBase, "/readyz", 200);
}, 300_000);

afterAll(async () => {
  if (current && current.child.exitCode === null) {
    current.child.kill("SIGTERM");
    await current.exited;
  }
  await dropPlace();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe(`a county written by ${OLDEST.slice(0, 7)} upgrades to today's schema`, () => {
  it("every migration since is applied at the first start of today's service", async () => {
    const applied = await withDirect(place, (q) =>
      q("select count(*)::int as n from drizzle.__drizzle_migrations"),
    );
    const journal = JSON.parse(
      readFileSync(path.join(root, "src/db/migrations/meta/_journal.json"), "utf8"),
    ) as { entries: unknown[] };
    expect(journal.entries.length).toBeGreaterThanOrEqual(11); // 0000 … 0010 at least
    expect(applied).toEqual([{ n: journal.entries.length }]);
  });

  it("today's service answers the old ledger and stock exactly as the old release did", async () => {
    const depot = (old.input as { depotId: string }).depotId;
    expect((await gqlAt(currentBase, "county.officer", LEDGER, { d: depot })).data).toEqual(old.ledger);
    expect((await gqlAt(currentBase, "county.officer", STOCK, { d: depot })).data).toEqual(old.stock);
  });

  it("a retry of the old receipt with its idempotency key returns the old answer and writes nothing", async () => {
    const replay = await gqlAt(currentBase, "county.keeper", RECEIPT, { input: old.input });
    expect(replay.errors).toBeUndefined();
    expect(replay.data).toEqual(old.receipt);
  });

  it("after the upgrade every row of the books is still there, column for column", async () => {
    current!.child.kill("SIGTERM");
    expect(await current!.exited).toEqual({ code: 0, signal: null });
    const after = await snapshot(place);
    for (const table of BOOKS) {
      // columns added since are new facts; the columns the old release wrote must read back unchanged
      const projected = after[table]!.map((row) =>
        Object.fromEntries(Object.keys(before[table]![0] ?? row).map((k) => [k, row[k]])),
      );
      expect({ table, rows: projected }).toEqual({ table, rows: before[table] });
    }
    expect(before.movements!.length).toBeGreaterThan(50);
    expect(before.idempotency_keys!.length).toBeGreaterThan(0);
  });
});
