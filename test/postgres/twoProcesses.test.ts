import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/client.js";
import { adminUrl, databaseUrl } from "../support/engine.js";
import { aCounty, type Depot, type Item, type ProvisionedCounty } from "../support/factories.js";
import { gqlAt, withDirect } from "../support/ops.js";
import { spawnService, type ServiceProcess, waitFor } from "../support/process.js";
import { worldThrough } from "../support/processWorld.js";
import { TEST_SECRET } from "../support/service.js";

// Two service processes, as a load balancer would run them, on one PostgreSQL database.
const name = `rl_two_${process.pid}`;
const url = databaseUrl(name);
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
let a: { svc: ServiceProcess; base: string };
let b: { svc: ServiceProcess; base: string };
let database: Database;
/** A county of the test's own: a county warehouse with its keeper, and one bulk item. */
let county: ProvisionedCounty;
let warehouse: Depot;
let item: Item;

async function start(): Promise<{ svc: ServiceProcess; base: string }> {
  const svc = spawnService({ DATABASE_URL: url, JWT_SECRET: TEST_SECRET, SEED_DEMO: "false" });
  const base = await svc.base();
  await waitFor(base, "/readyz", 200);
  return { svc, base };
}

beforeAll(async () => {
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name} template ${inject("template")}`);
  [a, b] = await Promise.all([start(), start()]);
  database = await openDatabase({ databaseUrl: url, maxConnections: 2 });
  county = await aCounty(worldThrough(database, b.base), { countyDepots: ["COUNTY_WAREHOUSE"], items: [{}] });
  [warehouse] = county.depots as [Depot];
  [item] = county.items as [Item];
}, 180_000);
afterAll(async () => {
  for (const p of [a, b]) if (p && p.svc.child.exitCode === null) p.svc.child.kill("SIGTERM");
  await Promise.all([a, b].map((p) => p?.svc.exited));
  await database?.close();
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

const RECEIPT = `mutation($input: ReceiveStockInput!) { receiveStock(input: $input) {
  movements { id kind quantity lot { id } } lots { id onHand lotCode } userErrors { code } } }`;
const LOTS = `query($d: ID!, $i: ID!) { lots(depotId: $d, itemId: $i, first: 100) { nodes { id onHand lotCode } } }`;
const ledgerLines = (key: string) =>
  withDirect({ DATABASE_URL: url }, (q) =>
    q(`select count(*)::int as n from movements where reference = '${key}'`),
  );

describe("two service processes on one PostgreSQL", () => {
  it("a receipt written on one is read on the other, and its key replayed there answers the same, once", async () => {
    expect(a.svc.child.pid).not.toBe(b.svc.child.pid);
    const [depotId, itemId] = [warehouse.id, item.id];
    const input = {
      depotId,
      itemId,
      quantity: "9",
      lotCode: "TWO-1",
      receivedOn: "2026-11-30",
      source: "PURCHASE",
      reason: "两个进程",
      reference: "two-processes-1",
      idempotencyKey: "two-processes-1",
    };
    const first = await gqlAt<{ receiveStock: { lots: { id: string; onHand: string; lotCode: string }[] } }>(
      a.base,
      warehouse.keeper,
      RECEIPT,
      { input },
    );
    expect(first.data!.receiveStock).toMatchObject({
      userErrors: [],
      lots: [{ onHand: "9", lotCode: "TWO-1" }],
    });
    const seen = await gqlAt<{ lots: { nodes: { id: string }[] } }>(b.base, county.officer, LOTS, {
      d: depotId,
      i: itemId,
    });
    expect(seen.data!.lots.nodes).toEqual(first.data!.receiveStock.lots);
    const replay = await gqlAt(b.base, warehouse.keeper, RECEIPT, { input });
    expect(replay.data).toEqual(first.data);
    expect(await ledgerLines("two-processes-1")).toEqual([{ n: 1 }]);
    // and the same key with other input is refused on either process
    const other = await gqlAt<{ receiveStock: { userErrors: { code: string }[] } }>(
      b.base,
      warehouse.keeper,
      RECEIPT,
      {
        input: { ...input, quantity: "10" },
      },
    );
    expect(other.data!.receiveStock.userErrors.map((e) => e.code)).toEqual([
      "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
    ]);
    expect(await ledgerLines("two-processes-1")).toEqual([{ n: 1 }]);
  });
});
