import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import { demoIds, type DemoIds, RECEIVE, SET_CONDITION, WRITE_OFF } from "./support/world.js";

const NOW = new Date("2026-11-24T02:00:00Z");

let svc: TestService;
let ids: DemoIds;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  ids = await demoIds(svc);
});
afterAll(() => svc.stop());

const receipt = (depot: string) => ({
  depotId: depot,
  itemId: ids.item("CEMENT"),
  quantity: "5",
  lotCode: "CUSTODY-1",
  receivedOn: "2026-11-24",
  source: "PURCHASE",
  reason: "到货",
});

/** The whole ledger and every lot: a refusal leaves both exactly as they were. */
async function books() {
  return query(
    svc.database,
    sql`select (select count(*)::int from movements) as lines, (select count(*)::int from lots) as lots,
               (select coalesce(sum(on_hand), 0)::text from lots) as on_hand,
               (select count(*)::int from stock_takes) as takes, (select count(*)::int from write_off_requests) as requests`,
  );
}

async function aChengguanLot(): Promise<string> {
  const res = await svc.gql<{ lots: { nodes: { id: string }[] } }>(
    "query($d: ID!) { lots(depotId: $d, first: 1) { nodes { id } } }",
    { d: ids.depot("TD-CHENGGUAN") },
    "auditor",
  );
  return res.data!.lots.nodes[0]!.id;
}

describe("a depot the actor may read but not change answers FORBIDDEN, saying why", () => {
  it("the county officer recording a receipt at a township depot it can read", async () => {
    const before = await books();
    const res = await svc.gql(RECEIVE, { input: receipt(ids.depot("TD-CHENGGUAN")) }, "county.officer");
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /may read this depot but not change its stock: the county changes stock only at county-level depots/,
        ),
        extensions: { code: "FORBIDDEN" },
      }),
    ]);
    expect(await books()).toEqual(before);
  });

  it.each([
    [
      "setLotCondition",
      SET_CONDITION,
      (lotId: string) => ({ lotId, condition: "QUARANTINED", reason: "抽检" }),
    ],
    [
      "writeOffStock",
      WRITE_OFF,
      (lotId: string) => ({ lotId, quantity: "1", cause: "DAMAGED", reason: "破损" }),
    ],
  ])("the county officer's %s on a township lot", async (_name, mutation, input) => {
    const lotId = await aChengguanLot();
    const before = await books();
    const res = await svc.gql(mutation, { input: input(lotId) }, "county.officer");
    expect(res.errors).toMatchObject([{ extensions: { code: "FORBIDDEN" } }]);
    expect(await books()).toEqual(before);
  });

  it("the county officer opening a count of a township depot", async () => {
    const before = await books();
    const res = await svc.gql(
      `mutation($input: StartStockTakeInput!) { startStockTake(input: $input) { stockTake { id } userErrors { code } } }`,
      { input: { depotId: ids.depot("VP-CHENGGUAN-201") } },
      "county.officer",
    );
    expect(res.errors).toMatchObject([{ extensions: { code: "FORBIDDEN" } }]);
    expect(await books()).toEqual(before);
  });
});

describe("a depot the actor cannot see stays NOT_FOUND, like one that does not exist", () => {
  it.each([
    ["another township's office", "hekou.officer"],
    ["another township's keeper", "hekou.keeper"],
  ])("%s recording a receipt at Chengguan", async (_name, as) => {
    const [countyId] = (
      await query<{ c: string }>(svc.database, sql`select county_id::text as c from depots limit 1`)
    ).map((r) => r.c);
    const missing = Buffer.from(`Depot:${countyId}:999999999`).toString("base64url");
    const before = await books();
    const outside = await svc.gql<{ receiveStock: { userErrors: unknown[] } }>(
      RECEIVE,
      { input: receipt(ids.depot("TD-CHENGGUAN")) },
      as,
    );
    const absent = await svc.gql<{ receiveStock: { userErrors: unknown[] } }>(
      RECEIVE,
      { input: receipt(missing) },
      as,
    );
    expect(outside.errors).toBeUndefined();
    expect(outside.data!.receiveStock.userErrors).toEqual([
      { field: ["input", "depotId"], message: "depot not found", code: "NOT_FOUND" },
    ]);
    expect(outside.data).toEqual(absent.data);
    expect(await books()).toEqual(before);
  });
});
