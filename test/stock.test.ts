import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import {
  type ChangeView,
  demoIds,
  type DemoIds,
  ISSUE,
  lotNow,
  receiveLot,
  RECEIVE,
  SET_CONDITION,
} from "./support/world.js";

// 10:00 in Shanghai on 2026-11-24: "today" for every rule that depends on the date
const NOW = new Date("2026-11-24T02:00:00Z");
const KEEPER = "chengguan.keeper";

let svc: TestService;
let ids: DemoIds;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  ids = await demoIds(svc);
});
afterAll(() => svc.stop());

const issue = async (input: Record<string, unknown>, as = KEEPER) => {
  const res = await svc.gql<{ issueStock: ChangeView }>(
    ISSUE,
    { input: { purpose: "FLOOD_FIGHTING", recipient: "河口村抢险队", reason: "levee breach", ...input } },
    as,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.issueStock;
};

const ledgerCount = async (lotId: string) => {
  const res = await svc.gql<{ movements: { nodes: unknown[] } }>(
    "query($lot: ID!) { movements(lotId: $lot, first: 100) { nodes { id } } }",
    { lot: lotId },
    "auditor",
  );
  return res.data!.movements.nodes.length;
};

describe("receiving stock", () => {
  it("creates a lot whose balance is its RECEIPT line, naming actor, times, reason and reference", async () => {
    const lot = await receiveLot(svc, KEEPER, {
      depotId: ids.depot("TD-CHENGGUAN"),
      itemId: ids.item("CEMENT"),
      quantity: "12.125",
      reference: "送货单 2026-118",
      occurredAt: "2026-11-23T08:30:00+08:00",
    });
    expect(lot).toMatchObject({ onHand: "12.125", condition: "SERVICEABLE" });
    const res = await svc.gql<{ movements: { nodes: Record<string, unknown>[] } }>(
      `query($lot: ID!) { movements(lotId: $lot, first: 10) { nodes {
        kind quantity reason reference source occurredAt recordedAt actor { username } } } }`,
      { lot: lot.id },
      "auditor",
    );
    expect(res.data!.movements.nodes).toEqual([
      {
        kind: "RECEIPT",
        quantity: "12.125",
        reason: "test receipt",
        reference: "送货单 2026-118",
        source: "PURCHASE",
        occurredAt: "2026-11-23T00:30:00.000Z",
        recordedAt: expect.any(String),
        actor: { username: KEEPER },
      },
    ]);
  });

  it("ages a lot without printed expiry by the item's shelf life", async () => {
    const lot = await receiveLot(svc, KEEPER, {
      depotId: ids.depot("TD-CHENGGUAN"),
      itemId: ids.item("CEMENT"),
      quantity: "1",
      receivedOn: "2026-11-01",
    });
    expect(lot.expiresOn).toBe("2027-01-30"); // 90 days of cement shelf life
  });

  it("takes one serial number per unit of serialised equipment, and refuses one already on the books", async () => {
    const res = await svc.gql<{ receiveStock: ChangeView }>(
      RECEIVE,
      {
        input: {
          depotId: ids.depot("TD-CHENGGUAN"),
          itemId: ids.item("GENERATOR_30KW"),
          quantity: "2",
          lotCode: "GEN-2026-11",
          receivedOn: "2026-11-20",
          serialNumbers: ["GEN30-TEST-1", "GEN30-TEST-2"],
          source: "PURCHASE",
          reason: "new generators",
        },
      },
      KEEPER,
    );
    expect(res.data!.receiveStock.lots.map((l) => [l.serialNumber, l.onHand])).toEqual([
      ["GEN30-TEST-1", "1"],
      ["GEN30-TEST-2", "1"],
    ]);
    const again = await svc.gql<{ receiveStock: ChangeView }>(
      RECEIVE,
      {
        input: {
          depotId: ids.depot("TD-CHENGGUAN"),
          itemId: ids.item("GENERATOR_30KW"),
          quantity: "1",
          lotCode: "GEN-2026-11b",
          receivedOn: "2026-11-20",
          serialNumbers: ["GEN30-TEST-2"],
          source: "PURCHASE",
          reason: "duplicate",
        },
      },
      KEEPER,
    );
    expect(again.data!.receiveStock.userErrors).toEqual([
      {
        field: ["input", "serialNumbers"],
        message: expect.stringContaining("GEN30-TEST-2"),
        code: "INVALID_INPUT",
      },
    ]);
  });
});

describe("quantities are exact, in the unit's precision", () => {
  it.each([
    ["0", "WOVEN_BAG"],
    ["-5", "WOVEN_BAG"],
    ["NaN", "WOVEN_BAG"],
    ["1.5", "WOVEN_BAG"],
    ["1.2345", "CEMENT"],
    ["1e3", "CEMENT"],
    ["99999999999", "CEMENT"],
    ["", "CEMENT"],
  ])("%s of %s is refused with the field named, and nothing is written", async (quantity, item) => {
    const before = await query(svc.database, sql`select count(*)::int as n from movements`);
    const res = await svc.gql<{ receiveStock: ChangeView }>(
      RECEIVE,
      {
        input: {
          depotId: ids.depot("TD-CHENGGUAN"),
          itemId: ids.item(item),
          quantity,
          lotCode: "BAD",
          receivedOn: "2026-11-20",
          source: "PURCHASE",
          reason: "bad quantity",
        },
      },
      KEEPER,
    );
    expect(res.data!.receiveStock).toMatchObject({
      lots: [],
      movements: [],
      userErrors: [{ field: ["input", "quantity"], code: "INVALID_QUANTITY" }],
    });
    expect(await query(svc.database, sql`select count(*)::int as n from movements`)).toEqual(before);
  });

  it("keeps tonnes to three decimals exactly", async () => {
    const lot = await receiveLot(svc, KEEPER, {
      depotId: ids.depot("TD-CHENGGUAN"),
      itemId: ids.item("CEMENT"),
      quantity: "0.3",
      expiresOn: "2027-03-01",
    });
    for (const quantity of ["0.1", "0.2"]) {
      const res = await issue({
        depotId: ids.depot("TD-CHENGGUAN"),
        itemId: ids.item("CEMENT"),
        lotId: lot.id,
        quantity,
      });
      expect(res.userErrors).toEqual([]);
    }
    expect((await lotNow(svc, lot.id)).onHand).toBe("0");
    // an emptied lot is still on the books: named, it is short of stock, not unknown
    const more = await issue({
      depotId: ids.depot("TD-CHENGGUAN"),
      itemId: ids.item("CEMENT"),
      lotId: lot.id,
      quantity: "0.1",
    });
    expect(more.userErrors).toEqual([
      { field: ["input", "quantity"], message: expect.any(String), code: "INSUFFICIENT_STOCK" },
    ]);
  });
});

describe("issuing stock", () => {
  // a village point that holds no disinfectant, so every lot of it here is the test's own
  const depot = () => ids.depot("VP-CHENGGUAN-201");
  const item = () => ids.item("DISINFECTANT_84");

  it("takes first-expiry-first-out and never touches expired, quarantined or damaged lots", async () => {
    const pre = await svc.gql<{ lots: { nodes: unknown[] } }>(
      "query($d: ID!, $i: ID!) { lots(depotId: $d, itemId: $i) { nodes { id } } }",
      { d: depot(), i: item() },
      "auditor",
    );
    expect(pre.data!.lots.nodes).toEqual([]);
    // arrived before it expired (an expired label needs acceptExpired), expired by the date since
    const expired = await receiveLot(svc, KEEPER, {
      depotId: depot(),
      itemId: item(),
      quantity: "10",
      expiresOn: "2026-11-23",
      occurredAt: "2026-11-20T10:00:00+08:00",
    });
    const today = await receiveLot(svc, KEEPER, {
      depotId: depot(),
      itemId: item(),
      quantity: "10",
      expiresOn: "2026-11-24",
    });
    const later = await receiveLot(svc, KEEPER, {
      depotId: depot(),
      itemId: item(),
      quantity: "10",
      expiresOn: "2027-06-01",
    });
    const soonButQuarantined = await receiveLot(svc, KEEPER, {
      depotId: depot(),
      itemId: item(),
      quantity: "10",
      expiresOn: "2026-12-01",
    });
    const q = await svc.gql(
      SET_CONDITION,
      { input: { lotId: soonButQuarantined.id, condition: "QUARANTINED", reason: "seal broken" } },
      KEEPER,
    );
    expect(q.errors).toBeUndefined();

    const first = await issue({ depotId: depot(), itemId: item(), quantity: "12.5" });
    expect(first.userErrors).toEqual([]);
    // the lot that expires today is still usable today, and goes first; then the later one
    expect(first.movements.map((m) => [m.lot.id, m.quantity])).toEqual([
      [today.id, "-10"],
      [later.id, "-2.5"],
    ]);
    // the lots the payload answers are the lots as anyone reads them afterwards
    expect(first.lots).toEqual([await lotNow(svc, today.id), await lotNow(svc, later.id)]);
    expect(first.lots.map((l) => l.onHand)).toEqual(["0", "7.5"]);
    expect((await lotNow(svc, expired.id)).onHand).toBe("10");
    expect((await lotNow(svc, soonButQuarantined.id)).onHand).toBe("10");

    const tooMuch = await issue({ depotId: depot(), itemId: item(), quantity: "7.501" });
    expect(tooMuch).toMatchObject({
      movements: [],
      userErrors: [{ code: "INSUFFICIENT_STOCK", field: ["input", "quantity"] }],
    });
    expect((await lotNow(svc, later.id)).onHand).toBe("7.5");
  });

  it.each([
    ["an expired lot", { expiresOn: "2026-11-23", occurredAt: "2026-11-20T10:00:00+08:00" }, null],
    ["a quarantined lot", {}, "QUARANTINED"],
    ["a damaged lot", {}, "DAMAGED"],
  ])("refuses to issue from %s by name", async (_name, extra, condition) => {
    const lot = await receiveLot(svc, KEEPER, { depotId: depot(), itemId: item(), quantity: "5", ...extra });
    if (condition) {
      await svc.gql(SET_CONDITION, { input: { lotId: lot.id, condition, reason: "inspection" } }, KEEPER);
    }
    const res = await issue({ depotId: depot(), itemId: item(), lotId: lot.id, quantity: "1" });
    expect(res.userErrors).toEqual([
      { field: ["input", "lotId"], message: expect.any(String), code: "LOT_NOT_ISSUABLE" },
    ]);
    expect((await lotNow(svc, lot.id)).onHand).toBe("5");
  });

  it("requires a recipient and a reason", async () => {
    const res = await issue({ depotId: depot(), itemId: item(), quantity: "1", recipient: "  " });
    expect(res.userErrors).toMatchObject([{ field: ["input", "recipient"], code: "INVALID_INPUT" }]);
  });

  it("leaves the reserve floor untouched", async () => {
    const lot = await receiveLot(svc, KEEPER, {
      depotId: ids.depot("VP-CHENGGUAN-202"),
      itemId: item(),
      quantity: "10",
    });
    await query(
      svc.database,
      sql`update stock_levels set reserve_floor = 4 where (depot_id, item_id) =
            (select depot_id, item_id from lots where lot_code = (select lot_code from lots where on_hand = 10
               and depot_id = (select id from depots where code = 'VP-CHENGGUAN-202')
               and item_id = (select id from items where code = 'DISINFECTANT_84') limit 1) limit 1)`,
    );
    const over = await issue({ depotId: ids.depot("VP-CHENGGUAN-202"), itemId: item(), quantity: "6.001" });
    expect(over.userErrors).toMatchObject([{ code: "RESERVE_FLOOR", field: ["input", "quantity"] }]);
    const within = await issue({ depotId: ids.depot("VP-CHENGGUAN-202"), itemId: item(), quantity: "6" });
    expect(within.userErrors).toEqual([]);
    expect((await lotNow(svc, lot.id)).onHand).toBe("4");
  });

  it("with a stale changeFromQuantity writes nothing", async () => {
    const lot = await receiveLot(svc, KEEPER, { depotId: depot(), itemId: item(), quantity: "8" });
    const stale = await issue({
      depotId: depot(),
      itemId: item(),
      lotId: lot.id,
      quantity: "1",
      changeFromQuantity: "9",
    });
    expect(stale.userErrors).toMatchObject([
      { code: "CHANGE_FROM_QUANTITY_STALE", field: ["input", "changeFromQuantity"] },
    ]);
    const fresh = await issue({
      depotId: depot(),
      itemId: item(),
      lotId: lot.id,
      quantity: "1",
      changeFromQuantity: "8",
    });
    expect(fresh.userErrors).toEqual([]);
    expect(await ledgerCount(lot.id)).toBe(2);
  });
});

describe("custody scope on commands", () => {
  it("a keeper acting on a depot outside their scope gets the same answer as for a depot that does not exist", async () => {
    const [countyId] = (
      await query<{ county_id: string }>(svc.database, sql`select county_id::text from depots limit 1`)
    ).map((r) => r.county_id);
    const missing = Buffer.from(`Depot:${countyId}:999999999`).toString("base64url");
    const input = { itemId: ids.item("WOVEN_BAG"), quantity: "1" };
    const outside = await issue({ ...input, depotId: ids.depot("CW-01") });
    const absent = await issue({ ...input, depotId: missing });
    expect(outside).toEqual(absent);
    expect(outside.userErrors).toEqual([
      { field: ["input", "depotId"], message: "depot not found", code: "NOT_FOUND" },
    ]);
  });

  it("a township officer may act at the township's village points; the county officer may not", async () => {
    const input = { depotId: ids.depot("VP-CHENGGUAN-203"), itemId: ids.item("WOVEN_BAG"), quantity: "1" };
    expect((await issue(input, "chengguan.officer")).userErrors).toEqual([]);
    // the county reads the village point but does not keep it: FORBIDDEN saying why, not "not found"
    const county = await svc.gql(
      ISSUE,
      { input: { ...input, purpose: "FLOOD_FIGHTING", recipient: "抢险队", reason: "levee" } },
      "county.officer",
    );
    expect(county.errors).toMatchObject([
      { extensions: { code: "FORBIDDEN" }, message: expect.stringContaining("county-level depots") },
    ]);
  });
});
