import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STOCK_SHEET_HEADERS } from "../src/domain/import/sheets.js";
import { exportStock } from "../src/http/exportStock.js";
import {
  aCounty,
  aDepot,
  aVillage,
  type Depot,
  type Item,
  type ProvisionedCounty,
  type Township,
} from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import { aLotOf, aNorm } from "./support/stockFactories.js";
import { receiveLot } from "./support/world.js";

// 10:00 in Shanghai on 2026-11-24
const NOW = new Date("2026-11-24T02:00:00Z");
// 03:00 in Beijing on 2026-11-24 is still 2026-11-23 in UTC: the day a spreadsheet shows must be the 24th
const AT_THREE_IN_BEIJING = "2026-11-23T19:00:00Z";
const LOT_CODE = "007-0042";
const FORMULA = '=HYPERLINK("http://example.invalid","点我")';

let svc: TestService;
/**
 * A county of its own, written once and only read by the tests: 城关 (its depot, and a village point kept by the
 * same keeper), a second township and a county warehouse. At 城关's depot: 100 bags received at 03:00 Beijing
 * time under LOT_CODE with a formula for a reason, 18 serialised pumps never test-run, one lot of disinfectant
 * expired and one expiring in 16 days; six lots of cement at the village point; 50 bags at the other township, 40 at the warehouse.
 */
let county: ProvisionedCounty;
let town: Township & { depot: Depot };
let other: Township & { depot: Depot };
let depot: Depot;
let point: Depot;
let warehouse: Depot;
let KEEPER: string;
let bags: Item;
let pumps: Item;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  county = await aCounty(svc, {
    townships: 2,
    countyDepots: ["COUNTY_WAREHOUSE"],
    items: [
      {},
      { trackingMode: "SERIAL", testRunIntervalDays: 90 },
      { category: "MEDICAL", shelfLifeDays: 365 },
      { unitCode: "tonne" },
    ],
  });
  [town, other] = county.townships as [Township & { depot: Depot }, Township & { depot: Depot }];
  [warehouse] = county.depots as [Depot];
  depot = town.depot;
  KEEPER = depot.keeper;
  point = await aDepot(await aVillage(town), { keeper: KEEPER });
  const [, , disinfectant, cement] = county.items as [Item, Item, Item, Item];
  [bags, pumps] = county.items as [Item, Item];
  await receiveLot(svc, KEEPER, {
    depotId: depot.id,
    itemId: bags.id,
    quantity: "100",
    lotCode: LOT_CODE,
    receivedOn: "2026-11-24",
    occurredAt: AT_THREE_IN_BEIJING,
    reason: FORMULA,
  });
  await aLotOf(depot, pumps, "18", { serialNumbers: PUMPS });
  await aLotOf(depot, disinfectant, "20", { expiresOn: "2026-11-01", acceptExpired: true });
  await aLotOf(depot, disinfectant, "30", { expiresOn: "2026-12-10" });
  for (const [i, quantity] of ["1.5", "2", "2.25", "3", "4", "5.125"].entries())
    await aLotOf(point, cement, quantity, { receivedOn: `2026-0${i + 1}-15` });
  await aLotOf(other.depot, bags, "50");
  await aLotOf(warehouse, bags, "40");
  await aNorm(county, bags, town.id, "200");
});
afterAll(() => svc.stop());

const PUMPS = Array.from({ length: 18 }, (_, i) => `BZ-${String(i + 1).padStart(3, "0")}`);

const base = () => svc.url.replace(/\/graphql$/, "");

async function download(path: string, params: Record<string, string>, as: string) {
  const res = await fetch(`${base()}${path}?${new URLSearchParams(params)}`, {
    headers: { authorization: `Bearer ${await svc.token(as)}` },
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Opens a downloaded workbook the way a spreadsheet program would, and gives its only sheet. */
async function sheetOf(path: string, params: Record<string, string>, as = county.auditor) {
  const d = await download(path, params, as);
  expect(d.status).toBe(200);
  expect(d.headers.get("content-type")).toBe(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  );
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(d.bytes as unknown as ArrayBuffer);
  expect(workbook.worksheets).toHaveLength(1);
  const sheet = workbook.worksheets[0]!;
  const header = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
  const rows: ExcelJS.Row[] = [];
  sheet.eachRow((row, n) => n > 1 && rows.push(row));
  const cell = (row: ExcelJS.Row, name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`no column ${name} in ${header.join(",")}`);
    return row.getCell(i + 1);
  };
  return { name: sheet.name, header, rows, cell };
}

const todaysLedger = (extra: Record<string, string> = {}) =>
  sheetOf("/export/ledger.xlsx", { depotId: depot.id, from: "2026-11-24", ...extra });

describe("台账 as XLSX", () => {
  it("a receipt at 03:00 Beijing time is a date cell of that day; lot codes are text; words are Chinese", async () => {
    const s = await todaysLedger();
    expect(s.name).toBe("台账");
    expect(s.header.slice(0, 4)).toEqual(["流水号", "发生时间", "记录时间", "储备点编码"]);
    const ours = s.rows.filter((r) => s.cell(r, "批次号").value === LOT_CODE);
    expect(ours).toHaveLength(1);
    const row = ours[0]!;
    const occurred = s.cell(row, "发生时间");
    expect(occurred.type).toBe(ExcelJS.ValueType.Date);
    // Excel has no zones: the cell holds the wall clock in Beijing
    expect((occurred.value as Date).toISOString()).toBe("2026-11-24T03:00:00.000Z");
    expect(occurred.numFmt).toBe("yyyy-mm-dd hh:mm:ss");
    const lot = s.cell(row, "批次号");
    expect(lot.type).toBe(ExcelJS.ValueType.String);
    expect(lot.numFmt).toBe("@");
    const quantity = s.cell(row, "数量");
    expect([quantity.type, quantity.value, quantity.numFmt]).toEqual([ExcelJS.ValueType.Number, 100, "0"]);
    expect(
      ["类型", "来源/用途/报损原因", "单位", "经办人", "经办人账号"].map((c) => s.cell(row, c).value),
    ).toEqual(["入库", "采购", "件", `测试${KEEPER}`, KEEPER]);
  });

  it("text that would run as a formula is a defused string, never a formula cell", async () => {
    const s = await todaysLedger();
    const reason = s.cell(
      s.rows.find((r) => s.cell(r, "批次号").value === LOT_CODE)!,
      "原因",
    );
    expect(reason.type).toBe(ExcelJS.ValueType.String);
    expect(reason.value).toBe(`'${FORMULA}`);
    expect(reason.formula).toBeUndefined();
  });

  it("the CSV twin writes the same instant as ISO with +08:00", async () => {
    const d = await download("/export/ledger.csv", { depotId: depot.id, from: "2026-11-24" }, county.auditor);
    const line = new TextDecoder()
      .decode(d.bytes)
      .split("\r\n")
      .find((l) => l.includes(LOT_CODE))!;
    expect(line.split(",")[1]).toBe("2026-11-24T03:00:00.000+08:00");
  });

  it("lang=en gives the English words and names, the headers stay those the importer reads", async () => {
    const s = await todaysLedger({ lang: "en" });
    const row = s.rows.find((r) => s.cell(r, "批次号").value === LOT_CODE)!;
    const [unit] = await query<{ name_en: string }>(
      svc.database,
      sql`select name_en from units where code = 'piece'`,
    );
    const item = await svc.gql<{ node: { nameEn: string } }>(
      `query($id: ID!) { node(id: $id) { ... on Item { nameEn } } }`,
      { id: bags.id },
      county.auditor,
    );
    expect(["类型", "来源/用途/报损原因", "单位", "物资名称"].map((c) => s.cell(row, c).value)).toEqual([
      "Receipt",
      "Purchase",
      unit!.name_en,
      item.data!.node.nameEn,
    ]);
    expect(s.cell(row, "经办人").value).toBe(`测试${KEEPER}`);
  });

  it("a region's ledger holds every depot of its subtree the viewer may read, and only those", async () => {
    const township = await sheetOf("/export/ledger.xlsx", { regionId: town.id });
    const codes = new Set(township.rows.map((r) => String(township.cell(r, "储备点编码").value)));
    // the township's depot and its village point; not the other township's, nor the county warehouse
    expect(codes).toEqual(new Set([depot.code, point.code]));
    // another township's office reads none of this township's books, as GraphQL's movements would answer
    const outsider = await sheetOf("/export/ledger.xlsx", { regionId: town.id }, other.officer);
    expect(outsider.rows).toHaveLength(0);
  });
});

describe("库存 (stock on hand)", () => {
  it("starts with the importer's eight columns; dates are date cells, codes text, serial numbers joined by 、", async () => {
    const s = await sheetOf("/export/stock.xlsx", { depotId: depot.id });
    expect(s.name).toBe("库存");
    expect(s.header.slice(0, 8)).toEqual(Object.values(STOCK_SHEET_HEADERS));
    const units = s.rows.filter((r) => s.cell(r, "物资编码").value === pumps.code);
    expect(units).toHaveLength(1);
    expect(s.cell(units[0]!, "数量").value).toBe(18);
    expect(String(s.cell(units[0]!, "序列号").value).split("、")).toEqual(PUMPS);
    const ours = s.rows.find((r) => s.cell(r, "批次号").value === LOT_CODE)!;
    const received = s.cell(ours, "入库日期");
    expect([received.type, (received.value as Date).toISOString(), received.numFmt]).toEqual([
      ExcelJS.ValueType.Date,
      "2026-11-24T00:00:00.000Z",
      "yyyy-mm-dd",
    ]);
    expect(s.cell(ours, "状况").value).toBe("完好");
    const code = s.cell(ours, "区划代码");
    expect([code.type, code.numFmt, code.value]).toEqual([ExcelJS.ValueType.String, "@", town.divisionCode]);
  });

  it("every balance of the export equals the depot's stock as GraphQL answers it", async () => {
    const s = await sheetOf("/export/stock.xlsx", { depotId: depot.id });
    const exported = new Map<string, number>();
    for (const r of s.rows) {
      const item = String(s.cell(r, "物资编码").value);
      exported.set(item, (exported.get(item) ?? 0) + Number(s.cell(r, "数量").value));
    }
    const api = await svc.gql<{ node: { stock: { item: { code: string }; onHand: string }[] } }>(
      `query($id: ID!) { node(id: $id) { ... on Depot { stock { item { code } onHand } } } }`,
      { id: depot.id },
      county.auditor,
    );
    const expected = new Map(
      api.data!.node.stock.filter((l) => Number(l.onHand) > 0).map((l) => [l.item.code, Number(l.onHand)]),
    );
    expect(expected.size).toBe(3); // bags, pumps and disinfectant
    expect(exported).toEqual(expected);
  });

  it("a keeper exporting the whole county gets only the depots they keep", async () => {
    const s = await sheetOf("/export/stock.xlsx", { regionId: county.id }, KEEPER);
    const exported = new Set(s.rows.map((r) => String(s.cell(r, "储备点编码").value)));
    const api = await svc.gql<{ depots: { nodes: { code: string }[] } }>(
      "{ depots(first: 100) { nodes { code } } }",
      {},
      KEEPER,
    );
    expect(new Set(api.data!.depots.nodes.map((d) => d.code))).toEqual(new Set([depot.code, point.code]));
    expect(exported).toEqual(new Set([depot.code, point.code]));
    // the county's auditor gets the other township's depot too
    const all = await sheetOf("/export/stock.xlsx", { regionId: county.id });
    expect(new Set(all.rows.map((r) => String(all.cell(r, "储备点编码").value)))).toEqual(
      new Set([depot.code, point.code, other.depot.code, warehouse.code]),
    );
  });

  it("the CSV twin has the same eight headers, a BOM and Chinese conditions", async () => {
    const d = await download("/export/stock.csv", { depotId: depot.id }, county.auditor);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(d.bytes);
    expect(text.startsWith("\uFEFF")).toBe(true);
    const [header, ...lines] = text.slice(1).trim().split("\r\n");
    expect(header!.split(",").slice(0, 8)).toEqual(Object.values(STOCK_SHEET_HEADERS));
    expect(lines.find((l) => l.includes(LOT_CODE))).toMatch(
      new RegExp(`^${depot.code},${bags.code},100,${LOT_CODE},2026-11-24,[^,]*,,完好,`),
    );
  });
});

describe("覆盖率 and 战备状况", () => {
  it("coverage: division codes are text, the ratio a percentage cell, level and status in Chinese", async () => {
    const s = await sheetOf("/export/coverage.xlsx", { regionId: town.id }, county.officer);
    expect(s.name).toBe("覆盖率");
    // 100 of the 200 bags the township's norm asks for
    const row = s.rows.find(
      (r) => s.cell(r, "层级").value === "乡镇" && s.cell(r, "物资编码").value === bags.code,
    )!;
    const code = s.cell(row, "区划代码");
    expect([code.type, code.numFmt, code.value]).toEqual([ExcelJS.ValueType.String, "@", town.divisionCode]);
    const ratio = s.cell(row, "保障率");
    expect([ratio.type, ratio.numFmt, ratio.value]).toEqual([ExcelJS.ValueType.Number, "0.00%", 0.5]);
    expect(s.cell(row, "状态").value).toBe("不足");
  });

  it("readiness lists one row per finding, as many as GraphQL's readiness counts", async () => {
    const s = await sheetOf("/export/readiness.xlsx", { regionId: county.id }, county.officer);
    expect(s.name).toBe("战备状况");
    const api = await svc.gql<{
      readiness: {
        nodes: {
          expired: { lots: number }[];
          expiringWithin30Days: { lots: number }[];
          unitsTestOverdue: number;
          overdueLoans: number;
          staleDepots: number;
        }[];
      };
    }>(
      `query($r: ID!) { readiness(regionId: $r, first: 1) { nodes { expired { lots } expiringWithin30Days { lots }
         unitsTestOverdue overdueLoans staleDepots } } }`,
      { r: county.id },
      county.officer,
    );
    const f = api.data!.readiness.nodes[0]!;
    const lots = (q: { lots: number }[]) => q.reduce((n, x) => n + x.lots, 0);
    const count = (word: string) => s.rows.filter((r) => s.cell(r, "问题").value === word).length;
    const exported = {
      已过期: count("已过期"),
      即将过期: count("即将过期"),
      试机逾期: count("试机逾期"),
      借用逾期: count("借用逾期"),
      久未盘点: count("久未盘点"),
    };
    expect(exported).toEqual({
      已过期: lots(f.expired),
      即将过期: lots(f.expiringWithin30Days),
      试机逾期: f.unitsTestOverdue,
      借用逾期: f.overdueLoans,
      久未盘点: f.staleDepots,
    });
    // one expired lot, one expiring, 18 pumps never test-run, no loans, and none of the four depots counted
    expect(exported).toEqual({ 已过期: 1, 即将过期: 1, 试机逾期: 18, 借用逾期: 0, 久未盘点: 4 });
    const expired = s.rows.find((r) => s.cell(r, "问题").value === "已过期")!;
    expect(s.cell(expired, "相关日期").type).toBe(ExcelJS.ValueType.Date);
  });

  it("readiness is for offices and auditors: a keeper is refused as GraphQL refuses, an outsider gets nothing", async () => {
    const keeper = await download("/export/readiness.xlsx", { regionId: town.id }, KEEPER);
    expect(keeper.status).toBe(403);
    const api = await svc.gql(
      `query($r: ID!) { readiness(regionId: $r) { nodes { depots } } }`,
      { r: town.id },
      KEEPER,
    );
    expect(api.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const outsider = await sheetOf("/export/readiness.xlsx", { regionId: town.id }, other.officer);
    const asked = await svc.gql<{ readiness: { nodes: unknown[] } }>(
      `query($r: ID!) { readiness(regionId: $r) { nodes { depots } } }`,
      { r: town.id },
      other.officer,
    );
    expect(asked.data!.readiness.nodes).toEqual([]);
    expect(outsider.rows).toEqual([]);
    expect(outsider.header[0]).toBe("问题");
    // the township's own office does get its findings
    const own = await sheetOf("/export/readiness.xlsx", { regionId: town.id }, town.officer);
    expect(own.rows.length).toBeGreaterThanOrEqual(20);
  });

  it("a bad lang is 400 before any work", async () => {
    const d = await download("/export/stock.xlsx", { depotId: depot.id, lang: "fr" }, county.auditor);
    expect(d.status).toBe(400);
  });
});

describe("库存 read in small batches", () => {
  let server: Server;
  let smallBatches: string;
  beforeAll(async () => {
    // the same handler with batches of 3, so the keyset over (depot, item, lot, dates, condition) is walked often
    server = createServer((req, res) => {
      const env = { deps: svc.deps, tokens: svc.tokens, logger: svc.deps.logger };
      void exportStock(req, res, new URL(req.url ?? "/", "http://localhost"), env, 3);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    smallBatches = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("exports byte for byte the same file as one batch, lots without expiry and serial units included", async () => {
    const params = new URLSearchParams({ regionId: town.id });
    const headers = { authorization: `Bearer ${await svc.token(county.auditor)}` };
    const whole = Buffer.from(
      await (await fetch(`${base()}/export/stock.csv?${params}`, { headers })).arrayBuffer(),
    );
    const res = await fetch(`${smallBatches}/export/stock.csv?${params}`, { headers });
    expect(res.status).toBe(200);
    const batched = Buffer.from(await res.arrayBuffer());
    const [, ...lines] = whole.toString("utf8").trim().split("\r\n");
    // the bags, the pumps in one row, two lots of disinfectant, six of cement: four batches of three
    expect(lines).toHaveLength(10);
    // both kinds of row the keyset must step over: no expiry, and several serial numbers in one row
    expect(lines.some((l) => l.split(",")[5] === "")).toBe(true);
    expect(lines.some((l) => l.includes("、"))).toBe(true);
    expect(batched.equals(whole)).toBe(true);
  });
});
