import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN,
  type AdminWorld,
  adminWorld,
  auditRows,
  countRows,
  mutate,
  OTHER_ADMIN,
  topLevelCode,
} from "./support/admin.js";
import { startTestService, type TestService } from "./support/service.js";
import { demoIds, type DemoIds, RECEIVE } from "./support/world.js";

const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
let w: AdminWorld;
let ids: DemoIds;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  w = await adminWorld(svc);
  ids = await demoIds(svc);
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
const createItem = (input: Record<string, unknown>, as = ADMIN) =>
  mutate<{ item: ItemView | null }>(svc, "createItem", "CreateItemInput", ITEM, input, as);

const water = (extra: Record<string, unknown> = {}) => ({
  code: "DRINKING_WATER_5L",
  nameZh: "桶装饮用水（5升）",
  category: "DRINKING_WATER",
  classificationCode: "1020101",
  unitCode: "bottle",
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

const itemsByCode = async () => {
  const res = await svc.gql<{ items: { nodes: { code: string; category: string; nameEn: string }[] } }>(
    "{ items(first: 100) { nodes { code category nameEn } } }",
    {},
    "chengguan.keeper",
  );
  return new Map(res.data!.items.nodes.map((i) => [i.code, i]));
};

const receive = (itemId: string) =>
  svc.gql<{ receiveStock: { userErrors: { code: string; field: string[] }[]; lots: { id: string }[] } }>(
    RECEIVE,
    {
      input: {
        depotId: ids.depot("TD-CHENGGUAN"),
        itemId,
        quantity: "10",
        lotCode: `C-${Math.random()}`,
        receivedOn: "2026-11-20",
        source: "DONATION",
        reason: "捐赠",
      },
    },
    "chengguan.keeper",
  );

describe("adding to the catalogue", () => {
  it("adds a unit and an item of the new living-support categories, seen by everyone at once", async () => {
    const unit = await mutate<{ unit: { code: string; scale: number } }>(
      svc,
      "createUnit",
      "CreateUnitInput",
      "unit { code nameZh nameEn scale }",
      { code: "bottle", nameZh: "桶", scale: 0 },
    );
    expect(unit.userErrors).toEqual([]);
    expect(unit.unit).toEqual({ code: "bottle", nameZh: "桶", nameEn: "", scale: 0 });
    await itemsByCode(); // the keeper's process holds the catalogue in memory now
    const res = await createItem(water());
    expect(res.userErrors).toEqual([]);
    expect(res.item).toMatchObject({
      code: "DRINKING_WATER_5L",
      category: "DRINKING_WATER",
      classificationCode: "1020101",
      retiredAt: null,
    });
    expect((await itemsByCode()).get("DRINKING_WATER_5L")).toMatchObject({ category: "DRINKING_WATER" });
    for (const category of ["FOOD", "CLOTHING_BEDDING"]) {
      const other = await createItem(water({ code: `X_${category}`, category, classificationCode: null }));
      expect(other.userErrors, category).toEqual([]);
    }
    // the demo county's catalogue was created by its import: this test's unit and items are the last rows
    const log = [
      ...(await auditRows(svc, "createUnit")).slice(-1),
      ...(await auditRows(svc, "createItem")).slice(-3),
    ];
    expect(log.map((r) => [r.target_type, (r.after as { code: string }).code])).toEqual([
      ["Unit", "bottle"],
      ["Item", "DRINKING_WATER_5L"],
      ["Item", "X_FOOD"],
      ["Item", "X_CLOTHING_BEDDING"],
    ]);
  });

  it("refuses duplicate codes, a malformed classification, an unknown unit and misplaced test runs, writing nothing", async () => {
    const before = await snapshot();
    expect((await createItem(water({ code: "WOVEN_BAG" }))).userErrors[0]).toMatchObject({
      code: "DUPLICATE",
      field: ["input", "code"],
    });
    for (const code of ["4020101", "102010", "10201011"]) {
      expect(
        (await createItem(water({ code: "W2", classificationCode: code }))).userErrors[0],
        code,
      ).toMatchObject({
        code: "INVALID_INPUT",
        field: ["input", "classificationCode"],
      });
    }
    expect((await createItem(water({ code: "W3", unitCode: "barrel" }))).userErrors[0]).toMatchObject({
      code: "NOT_FOUND",
      field: ["input", "unitCode"],
    });
    expect((await createItem(water({ code: "W4", testRunIntervalDays: 30 }))).userErrors[0]?.field).toEqual([
      "input",
      "testRunIntervalDays",
    ]);
    expect((await createItem(water({ code: "W5", nameZh: "" }))).userErrors[0]?.field).toEqual([
      "input",
      "nameZh",
    ]);
    const dupUnit = await mutate(svc, "createUnit", "CreateUnitInput", "unit { code }", {
      code: "piece",
      nameZh: "件",
      scale: 0,
    });
    expect(dupUnit.userErrors[0]?.code).toBe("DUPLICATE");
    const badScale = await mutate(svc, "createUnit", "CreateUnitInput", "unit { code }", {
      code: "gram",
      nameZh: "克",
      scale: 4,
    });
    expect(badScale.userErrors[0]?.field).toEqual(["input", "scale"]);
    // an administrator of another county cannot record a change under this one
    expect(
      (await createItem(water({ code: "W6", countyId: w.county }), OTHER_ADMIN)).userErrors[0]?.code,
    ).toBe("NOT_FOUND");
    for (const who of ["auditor", "chengguan.officer", "county.officer"]) {
      expect(await topLevelCode(svc, "createItem", "CreateItemInput", water({ code: "W7" }), who), who).toBe(
        "FORBIDDEN",
      );
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("changing and retiring items", () => {
  it("updates names, category and classification, seen at once and logged", async () => {
    const res = await mutate<{ item: ItemView & { nameEn: string } }>(
      svc,
      "updateItem",
      "UpdateItemInput",
      ITEM,
      {
        itemId: ids.item("QUILT"),
        nameEn: "Cotton quilt",
        category: "CLOTHING_BEDDING",
        classificationCode: "1030201",
      },
    );
    expect(res.userErrors).toEqual([]);
    expect(res.item).toMatchObject({
      nameEn: "Cotton quilt",
      category: "CLOTHING_BEDDING",
      classificationCode: "1030201",
    });
    expect((await itemsByCode()).get("QUILT")).toMatchObject({
      category: "CLOTHING_BEDDING",
      nameEn: "Cotton quilt",
    });
    const [log] = await auditRows(svc, "updateItem");
    expect(log).toMatchObject({
      target_type: "Item",
      before: expect.objectContaining({ classificationCode: null }),
      after: expect.objectContaining({ classificationCode: "1030201" }),
    });
  });

  it("retires an item: no more receipts, while its stock and history stay", async () => {
    const itemId = (await createItem(water({ code: "RETIRE_ME", classificationCode: null }))).item!.id;
    const received = await receive(itemId);
    expect(received.data!.receiveStock.userErrors).toEqual([]);
    const lotId = received.data!.receiveStock.lots[0]!.id;
    const res = await mutate<{ item: ItemView }>(svc, "retireItem", "RetireItemInput", ITEM, {
      itemId,
      reason: "改用5升以上规格",
    });
    expect(res.userErrors).toEqual([]);
    expect(res.item).toMatchObject({ retiredAt: NOW.toISOString(), retiredReason: "改用5升以上规格" });
    const movements = await countRows(svc, "movements");
    const refused = await receive(itemId);
    expect(refused.data!.receiveStock.userErrors).toEqual([
      expect.objectContaining({ code: "ITEM_RETIRED", field: ["input", "itemId"] }),
    ]);
    expect(await countRows(svc, "movements")).toBe(movements);
    const lot = await svc.gql<{ node: { onHand: string } }>(
      "query($id: ID!) { node(id: $id) { ... on Lot { onHand } } }",
      { id: lotId },
      "auditor",
    );
    expect(lot.data!.node.onHand).toBe("10");
    const again = await mutate(svc, "retireItem", "RetireItemInput", ITEM, { itemId, reason: "again" });
    expect(again.userErrors[0]?.code).toBe("INVALID_TRANSITION");
  });
});
