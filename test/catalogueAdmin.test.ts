import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditMark, auditSince } from "./support/adminFactories.js";
import { countRows, mutate, topLevelCode } from "./support/admin.js";
import { aCounty, anItem, type Depot, type ProvisionedCounty, unique } from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { aLotOf } from "./support/stockFactories.js";
import { books } from "./support/transit.js";
import { RECEIVE } from "./support/world.js";

const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
/** One township with its depot and keeper, and one catalogue entry of its own; and a second county. */
let county: ProvisionedCounty;
let depot: Depot;
let other: ProvisionedCounty;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  county = await aCounty(svc, { townships: 1, items: [{}] });
  depot = county.townships[0]!.depot;
  other = await aCounty(svc);
});
afterAll(() => svc.stop());

const ITEM =
  "item { id code nameZh nameEn category classificationCode trackingMode returnable retiredAt retiredReason }";
type ItemView = {
  id: string;
  code: string;
  category: string;
  classificationCode: string | null;
  retiredAt: string | null;
};
const createItem = (input: Record<string, unknown>, as = county.admin) =>
  mutate<{ item: ItemView | null }>(svc, "createItem", "CreateItemInput", ITEM, input, as);
const createUnit = (input: Record<string, unknown>, selection = "unit { code nameZh nameEn scale }") =>
  mutate<{ unit: { code: string; scale: number } }>(
    svc,
    "createUnit",
    "CreateUnitInput",
    selection,
    input,
    county.admin,
  );

/** Drinking water in the form's words; counted in pieces unless told. */
const water = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  nameZh: "桶装饮用水（5升）",
  category: "DRINKING_WATER",
  classificationCode: "1020101",
  unitCode: "piece",
  trackingMode: "LOT",
  shelfLifeDays: 365,
  returnable: false,
  ...extra,
});

const snapshot = async () => ({
  items: await countRows(svc, "items"),
  units: await countRows(svc, "units"),
  audit: await countRows(svc, "audit_events"),
});

/** The catalogue as the township's keeper reads it. */
const itemsByCode = async () => {
  const res = await svc.gql<{ items: { nodes: { code: string; category: string; nameEn: string }[] } }>(
    "{ items(first: 100) { nodes { code category nameEn } } }",
    {},
    depot.keeper,
  );
  return new Map(res.data!.items.nodes.map((i) => [i.code, i]));
};

const receive = (itemId: string) =>
  svc.gql<{ receiveStock: { userErrors: { code: string; field: string[] }[]; lots: { id: string }[] } }>(
    RECEIVE,
    {
      input: {
        depotId: depot.id,
        itemId,
        quantity: "10",
        lotCode: `C-${unique()}`,
        receivedOn: "2026-11-20",
        source: "DONATION",
        reason: "捐赠",
      },
    },
    depot.keeper,
  );

describe("adding to the catalogue", () => {
  it("adds a unit and an item of the new living-support categories, seen by everyone at once", async () => {
    const n = unique();
    const [bottle, waterCode, food, bedding] = [`bottle${n}`, `WATER_${n}`, `FOOD_${n}`, `BEDDING_${n}`];
    await itemsByCode(); // the keeper's process holds the catalogue in memory now
    const mark = await auditMark(svc);

    const unit = await createUnit({ code: bottle, nameZh: "桶", scale: 0 });
    const res = await createItem(water(waterCode, { unitCode: bottle }));
    const others = [
      await createItem(water(food, { unitCode: bottle, category: "FOOD", classificationCode: null })),
      await createItem(
        water(bedding, { unitCode: bottle, category: "CLOTHING_BEDDING", classificationCode: null }),
      ),
    ];

    expect(unit.userErrors).toEqual([]);
    expect(unit.unit).toEqual({ code: bottle, nameZh: "桶", nameEn: "", scale: 0 });
    expect(res.userErrors).toEqual([]);
    expect(res.item).toMatchObject({
      code: waterCode,
      category: "DRINKING_WATER",
      classificationCode: "1020101",
      retiredAt: null,
    });
    expect(others.map((o) => [o.userErrors, o.item?.category])).toEqual([
      [[], "FOOD"],
      [[], "CLOTHING_BEDDING"],
    ]);
    expect((await itemsByCode()).get(waterCode)).toMatchObject({ category: "DRINKING_WATER" });
    const log = await auditSince(svc, mark);
    expect(log.map((r) => [r.action, r.target_type, (r.after as { code: string }).code])).toEqual([
      ["createUnit", "Unit", bottle],
      ["createItem", "Item", waterCode],
      ["createItem", "Item", food],
      ["createItem", "Item", bedding],
    ]);
  });

  it("refuses duplicate codes, a malformed classification, an unknown unit and misplaced test runs, writing nothing", async () => {
    const taken = county.items[0]!.code;
    const before = await snapshot();

    const duplicate = await createItem(water(taken));
    const classifications = [];
    for (const code of ["4020101", "102010", "10201011"]) {
      classifications.push(await createItem(water("W2", { classificationCode: code })));
    }
    const unknownUnit = await createItem(water("W3", { unitCode: `barrel${unique()}` }));
    const testRuns = await createItem(water("W4", { testRunIntervalDays: 30 }));
    const noName = await createItem(water("W5", { nameZh: "" }));
    const dupUnit = await createUnit({ code: "piece", nameZh: "件", scale: 0 }, "unit { code }");
    const badScale = await createUnit({ code: `gram${unique()}`, nameZh: "克", scale: 4 }, "unit { code }");
    // an administrator of another county cannot record a change under this one
    const stranger = await createItem(water("W6", { countyId: county.id }), other.admin);
    const forbidden = [];
    for (const who of [county.auditor, county.townships[0]!.officer, county.officer]) {
      forbidden.push(await topLevelCode(svc, "createItem", "CreateItemInput", water("W7"), who));
    }

    expect(duplicate.userErrors[0]).toMatchObject({ code: "DUPLICATE", field: ["input", "code"] });
    for (const res of classifications) {
      expect(res.userErrors[0]).toMatchObject({
        code: "INVALID_INPUT",
        field: ["input", "classificationCode"],
      });
    }
    expect(unknownUnit.userErrors[0]).toMatchObject({ code: "NOT_FOUND", field: ["input", "unitCode"] });
    expect(testRuns.userErrors[0]?.field).toEqual(["input", "testRunIntervalDays"]);
    expect(noName.userErrors[0]?.field).toEqual(["input", "nameZh"]);
    expect(dupUnit.userErrors[0]?.code).toBe("DUPLICATE");
    expect(badScale.userErrors[0]?.field).toEqual(["input", "scale"]);
    expect(stranger.userErrors[0]?.code).toBe("NOT_FOUND");
    expect(forbidden).toEqual(["FORBIDDEN", "FORBIDDEN", "FORBIDDEN"]);
    expect(await snapshot()).toEqual(before);
  });
});

describe("changing and retiring items", () => {
  it("updates names, category and classification, seen at once and logged", async () => {
    const quilts = await anItem(county, { category: "FLOOD_CONTROL" });
    await itemsByCode(); // the keeper's process holds the catalogue in memory now
    const mark = await auditMark(svc);

    const res = await mutate<{ item: ItemView & { nameEn: string } }>(
      svc,
      "updateItem",
      "UpdateItemInput",
      ITEM,
      {
        itemId: quilts.id,
        nameEn: "Cotton quilt",
        category: "CLOTHING_BEDDING",
        classificationCode: "1030201",
      },
      county.admin,
    );

    expect(res.userErrors).toEqual([]);
    expect(res.item).toMatchObject({
      nameEn: "Cotton quilt",
      category: "CLOTHING_BEDDING",
      classificationCode: "1030201",
    });
    expect((await itemsByCode()).get(quilts.code)).toMatchObject({
      category: "CLOTHING_BEDDING",
      nameEn: "Cotton quilt",
    });
    expect(await auditSince(svc, mark)).toEqual([
      expect.objectContaining({
        action: "updateItem",
        target_type: "Item",
        target_id: quilts.itemId,
        before: expect.objectContaining({ classificationCode: null, category: "FLOOD_CONTROL" }),
        after: expect.objectContaining({ classificationCode: "1030201", category: "CLOTHING_BEDDING" }),
      }),
    ]);
  });

  it("retires an item: no more receipts, while its stock and history stay", async () => {
    const item = await anItem(county);
    const [lot] = await aLotOf(depot, item, "10");

    const res = await mutate<{ item: ItemView }>(
      svc,
      "retireItem",
      "RetireItemInput",
      ITEM,
      { itemId: item.id, reason: "改用5升以上规格" },
      county.admin,
    );

    expect(res.userErrors).toEqual([]);
    expect(res.item).toMatchObject({ retiredAt: NOW.toISOString(), retiredReason: "改用5升以上规格" });
    const before = await books(svc);
    const refused = await receive(item.id);
    expect(refused.data!.receiveStock.userErrors).toEqual([
      expect.objectContaining({ code: "ITEM_RETIRED", field: ["input", "itemId"] }),
    ]);
    expect(await books(svc)).toEqual(before);
    const read = await svc.gql<{ node: { onHand: string } }>(
      "query($id: ID!) { node(id: $id) { ... on Lot { onHand } } }",
      { id: lot!.id },
      county.auditor,
    );
    expect(read.data!.node.onHand).toBe("10");
    const again = await mutate(
      svc,
      "retireItem",
      "RetireItemInput",
      ITEM,
      { itemId: item.id, reason: "again" },
      county.admin,
    );
    expect(again.userErrors[0]?.code).toBe("INVALID_TRANSITION");
  });
});
