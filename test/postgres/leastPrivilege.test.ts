import { readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminUrl, databaseUrl } from "../support/engine.js";
import { gqlAt, run } from "../support/ops.js";
import { spawnService, type ServiceProcess, waitFor } from "../support/process.js";
import { TEST_SECRET } from "../support/service.js";

// A deployment where a release job migrates as the schema's owner and the service connects as a role of its own.
const root = path.resolve(import.meta.dirname, "../..");
const name = `rl_least_${process.pid}`;
const role = `rl_service_${process.pid}`;
const ownerUrl = databaseUrl(name);
const serviceUrl = (() => {
  const u = new URL(ownerUrl);
  u.username = role;
  return u.toString();
})();
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
const asService = postgres(serviceUrl, { max: 1, onnotice: () => {} });
const services: ServiceProcess[] = [];

const migrate = (...args: string[]) =>
  run(process.execPath, ["--import", "tsx", "src/cli/migrate.ts", ...args], {
    cwd: root,
    env: { DATABASE_URL: ownerUrl },
  });
const service = () => {
  const s = spawnService({ DATABASE_URL: serviceUrl, MIGRATE_ON_START: "false", JWT_SECRET: TEST_SECRET });
  services.push(s);
  return s;
};

beforeAll(async () => {
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`drop role if exists ${role}`);
  await admin.unsafe(`create database ${name}`);
  await admin.unsafe(`create role ${role} login`);
});
afterAll(async () => {
  for (const s of services)
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill("SIGTERM");
  await Promise.all(services.map((s) => s.exited));
  await asService.end();
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`drop role if exists ${role}`);
  await admin.end();
});

const sqlState = (statement: string) =>
  asService.unsafe(statement).then(
    () => "allowed",
    (e: { code?: string }) => e.code,
  );

describe("the service's role is not the schema's owner", () => {
  it("before the release job ran, the service refuses to start, in one line that says what to run", async () => {
    const s = service();
    expect((await s.exited).code).toBe(1);
    const lines = s.stderr().trim().split("\n");
    expect(lines).toHaveLength(1);
    const journal = JSON.parse(
      readFileSync(path.join(root, "src/db/migrations/meta/_journal.json"), "utf8"),
    ) as { entries: unknown[] };
    expect(lines[0]).toContain(
      `lacks ${journal.entries.length} migration(s), 0000_initial first: run \`npm run migrate\``,
    );
  });

  it("npm run migrate applies the migrations alone, grants the role, and exits 0", async () => {
    const job = migrate("--service-role", role);
    expect(await job.exited).toEqual({ code: 0, signal: null });
    expect(job.output()).toContain("applied 0000_initial");
    const again = migrate("--service-role", role);
    expect(await again.exited).toEqual({ code: 0, signal: null });
    expect(again.output()).toContain("already up to date");
  });

  it("a service connected as the role seeds, reads and writes over HTTP without migrating", async () => {
    const s = service();
    const base = await s.base();
    await waitFor(base, "/readyz", 200); // the demo county, written through the use cases as the role
    const ids = await gqlAt<{
      depots: { nodes: { id: string; code: string }[] };
      items: { nodes: { id: string; trackingMode: string }[] };
    }>(
      base,
      "county.officer",
      "{ depots(first: 100) { nodes { id code } } items(first: 100) { nodes { id trackingMode } } }",
    );
    const depotId = ids.data!.depots.nodes.find((d) => d.code === "CW-01")!.id;
    const itemId = ids.data!.items.nodes.find((i) => i.trackingMode === "BULK")!.id;
    const received = await gqlAt<{ receiveStock: { userErrors: unknown[]; lots: { onHand: string }[] } }>(
      base,
      "county.keeper",
      `mutation($i: ReceiveStockInput!) { receiveStock(input: $i) { lots { onHand } userErrors { code } } }`,
      {
        i: {
          depotId,
          itemId,
          quantity: "5",
          lotCode: "LP-1",
          receivedOn: "2026-11-30",
          source: "PURCHASE",
          reason: "采购入库",
        },
      },
    );
    expect(received.data!.receiveStock).toEqual({ userErrors: [], lots: [{ onHand: "5" }] });
    const issued = await gqlAt<{ issueStock: { userErrors: unknown[]; movements: { quantity: string }[] } }>(
      base,
      "county.keeper",
      `mutation($i: IssueStockInput!) { issueStock(input: $i) { movements { quantity } userErrors { code } } }`,
      {
        i: {
          depotId,
          itemId,
          quantity: "1",
          purpose: "DRILL",
          recipient: "演练队",
          reason: "防汛演练",
          releaseOrderNo: "RO-1",
        },
      },
    );
    expect(issued.data!.issueStock.userErrors).toEqual([]);
    expect(issued.data!.issueStock.movements.map((m) => m.quantity)).toEqual(["-1"]);
    s.child.kill("SIGTERM");
    expect((await s.exited).code).toBe(0);
    expect(s.stdout()).not.toMatch(/error/i);
  });

  it("as the role, the database refuses to rewrite the ledger or switch its guard off", async () => {
    expect(await sqlState("update movements set reason = 'rewritten'")).toBe("42501");
    expect(await sqlState("delete from movements")).toBe("42501");
    expect(await sqlState("update audit_events set action = 'x'")).toBe("42501");
    expect(await sqlState("truncate movements")).toBe("42501");
    expect(await sqlState("truncate lots")).toBe("42501");
    expect(await sqlState("alter table movements disable trigger movements_append_only")).toBe("42501");
    expect(await sqlState("alter table lots add column x int")).toBe("42501");
    expect(await sqlState("set session_replication_role = replica")).toBe("42501");
    expect(await sqlState("create table intruder (a int)")).toBe("42501");
    // and what it needs it has: the ledger is readable, balances it may change
    expect(await sqlState("select count(*) from movements")).toBe("allowed");
    expect(await sqlState("update stock_levels set updated_at = updated_at where false")).toBe("allowed");
  });
});
