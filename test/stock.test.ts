import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../src/graphql/ids.js";
import {
  aCounty,
  aDepot,
  anItem,
  aVillage,
  type Depot,
  type Item,
  type ProvisionedCounty,
  type Region,
  unique,
} from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { aLotOf, aNorm, stockAt } from "./support/stockFactories.js";
import { query, sql } from "./support/sql.js";
import { type ChangeView, ISSUE, lotNow, receiveLot, RECEIVE, SET_CONDITION } from "./support/world.js";

// 10:00 in Shanghai on 2026-11-24: "today" for every rule that depends on the date
const NOW = new Date("2026-11-24T02:00:00Z");

let svc: TestService;
/** One township with its depot and a village storage point, both kept by one keeper; and a county warehouse. */
let county: ProvisionedCounty;
let town: Depot;
let villageRegion: Region;
let village: Depot;
let warehouse: Depot;
let KEEPER: string;
/** Pieces (whole units) and tonnes (three decimals), for the checks that write nothing. */
let bags: Item;
let cement: Item;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  county = await aCounty(svc, {
    townships: 1,
    countyDepots: ["COUNTY_WAREHOUSE"],
    items: [{}, { unitCode: "tonne", shelfLifeDays: 90 }],
  });
  town = county.townships[0]!.depot;
  KEEPER = town.keeper;
  villageRegion = await aVillage(county.townships[0]!);
  village = await aDepot(villageRegion, { keeper: KEEPER });
  [warehouse] = county.depots as [Depot];
  [bags, cement] = county.items as [Item, Item];
});
afterAll(() => svc.stop());

/** Disinfectant is counted in tonnes here, so a lot can be issued in part (12.5, 7.501). */
const disinfectant = () => anItem(county, { unitCode: "tonne", shelfLifeDays: 730 });

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
    county.auditor,
  );
  return res.data!.movements.nodes.length;
};

describe("receiving stock", () => {
  it("creates a lot whose balance is its RECEIPT line, naming actor, times, reason and reference", async () => {
    const lot = await receiveLot(svc, KEEPER, {
      depotId: town.id,
      itemId: cement.id,
      quantity: "12.125",
      reference: "送货单 2026-118",
      occurredAt: "2026-11-23T08:30:00+08:00",
    });
    expect(lot).toMatchObject({ onHand: "12.125", condition: "SERVICEABLE" });
    const res = await svc.gql<{ movements: { nodes: Record<string, unknown>[] } }>(
      `query($lot: ID!) { movements(lotId: $lot, first: 10) { nodes {
        kind quantity reason reference source occurredAt recordedAt actor { username } } } }`,
      { lot: lot.id },
      county.auditor,
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
      depotId: town.id,
      itemId: cement.id,
      quantity: "1",
      receivedOn: "2026-11-01",
    });
    expect(lot.expiresOn).toBe("2027-01-30"); // 90 days of shelf life
  });

  it("takes one serial number per unit of serialised equipment, and refuses one already on the books", async () => {
    const generator = await anItem(county, { trackingMode: "SERIAL", returnable: true });
    const [one, two] = [`GEN30-${unique()}`, `GEN30-${unique()}`];
    const res = await svc.gql<{ receiveStock: ChangeView }>(
      RECEIVE,
      {
        input: {
          depotId: town.id,
          itemId: generator.id,
          quantity: "2",
          lotCode: "GEN-2026-11",
          receivedOn: "2026-11-20",
          serialNumbers: [one, two],
          source: "PURCHASE",
          reason: "new generators",
        },
      },
      KEEPER,
    );
    expect(res.data!.receiveStock.lots.map((l) => [l.serialNumber, l.onHand])).toEqual([
      [one, "1"],
      [two, "1"],
    ]);
    const again = await svc.gql<{ receiveStock: ChangeView }>(
      RECEIVE,
      {
        input: {
          depotId: town.id,
          itemId: generator.id,
          quantity: "1",
          lotCode: "GEN-2026-11b",
          receivedOn: "2026-11-20",
          serialNumbers: [two],
          source: "PURCHASE",
          reason: "duplicate",
        },
      },
      KEEPER,
    );
    expect(again.data!.receiveStock.userErrors).toEqual([
      {
        field: ["input", "serialNumbers"],
        message: expect.stringContaining(two),
        code: "INVALID_INPUT",
      },
    ]);
  });
});

describe("quantities are exact, in the unit's precision", () => {
  it.each([
    ["0", "pieces"],
    ["-5", "pieces"],
    ["NaN", "pieces"],
    ["1.5", "pieces"],
    ["1.2345", "tonnes"],
    ["1e3", "tonnes"],
    ["99999999999", "tonnes"],
    ["", "tonnes"],
  ])("%s %s is refused with the field named, and nothing is written", async (quantity, unit) => {
    const before = await query(svc.database, sql`select count(*)::int as n from movements`);
    const res = await svc.gql<{ receiveStock: ChangeView }>(
      RECEIVE,
      {
        input: {
          depotId: town.id,
          itemId: (unit === "pieces" ? bags : cement).id,
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
      depotId: town.id,
      itemId: cement.id,
      quantity: "0.3",
      expiresOn: "2027-03-01",
    });
    for (const quantity of ["0.1", "0.2"]) {
      const res = await issue({
        depotId: town.id,
        itemId: cement.id,
        lotId: lot.id,
        quantity,
      });
      expect(res.userErrors).toEqual([]);
    }
    expect((await lotNow(svc, lot.id, county.auditor)).onHand).toBe("0");
    // an emptied lot is still on the books: named, it is short of stock, not unknown
    const more = await issue({
      depotId: town.id,
      itemId: cement.id,
      lotId: lot.id,
      quantity: "0.1",
    });
    expect(more.userErrors).toEqual([
      { field: ["input", "quantity"], message: expect.any(String), code: "INSUFFICIENT_STOCK" },
    ]);
  });
});

describe("issuing stock", () => {
  // a new item at the village point for each test, so every lot of it there is the test's own
  const depot = () => village.id;

  it("takes first-expiry-first-out and never touches expired, quarantined or damaged lots", async () => {
    const item = (await disinfectant()).id;
    // arrived before it expired (an expired label needs acceptExpired), expired by the date since
    const expired = await receiveLot(svc, KEEPER, {
      depotId: depot(),
      itemId: item,
      quantity: "10",
      expiresOn: "2026-11-23",
      occurredAt: "2026-11-20T10:00:00+08:00",
    });
    const today = await receiveLot(svc, KEEPER, {
      depotId: depot(),
      itemId: item,
      quantity: "10",
      expiresOn: "2026-11-24",
    });
    const later = await receiveLot(svc, KEEPER, {
      depotId: depot(),
      itemId: item,
      quantity: "10",
      expiresOn: "2027-06-01",
    });
    const soonButQuarantined = await receiveLot(svc, KEEPER, {
      depotId: depot(),
      itemId: item,
      quantity: "10",
      expiresOn: "2026-12-01",
    });
    const q = await svc.gql(
      SET_CONDITION,
      { input: { lotId: soonButQuarantined.id, condition: "QUARANTINED", reason: "seal broken" } },
      KEEPER,
    );
    expect(q.errors).toBeUndefined();

    const first = await issue({ depotId: depot(), itemId: item, quantity: "12.5" });
    expect(first.userErrors).toEqual([]);
    // the lot that expires today is still usable today, and goes first; then the later one
    expect(first.movements.map((m) => [m.lot.id, m.quantity])).toEqual([
      [today.id, "-10"],
      [later.id, "-2.5"],
    ]);
    // the lots the payload answers are the lots as anyone reads them afterwards
    expect(first.lots).toEqual([
      await lotNow(svc, today.id, county.auditor),
      await lotNow(svc, later.id, county.auditor),
    ]);
    expect(first.lots.map((l) => l.onHand)).toEqual(["0", "7.5"]);
    expect((await lotNow(svc, expired.id, county.auditor)).onHand).toBe("10");
    expect((await lotNow(svc, soonButQuarantined.id, county.auditor)).onHand).toBe("10");

    const tooMuch = await issue({ depotId: depot(), itemId: item, quantity: "7.501" });
    expect(tooMuch).toMatchObject({
      movements: [],
      userErrors: [{ code: "INSUFFICIENT_STOCK", field: ["input", "quantity"] }],
    });
    expect((await lotNow(svc, later.id, county.auditor)).onHand).toBe("7.5");
  });

  it.each([
    ["an expired lot", { expiresOn: "2026-11-23", occurredAt: "2026-11-20T10:00:00+08:00" }, null],
    ["a quarantined lot", {}, "QUARANTINED"],
    ["a damaged lot", {}, "DAMAGED"],
  ])("refuses to issue from %s by name", async (_name, extra, condition) => {
    const item = (await disinfectant()).id;
    const lot = await receiveLot(svc, KEEPER, { depotId: depot(), itemId: item, quantity: "5", ...extra });
    if (condition) {
      const set = await svc.gql<{ setLotCondition: { userErrors: unknown[] } }>(
        SET_CONDITION,
        { input: { lotId: lot.id, condition, reason: "inspection" } },
        KEEPER,
      );
      expect(set.data!.setLotCondition.userErrors).toEqual([]);
    }
    const res = await issue({ depotId: depot(), itemId: item, lotId: lot.id, quantity: "1" });
    expect(res.userErrors).toEqual([
      { field: ["input", "lotId"], message: expect.any(String), code: "LOT_NOT_ISSUABLE" },
    ]);
    expect((await lotNow(svc, lot.id, county.auditor)).onHand).toBe("5");
  });

  it("requires a recipient and a reason", async () => {
    const item = await disinfectant();
    const [lot] = await aLotOf(village, item, "5", { expiresOn: "2027-06-01" });
    const res = await issue({ depotId: depot(), itemId: item.id, quantity: "1", recipient: "  " });
    const noReason = await issue({ depotId: depot(), itemId: item.id, quantity: "1", reason: "" });
    expect(res.userErrors).toMatchObject([{ field: ["input", "recipient"], code: "INVALID_INPUT" }]);
    expect(noReason.userErrors).toMatchObject([{ field: ["input", "reason"], code: "INVALID_INPUT" }]);
    expect(await ledgerCount(lot!.id)).toBe(1);
  });

  it("leaves the reserve floor untouched", async () => {
    const item = await disinfectant();
    const lot = await receiveLot(svc, KEEPER, { depotId: depot(), itemId: item.id, quantity: "10" });
    // the village's norm keeps 4 at its storage point
    await aNorm(county, item, villageRegion.id, "10", "4");

    const over = await issue({ depotId: depot(), itemId: item.id, quantity: "6.001" });
    const within = await issue({ depotId: depot(), itemId: item.id, quantity: "6" });

    expect(over.userErrors).toMatchObject([{ code: "RESERVE_FLOOR", field: ["input", "quantity"] }]);
    expect(within.userErrors).toEqual([]);
    expect((await lotNow(svc, lot.id, county.auditor)).onHand).toBe("4");
  });

  it("with a stale changeFromQuantity writes nothing", async () => {
    const item = (await disinfectant()).id;
    const lot = await receiveLot(svc, KEEPER, { depotId: depot(), itemId: item, quantity: "8" });
    const stale = await issue({
      depotId: depot(),
      itemId: item,
      lotId: lot.id,
      quantity: "1",
      changeFromQuantity: "9",
    });
    expect(stale.userErrors).toMatchObject([
      { code: "CHANGE_FROM_QUANTITY_STALE", field: ["input", "changeFromQuantity"] },
    ]);
    expect(await ledgerCount(lot.id)).toBe(1);
    const fresh = await issue({
      depotId: depot(),
      itemId: item,
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
    const item = await anItem(county);
    await aLotOf(warehouse, item, "10");
    const missing = toGlobalId("Depot", { countyId: county.countyId, id: 999999999 });
    const input = { itemId: item.id, quantity: "1" };
    const outside = await issue({ ...input, depotId: warehouse.id });
    const absent = await issue({ ...input, depotId: missing });
    expect(outside).toEqual(absent);
    expect(outside.userErrors).toEqual([
      { field: ["input", "depotId"], message: "depot not found", code: "NOT_FOUND" },
    ]);
    expect(await stockAt(warehouse, item)).toMatchObject({ onHand: "10" });
  });

  it("a township officer may act at the township's village points; the county officer may not", async () => {
    const item = await anItem(county);
    await aLotOf(village, item, "10");
    const input = { depotId: village.id, itemId: item.id, quantity: "1" };
    expect((await issue(input, county.townships[0]!.officer)).userErrors).toEqual([]);
    // the county reads the village point but does not keep it: FORBIDDEN saying why, not "not found"
    const byCounty = await svc.gql(
      ISSUE,
      { input: { ...input, purpose: "FLOOD_FIGHTING", recipient: "抢险队", reason: "levee" } },
      county.officer,
    );
    expect(byCounty.errors).toMatchObject([
      { extensions: { code: "FORBIDDEN" }, message: expect.stringContaining("county-level depots") },
    ]);
    expect(await stockAt(village, item)).toMatchObject({ onHand: "9" });
  });
});
