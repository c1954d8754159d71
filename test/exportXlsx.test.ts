import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STOCK_SHEET_HEADERS } from "../src/domain/import/sheets.js";
import { exportStock } from "../src/http/exportStock.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import { demoIds, type DemoIds, receiveLot } from "./support/world.js";

// 10:00 in Shanghai on 2026-11-24
const NOW = new Date("2026-11-24T02:00:00Z");
const KEEPER = "chengguan.keeper";
// 03:00 in Beijing on 2026-11-24 is still 2026-11-23 in UTC: the day a spreadsheet shows must be the 24th
const AT_THREE_IN_BEIJING = "2026-11-23T19:00:00Z";
const LOT_CODE = "007-0042";
const FORMULA = '=HYPERLINK("http://example.invalid","点我")';

let svc: TestService;
let ids: DemoIds;
let regionId: (nameZh: string) => string;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  ids = await demoIds(svc);
  const regions = await svc.gql<{ regions: { nodes: { id: string; nameZh: string }[] } }>(
    "{ regions(first: 100) { nodes { id nameZh } } }",
    {},
    "auditor",
  );
  const byName = new Map(regions.data!.regions.nodes.map((r) => [r.nameZh, r.id]));
  regionId = (name) => byName.get(name) ?? fail(`no region ${name}`);
  await receiveLot(svc, KEEPER, {
    depotId: ids.depot("TD-CHENGGUAN"),
    itemId: ids.item("WOVEN_BAG"),
    quantity: "100",
    lotCode: LOT_CODE,
    receivedOn: "2026-11-24",
    occurredAt: AT_THREE_IN_BEIJING,
    reason: FORMULA,
  });
});
afterAll(() => svc.stop());

function fail(message: string): never {
  throw new Error(message);
}

const base = () => svc.url.replace(/\/graphql$/, "");

async function download(path: string, params: Record<string, string>, as: string) {
  const res = await fetch(`${base()}${path}?${new URLSearchParams(params)}`, {
    headers: { authorization: `Bearer ${await svc.token(as)}` },
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Opens a downloaded workbook the way a spreadsheet program would, and gives its only sheet. */
async function sheetOf(path: string, params: Record<string, string>, as = "auditor") {
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

describe("台账 as XLSX", () => {
  it("a receipt at 03:00 Beijing time is a date cell of that day; lot codes are text; words are Chinese", async () => {
    const s = await sheetOf("/export/ledger.xlsx", {
      depotId: ids.depot("TD-CHENGGUAN"),
      from: "2026-11-24",
    });
    expect(s.name).toBe("台账");
    expect(s.header.slice(0, 4)).toEqual(["流水号", "发生时间", "记录时间", "储备点编码"]);
    const [row] = s.rows.filter((r) => s.cell(r, "批次号").value === LOT_CODE);
    expect(row).toBeDefined();
    const occurred = s.cell(row!, "发生时间");
    expect(occurred.type).toBe(ExcelJS.ValueType.Date);
    // Excel has no zones: the cell holds the wall clock in Beijing
    expect((occurred.value as Date).toISOString()).toBe("2026-11-24T03:00:00.000Z");
    expect(occurred.numFmt).toBe("yyyy-mm-dd hh:mm:ss");
    const lot = s.cell(row!, "批次号");
    expect(lot.type).toBe(ExcelJS.ValueType.String);
    expect(lot.numFmt).toBe("@");
    const quantity = s.cell(row!, "数量");
    expect([quantity.type, quantity.value, quantity.numFmt]).toEqual([ExcelJS.ValueType.Number, 100, "0"]);
    expect(
      ["类型", "来源/用途/报损原因", "单位", "经办人", "经办人账号"].map((c) => s.cell(row!, c).value),
    ).toEqual(["入库", "采购", "件", "刘国栋", KEEPER]);
  });

  it("text that would run as a formula is a defused string, never a formula cell", async () => {
    const s = await sheetOf("/export/ledger.xlsx", {
      depotId: ids.depot("TD-CHENGGUAN"),
      from: "2026-11-24",
    });
    const reason = s.cell(
      s.rows.find((r) => s.cell(r, "批次号").value === LOT_CODE)!,
      "原因",
    );
    expect(reason.type).toBe(ExcelJS.ValueType.String);
    expect(reason.value).toBe(`'${FORMULA}`);
    expect(reason.formula).toBeUndefined();
  });

  it("the CSV twin writes the same instant as ISO with +08:00", async () => {
    const d = await download(
      "/export/ledger.csv",
      { depotId: ids.depot("TD-CHENGGUAN"), from: "2026-11-24" },
      "auditor",
    );
    const line = new TextDecoder()
      .decode(d.bytes)
      .split("\r\n")
      .find((l) => l.includes(LOT_CODE))!;
    expect(line.split(",")[1]).toBe("2026-11-24T03:00:00.000+08:00");
  });

  it("lang=en gives the English words and names, the headers stay those the importer reads", async () => {
    const s = await sheetOf("/export/ledger.xlsx", {
      depotId: ids.depot("TD-CHENGGUAN"),
      from: "2026-11-24",
      lang: "en",
    });
    const row = s.rows.find((r) => s.cell(r, "批次号").value === LOT_CODE)!;
    const [unit] = await query<{ name_en: string }>(
      svc.database,
      sql`select name_en from units where code = 'piece'`,
    );
    expect(["类型", "来源/用途/报损原因", "单位", "物资名称"].map((c) => s.cell(row, c).value)).toEqual([
      "Receipt",
      "Purchase",
      unit!.name_en,
      "Woven bag",
    ]);
    expect(s.cell(row, "经办人").value).toBe("刘国栋");
  });

  it("a region's ledger holds every depot of its subtree the viewer may read, and only those", async () => {
    const county = await sheetOf("/export/ledger.xlsx", { regionId: regionId("城关镇") }, "auditor");
    const codes = new Set(county.rows.map((r) => String(county.cell(r, "储备点编码").value)));
    expect(codes.has("TD-CHENGGUAN")).toBe(true);
    expect([...codes].every((c) => c === "TD-CHENGGUAN" || c.startsWith("VP-CHENGGUAN-"))).toBe(true);
    // another township's office reads none of 城关镇's books, as GraphQL's movements would answer
    const outsider = await sheetOf("/export/ledger.xlsx", { regionId: regionId("城关镇") }, "hekou.officer");
    expect(outsider.rows).toHaveLength(0);
  });
});

describe("库存 (stock on hand)", () => {
  it("starts with the importer's eight columns; dates are date cells, codes text, serial numbers joined by 、", async () => {
    const s = await sheetOf("/export/stock.xlsx", { depotId: ids.depot("TD-CHENGGUAN") });
    expect(s.name).toBe("库存");
    expect(s.header.slice(0, 8)).toEqual(Object.values(STOCK_SHEET_HEADERS));
    const trucks = s.rows.find((r) => s.cell(r, "批次号").value === "2025-TRK-001")!;
    expect(s.cell(trucks, "数量").value).toBe(18);
    const serials = String(s.cell(trucks, "序列号").value).split("、");
    expect(serials).toHaveLength(18);
    expect(serials).toContain("豫Q·C2301");
    const ours = s.rows.find((r) => s.cell(r, "批次号").value === LOT_CODE)!;
    const received = s.cell(ours, "入库日期");
    expect([received.type, (received.value as Date).toISOString(), received.numFmt]).toEqual([
      ExcelJS.ValueType.Date,
      "2026-11-24T00:00:00.000Z",
      "yyyy-mm-dd",
    ]);
    expect(s.cell(ours, "状况").value).toBe("完好");
    const code = s.cell(ours, "区划代码");
    expect([code.type, code.numFmt]).toEqual([ExcelJS.ValueType.String, "@"]);
    expect(String(code.value)).toMatch(/^\d{12}$/);
  });

  it("every balance of the export equals the depot's stock as GraphQL answers it", async () => {
    const s = await sheetOf("/export/stock.xlsx", { depotId: ids.depot("TD-CHENGGUAN") });
    const exported = new Map<string, number>();
    for (const r of s.rows) {
      const item = String(s.cell(r, "物资编码").value);
      exported.set(item, (exported.get(item) ?? 0) + Number(s.cell(r, "数量").value));
    }
    const api = await svc.gql<{ node: { stock: { item: { code: string }; onHand: string }[] } }>(
      `query($id: ID!) { node(id: $id) { ... on Depot { stock { item { code } onHand } } } }`,
      { id: ids.depot("TD-CHENGGUAN") },
      "auditor",
    );
    const expected = new Map(
      api.data!.node.stock.filter((l) => Number(l.onHand) > 0).map((l) => [l.item.code, Number(l.onHand)]),
    );
    expect(exported).toEqual(expected);
  });

  it("a keeper exporting the whole county gets only the depots they keep", async () => {
    const s = await sheetOf("/export/stock.xlsx", { regionId: regionId("清河县") }, KEEPER);
    const exported = new Set(s.rows.map((r) => String(s.cell(r, "储备点编码").value)));
    const api = await svc.gql<{ depots: { nodes: { code: string }[] } }>(
      "{ depots(first: 100) { nodes { code } } }",
      {},
      KEEPER,
    );
    const kept = new Set(api.data!.depots.nodes.map((d) => d.code));
    expect(exported.size).toBeGreaterThan(0);
    expect([...exported].every((c) => kept.has(c))).toBe(true);
    expect(exported.has("CW-01")).toBe(false);
  });

  it("the CSV twin has the same eight headers, a BOM and Chinese conditions", async () => {
    const d = await download("/export/stock.csv", { depotId: ids.depot("TD-CHENGGUAN") }, "auditor");
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(d.bytes);
    expect(text.startsWith("\uFEFF")).toBe(true);
    const [header, ...lines] = text.slice(1).trim().split("\r\n");
    expect(header!.split(",").slice(0, 8)).toEqual(Object.values(STOCK_SHEET_HEADERS));
    expect(lines.find((l) => l.includes(LOT_CODE))).toMatch(
      /^TD-CHENGGUAN,WOVEN_BAG,100,007-0042,2026-11-24,[^,]*,,完好,/,
    );
  });
});

describe("覆盖率 and 战备状况", () => {
  it("coverage: division codes are text, the ratio a percentage cell, level and status in Chinese", async () => {
    const s = await sheetOf("/export/coverage.xlsx", { regionId: regionId("城关镇") }, "county.officer");
    expect(s.name).toBe("覆盖率");
    expect(s.rows.length).toBeGreaterThan(0);
    const row = s.rows.find((r) => s.cell(r, "层级").value === "乡镇")!;
    const code = s.cell(row, "区划代码");
    expect([code.type, code.numFmt]).toEqual([ExcelJS.ValueType.String, "@"]);
    expect(String(code.value)).toMatch(/^\d{12}$/);
    const ratio = s.cell(row, "保障率");
    expect([ratio.type, ratio.numFmt]).toEqual([ExcelJS.ValueType.Number, "0.00%"]);
    expect(["达标", "不足", "严重不足", "无储备"]).toContain(s.cell(row, "状态").value);
  });

  it("readiness lists one row per finding, as many as GraphQL's readiness counts", async () => {
    const s = await sheetOf("/export/readiness.xlsx", { regionId: regionId("清河县") }, "county.officer");
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
      { r: regionId("清河县") },
      "county.officer",
    );
    const f = api.data!.readiness.nodes[0]!;
    const lots = (q: { lots: number }[]) => q.reduce((n, x) => n + x.lots, 0);
    const count = (word: string) => s.rows.filter((r) => s.cell(r, "问题").value === word).length;
    expect({
      已过期: count("已过期"),
      即将过期: count("即将过期"),
      试机逾期: count("试机逾期"),
      借用逾期: count("借用逾期"),
      久未盘点: count("久未盘点"),
    }).toEqual({
      已过期: lots(f.expired),
      即将过期: lots(f.expiringWithin30Days),
      试机逾期: f.unitsTestOverdue,
      借用逾期: f.overdueLoans,
      久未盘点: f.staleDepots,
    });
    expect(s.rows.length).toBeGreaterThan(0);
    const expired = s.rows.find((r) => s.cell(r, "问题").value === "已过期" && s.cell(r, "相关日期").value);
    if (expired) expect(s.cell(expired, "相关日期").type).toBe(ExcelJS.ValueType.Date);
  });

  it("readiness is for offices and auditors: a keeper is refused as GraphQL refuses, an outsider gets nothing", async () => {
    const keeper = await download("/export/readiness.xlsx", { regionId: regionId("城关镇") }, KEEPER);
    expect(keeper.status).toBe(403);
    const api = await svc.gql(
      `query($r: ID!) { readiness(regionId: $r) { nodes { depots } } }`,
      { r: regionId("城关镇") },
      KEEPER,
    );
    expect(api.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const outsider = await sheetOf(
      "/export/readiness.xlsx",
      { regionId: regionId("城关镇") },
      "hekou.officer",
    );
    const asked = await svc.gql<{ readiness: { nodes: unknown[] } }>(
      `query($r: ID!) { readiness(regionId: $r) { nodes { depots } } }`,
      { r: regionId("城关镇") },
      "hekou.officer",
    );
    expect(asked.data!.readiness.nodes).toEqual([]);
    expect(outsider.rows).toEqual([]);
    expect(outsider.header[0]).toBe("问题");
  });

  it("a bad lang is 400 before any work", async () => {
    const d = await download(
      "/export/stock.xlsx",
      { depotId: ids.depot("TD-CHENGGUAN"), lang: "fr" },
      "auditor",
    );
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
    const params = new URLSearchParams({ regionId: regionId("城关镇") });
    const headers = { authorization: `Bearer ${await svc.token("auditor")}` };
    const whole = Buffer.from(
      await (await fetch(`${base()}/export/stock.csv?${params}`, { headers })).arrayBuffer(),
    );
    const res = await fetch(`${smallBatches}/export/stock.csv?${params}`, { headers });
    expect(res.status).toBe(200);
    const batched = Buffer.from(await res.arrayBuffer());
    const lines = whole.toString("utf8").trim().split("\r\n");
    expect(lines.length).toBeGreaterThan(3 * 3);
    // both kinds of row the keyset must step over: no expiry, and several serial numbers in one row
    expect(lines.some((l) => l.split(",")[5] === "")).toBe(true);
    expect(lines.some((l) => l.includes("、"))).toBe(true);
    expect(batched.equals(whole)).toBe(true);
  });
});
