import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/client.js";
import { LOCK_FILE } from "../src/shared/dataDirLock.js";
import { demoCounty } from "../seeds/demo-county.js";
import { DEMO_PASSWORD } from "../seeds/demo.js";
import { ledgerBreaches } from "./support/ledgerInvariant.js";
import { spawnService, waitFor } from "./support/process.js";

// The embedded engine only: DATA_DIR and its lock mean nothing with DATABASE_URL, so this runs on PGlite on both.

/** What a data folder holds, read once no service runs on it. */
async function booksOf(dataDir: string) {
  const database = await openDatabase({ dataDir: path.join(dataDir, "pglite") });
  try {
    const pg = database.pglite!;
    const seeded = await pg.query<{ n: number }>(
      "select count(*)::int as n from idempotency_keys where key like 'import:STOCK:receipt:%'",
    );
    const lots = await pg.query<{ depot: string; lot: string }>(
      "select distinct d.code as depot, l.lot_code as lot from lots l join depots d on d.id = l.depot_id",
    );
    const depots = await pg.query<{ code: string }>("select code from depots");
    const regions = await pg.query<{ n: number }>("select count(*)::int as n from regions");
    return {
      receipts: seeded.rows[0]!.n,
      lots: new Set(lots.rows.map((r) => `${r.depot}/${r.lot}`)),
      depots: new Set(depots.rows.map((r) => r.code)),
      regions: regions.rows[0]!.n,
      breaches: await ledgerBreaches(database),
    };
  } finally {
    await database.close();
  }
}

const dev = (dataDir: string) => ({ NODE_ENV: "development", SEED_DEMO: "true", DATA_DIR: dataDir });

describe("first start and the data folder", () => {
  it("a kill during the first demo load leaves nothing, the next start loads it all; one process per folder", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "rl-first-"));
    const first = spawnService(dev(dataDir));
    const base = await first.base();
    // listening, still loading: a load balancer must not send work here yet
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    // deep into the workbook: its structure is written and the opening stock half way
    await waitForLine(first.stdout, /"sheet":"库存","done":100,/);
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");

    // the import is one transaction: the killed start committed nothing, so the next one sees an empty database
    const cut = await booksOf(dataDir);
    expect(cut).toEqual({ receipts: 0, lots: new Set(), depots: new Set(), regions: 0, breaches: [] });
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(true);

    // the stale lock of the killed process does not block the restart, which loads the whole county
    const second = spawnService(dev(dataDir));
    await waitFor(await second.base(), "/readyz");

    const third = spawnService(dev(dataDir));
    const refused = await third.exited;
    expect(refused.code).not.toBe(0);
    expect(third.stderr().trim().split("\n")).toEqual([
      `reserve-ledger: DataDirInUse: the data folder ${dataDir} is in use by process ${second.child.pid}`,
    ]);
    // the refused process took nothing from the running one
    expect((await fetch(`${await second.base()}/readyz`)).status).toBe(200);
    // the demo people sign in to the console with the password the README publishes
    expect(await signIn(await second.base(), "chengguan.keeper", DEMO_PASSWORD)).toEqual({
      session: { user: { username: "chengguan.keeper" }, mustChangePassword: false },
      userErrors: [],
    });
    expect(await signIn(await second.base(), "county.officer", "not-the-demo-password")).toEqual({
      session: null,
      userErrors: [{ code: "INVALID_CREDENTIALS" }],
    });

    second.child.kill("SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);

    const books = await booksOf(dataDir);
    expect(books.receipts).toBe(demoCounty.receipts.length);
    expect(books.lots).toEqual(new Set(demoCounty.receipts.map((r) => `${r.depotCode}/${r.lotCode}`)));
    expect(books.depots).toEqual(new Set(demoCounty.depots.map((d) => d.code)));
    expect(books.regions).toBe(
      1 + demoCounty.county.townships.reduce((n, t) => n + 1 + t.villages.length, 0),
    );
    expect(books.breaches).toEqual([]);
  }, 300_000);
});

async function signIn(base: string, username: string, password: string) {
  const res = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: `mutation($i: SignInInput!) { signIn(input: $i) {
        session { user { username } mustChangePassword } userErrors { code } } }`,
      variables: { i: { username, password } },
    }),
  });
  return ((await res.json()) as { data: { signIn: unknown } }).data.signIn;
}

async function waitForLine(stdout: () => string, line: RegExp): Promise<void> {
  for (let i = 0; i < 2400 && !line.test(stdout()); i++) await new Promise((r) => setTimeout(r, 50));
}
