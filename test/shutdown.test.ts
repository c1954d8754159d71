import { mkdtempSync } from "node:fs";
import { readFile } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { signLocalToken } from "../src/auth/tokens.js";
import { openDatabase } from "../src/db/client.js";
import { adminUrl, databaseUrl, engine } from "./support/engine.js";
import { spawnService, waitFor } from "./support/process.js";
import { TEST_SECRET } from "./support/service.js";
import { RECEIVE } from "./support/world.js";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

/** The demo county's books as a production deployment would hold them (production never seeds: copy them in). */
async function productionData(): Promise<Record<string, string>> {
  const template = inject("template");
  if (engine === "pglite") {
    const dataDir = mkdtempSync(path.join(tmpdir(), "rl-stop-"));
    const database = await openDatabase({
      dataDir: path.join(dataDir, "pglite"),
      loadDataDir: new Blob([await readFile(template)]),
    });
    await database.close();
    return { DATA_DIR: dataDir };
  }
  const name = `rl_stop_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name}`);
  await admin.unsafe(`create database ${name} template ${template}`);
  cleanups.push(async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  return { DATABASE_URL: databaseUrl(name), DATA_DIR: mkdtempSync(path.join(tmpdir(), "rl-stop-")) };
}

const secret = new TextEncoder().encode(TEST_SECRET);

async function gql<T>(base: string, as: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${await signLocalToken(secret, as)}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: T; errors?: unknown[] } };
}

type Receipt = { receiveStock: { lots: unknown[]; userErrors: unknown[] } };

const receipt = (depotId: string, itemId: string, tag: string, units: number) => ({
  input: {
    idempotencyKey: `stop-${tag}`,
    depotId,
    itemId,
    quantity: String(units),
    lotCode: `STOP-${tag}`,
    receivedOn: "2026-11-20",
    serialNumbers: Array.from({ length: units }, (_, i) => `STOP-${tag}-${i}`),
    source: "PURCHASE",
    reason: "shutdown test",
  },
});

/** Reads a response slowly: pauses after the first chunk until `resume` settles, then reads it to the end. */
function slowGet(url: string, token: string, resume: Promise<unknown>) {
  return new Promise<{ status: number; body: string; complete: boolean }>((resolve, reject) => {
    http
      .get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.once("data", () => {
          res.pause();
          void resume.then(() => res.resume());
        });
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            complete: res.complete,
          }),
        );
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

describe("SIGTERM in production lets what is in flight finish", () => {
  it("slow receipts and a large ledger export all complete, and the process exits 0", async () => {
    const svc = spawnService({
      NODE_ENV: "production",
      JWT_SECRET: TEST_SECRET,
      ...(await productionData()),
    });
    const base = await svc.base();
    await waitFor(base, "/readyz");
    const ids = await gql<{
      depots: { nodes: { id: string; code: string }[] };
      items: { nodes: { id: string; code: string }[] };
    }>(
      base,
      "auditor",
      "{ depots(first: 100) { nodes { id code } } items(first: 100) { nodes { id code } } }",
    );
    const depot = (code: string) => ids.body.data!.depots.nodes.find((d) => d.code === code)!.id;
    const pump = ids.body.data!.items.nodes.find((i) => i.code === "WATER_PUMP")!.id;
    const village = ids.body.data!.depots.nodes.find((d) => d.code.startsWith("VP-CHENGGUAN-"))!.id;

    // a ledger worth streaming: one RECEIPT line per serialised unit
    const grown = await gql<Receipt>(
      base,
      "chengguan.keeper",
      RECEIVE,
      receipt(depot("TD-CHENGGUAN"), pump, "big", 1200),
    );
    expect(grown.body.errors).toBeUndefined();
    const exportUrl = `${base}/export/ledger.csv?depotId=${encodeURIComponent(depot("TD-CHENGGUAN"))}`;
    const auditor = await signLocalToken(secret, "auditor");
    // bytes as sent, with the BOM (Response.text() would drop it)
    const sent = await fetch(exportUrl, { headers: { authorization: `Bearer ${auditor}` } });
    const before = Buffer.from(await sent.arrayBuffer()).toString("utf8");
    expect(before.split("\n").length).toBeGreaterThan(1200);

    let signalled!: () => void;
    const afterSignal = new Promise<void>((r) => (signalled = r));
    const exported = slowGet(
      exportUrl,
      auditor,
      afterSignal.then(() => new Promise((r) => setTimeout(r, 1500))),
    );
    const writes = ["a", "b", "c"].map((tag) =>
      gql<Receipt>(base, "chengguan.keeper", RECEIVE, receipt(village, pump, tag, 400)),
    );
    // sent and being worked on (the embedded engine takes them one at a time) when the signal comes
    await new Promise((r) => setTimeout(r, 1000));
    svc.child.kill("SIGTERM");
    signalled();

    for (const w of await Promise.all(writes)) {
      expect(w.status).toBe(200);
      expect(w.body.errors).toBeUndefined();
      expect(w.body.data!.receiveStock.userErrors).toEqual([]);
      expect(w.body.data!.receiveStock.lots).toHaveLength(400);
    }
    const csv = await exported;
    expect(csv).toMatchObject({ status: 200, complete: true });
    expect(csv.body).toBe(before);
    expect(await svc.exited).toEqual({ code: 0, signal: null });
    expect(svc.stdout()).toMatch(/"msg":"stopped"/);
    // stopped means stopped: nothing answers on the port any more
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  }, 300_000);
});
