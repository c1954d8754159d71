import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coldCaches } from "./support/caches.js";
import { exportLedger } from "../src/http/exportLedger.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import { type ChangeView, demoIds, type DemoIds, ISSUE, receiveLot } from "./support/world.js";

// 10:00 in Shanghai on 2026-11-24: lines written by these tests occur then
const NOW = new Date("2026-11-24T02:00:00Z");
const KEEPER = "chengguan.keeper";
const HEADER = [
  "流水号",
  "发生时间",
  "记录时间",
  "储备点编码",
  "储备点名称",
  "物资编码",
  "物资名称",
  "批次号",
  "序列号",
  "类型",
  "来源/用途/报损原因",
  "数量",
  "单位",
  "经办人",
  "经办人账号",
  "原因",
  "凭证/去向",
  "冲销流水号",
  "动用指令号",
];
const col = (name: string) => HEADER.indexOf(name);

let svc: TestService;
let ids: DemoIds;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  ids = await demoIds(svc);
});
afterAll(() => svc.stop());

interface Download {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  /** The body decoded without dropping a byte order mark, which `Response.text()` would silently do. */
  text: string;
}

async function download(base: string, params: Record<string, string>, as: string | null): Promise<Download> {
  const headers: Record<string, string> = {};
  if (as) headers.authorization = `Bearer ${await svc.token(as)}`;
  const res = await fetch(`${base}/export/ledger.csv?${new URLSearchParams(params)}`, { headers });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return {
    status: res.status,
    headers: res.headers,
    bytes,
    text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes),
  };
}

const serviceBase = () => svc.url.replace(/\/graphql$/, "");
const exportCsv = (params: Record<string, string>, as: string | null = "auditor") =>
  download(serviceBase(), params, as);

/** RFC 4180, strictly: records end with CRLF, and a bare CR or LF is only allowed inside quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field === "") {
      const end = closingQuote(text, i);
      field = text.slice(i + 1, end).replace(/""/g, '"');
      i = end + 1;
      if (i < text.length && text[i] !== "," && text[i] !== "\r") throw new Error(`junk after quote at ${i}`);
    } else if (c === ",") {
      record.push(field);
      field = "";
      i += 1;
    } else if (c === "\r" && text[i + 1] === "\n") {
      records.push([...record, field]);
      record = [];
      field = "";
      i += 2;
    } else if (c === "\r" || c === "\n" || c === '"') {
      throw new Error(`unquoted ${JSON.stringify(c)} at ${i}`);
    } else {
      field += c;
      i += 1;
    }
  }
  if (record.length > 0 || field !== "") throw new Error("last record does not end with CRLF");
  return records;
}

function closingQuote(text: string, open: number): number {
  for (let j = open + 1; j < text.length; j++) {
    if (text[j] !== '"') continue;
    if (text[j + 1] === '"') j += 1;
    else return j;
  }
  throw new Error(`unterminated quote opened at ${open}`);
}

function rowsOf(d: Download): string[][] {
  expect(d.text.startsWith("\uFEFF")).toBe(true);
  const [header, ...rows] = parseCsv(d.text.slice(1));
  expect(header).toEqual(HEADER);
  return rows;
}

async function depotNumber(code: string): Promise<number> {
  const [row] = await query<{ id: number }>(
    svc.database,
    sql`select id::int as id from depots where code = ${code}`,
  );
  return row!.id;
}

async function ledgerIds(code: string, from?: string, to?: string): Promise<number[]> {
  const depotId = await depotNumber(code);
  const rows = await query<{ id: number }>(
    svc.database,
    sql`select id::int as id from movements where depot_id = ${depotId}
          and (${from ?? null}::timestamptz is null or occurred_at >= ${from ?? null}::timestamptz)
          and (${to ?? null}::timestamptz is null or occurred_at <= ${to ?? null}::timestamptz)
        order by id`,
  );
  return rows.map((r) => r.id);
}

describe("exporting a depot's ledger", () => {
  it("an auditor downloads every line of TD-CHENGGUAN in recording order, readable by Excel", async () => {
    const d = await exportCsv({ depotId: ids.depot("TD-CHENGGUAN") });
    expect(d.status).toBe(200);
    expect(d.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(d.headers.get("content-disposition")).toBe('attachment; filename="ledger-TD-CHENGGUAN.csv"');
    expect([...d.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = rowsOf(d);
    const expected = await ledgerIds("TD-CHENGGUAN");
    expect(expected.length).toBeGreaterThan(10);
    expect(rows.map((r) => Number(r[col("流水号")]))).toEqual(expected);
    expect(new Set(rows.map((r) => r[col("储备点编码")]))).toEqual(new Set(["TD-CHENGGUAN"]));
    expect(rows.every((r) => r.length === HEADER.length)).toBe(true);
  });

  it("shows Beijing times, Chinese words, canonical quantities and the recorder's name beside the username", async () => {
    const rows = rowsOf(await exportCsv({ depotId: ids.depot("TD-CHENGGUAN") }));
    const byLot = (lotCode: string) => rows.filter((r) => r[col("批次号")] === lotCode);
    expect(byLot("2025-WB-001")).toEqual([
      [
        expect.any(String),
        "2025-03-15T00:00:00.000+08:00",
        expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/),
        "TD-CHENGGUAN",
        "城关镇应急物资储备库",
        "WOVEN_BAG",
        "编织袋",
        "2025-WB-001",
        "",
        "入库",
        "期初库存",
        "15000",
        "件",
        "孙立华",
        "county.admin",
        "期初库存（台账导入）",
        "",
        "",
        "",
      ],
    ]);
    // numeric(18, 3) comes back as "12.500" from the database
    expect(byLot("2026-CM-002").map((r) => [r[col("数量")], r[col("单位")]])).toEqual([["12.5", "吨"]]);
    const trucks = byLot("2025-TRK-001");
    expect(trucks).toHaveLength(18);
    expect(trucks[0]![col("序列号")]).toBe("豫Q·C2301");
  });

  it("costs the same number of statements for a long ledger as for a short one", async () => {
    const statementsFor = async (code: string) => {
      coldCaches(svc.database);
      const before = svc.database.statements();
      const rows = rowsOf(await exportCsv({ depotId: ids.depot(code) }));
      return { statements: svc.database.statements() - before, rows: rows.length };
    };
    const [pointCode] = (
      await query<{ code: string }>(
        svc.database,
        sql`select code from depots where code like 'VP-%' and exists (
              select 1 from movements m where m.county_id = depots.county_id and m.depot_id = depots.id)
            order by id limit 1`,
      )
    ).map((r) => r.code);
    const short = await statementsFor(pointCode!);
    const long = await statementsFor("TD-CHENGGUAN");
    expect(long.rows).toBeGreaterThan(short.rows * 3);
    expect(long.statements).toBe(short.statements);
  });
});

describe("who may export what", () => {
  it("a keeper exporting a depot they do not keep gets the same 404 as for a depot that does not exist", async () => {
    const [{ county_id: countyId }] = (await query<{ county_id: number }>(
      svc.database,
      sql`select county_id::int as county_id from depots limit 1`,
    )) as [{ county_id: number }];
    const missing = Buffer.from(`Depot:${countyId}:999999999`).toString("base64url");
    const outOfScope = await exportCsv({ depotId: ids.depot("CW-01") }, KEEPER);
    const absent = await exportCsv({ depotId: missing }, KEEPER);
    expect(outOfScope.status).toBe(404);
    expect(absent.status).toBe(404);
    expect(outOfScope.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(outOfScope.text).toBe(absent.text);
    expect(JSON.parse(outOfScope.text)).toEqual({ error: expect.any(String) });
    // the keeper's own depot, and CW-01 for someone who may read it, do export
    expect((await exportCsv({ depotId: ids.depot("TD-CHENGGUAN") }, KEEPER)).status).toBe(200);
    expect((await exportCsv({ depotId: ids.depot("CW-01") }, "county.officer")).status).toBe(200);
  });

  it.each([
    ["no token", null],
    ["a token for nobody", "no.such.user"],
  ])("%s is 401 with a JSON error and no ledger", async (_name, as) => {
    const d = await exportCsv({ depotId: ids.depot("TD-CHENGGUAN") }, as);
    expect(d.status).toBe(401);
    expect(d.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(JSON.parse(d.text)).toEqual({ error: expect.any(String) });
  });

  it("a forged token is 401 too", async () => {
    const res = await fetch(`${serviceBase()}/export/ledger.csv?depotId=${ids.depot("TD-CHENGGUAN")}`, {
      headers: { authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhdWRpdG9yIn0.c2lnbmF0dXJl" },
    });
    expect(res.status).toBe(401);
  });
});

describe("malformed requests", () => {
  const depot = () => ids.depot("TD-CHENGGUAN");
  it.each<[string, () => Record<string, string>]>([
    ["no depotId", () => ({})],
    ["a depotId that is not a global ID", () => ({ depotId: "TD-CHENGGUAN" })],
    ["the global ID of an item", () => ({ depotId: ids.item("WOVEN_BAG") })],
    ["a from that is no date", () => ({ depotId: depot(), from: "yesterday" })],
    ["a date that does not exist", () => ({ depotId: depot(), from: "2026-02-30" })],
    ["a date-time without an offset", () => ({ depotId: depot(), to: "2026-10-12T09:00:00" })],
    [
      "a range that ends before it starts",
      () => ({ depotId: depot(), from: "2026-10-12", to: "2026-10-11" }),
    ],
  ])("%s is 400 with a JSON error", async (_name, params) => {
    const d = await exportCsv(params());
    expect(d.status).toBe(400);
    expect(JSON.parse(d.text)).toEqual({ error: expect.any(String) });
  });
});

describe("a date range", () => {
  const exportedIds = async (from: string, to?: string) => {
    const params: Record<string, string> = { depotId: ids.depot("TD-CHENGGUAN"), from };
    if (to) params.to = to;
    const d = await exportCsv(params);
    expect(d.status).toBe(200);
    return rowsOf(d).map((r) => Number(r[col("流水号")]));
  };

  it("bare dates are whole days in Shanghai, both ends included", async () => {
    // the demo workbook's 2026 opening stock is dated 2026-05-20, 2026-09-05 and 2026-10-12, at midnight Shanghai
    const inRange = await ledgerIds(
      "TD-CHENGGUAN",
      "2026-01-01T00:00:00+08:00",
      "2026-10-12T23:59:59.999+08:00",
    );
    const all = await ledgerIds("TD-CHENGGUAN");
    expect(inRange.length).toBeGreaterThan(0);
    expect(inRange.length).toBeLessThan(all.length);
    expect(await exportedIds("2026-01-01", "2026-10-12")).toEqual(inRange);
  });

  it("date-times are instants, and a line exactly at the bound is included", async () => {
    const atMidnight = await ledgerIds("TD-CHENGGUAN", "2026-10-11T16:00:00Z");
    expect(atMidnight.length).toBeGreaterThan(0);
    expect(await exportedIds("2026-10-12T00:00:00+08:00")).toEqual(atMidnight);
    const after = await ledgerIds("TD-CHENGGUAN", "2026-10-11T16:00:00.001Z");
    expect(after.length).toBeLessThan(atMidnight.length);
    expect(await exportedIds("2026-10-11T16:00:00.001Z")).toEqual(after);
  });
});

describe("what people typed survives the spreadsheet", () => {
  it("a reason with a comma, quotes and a leading = round-trips, defused by an apostrophe", async () => {
    const reason = '=HYPERLINK("http://example.invalid","点我"), 补充入库';
    const reference = "送货单 A-7\n第二页";
    const lot = await receiveLot(svc, KEEPER, {
      depotId: ids.depot("TD-CHENGGUAN"),
      itemId: ids.item("WOVEN_BAG"),
      quantity: "100",
      reason,
      reference,
    });
    const issued = await svc.gql<{ issueStock: ChangeView }>(
      ISSUE,
      {
        input: {
          depotId: ids.depot("TD-CHENGGUAN"),
          itemId: ids.item("WOVEN_BAG"),
          lotId: lot.id,
          quantity: "3",
          purpose: "FLOOD_FIGHTING",
          recipient: "+86 河口村抢险队",
          reason: "-堵口",
        },
      },
      KEEPER,
    );
    expect(issued.errors).toBeUndefined();
    expect(issued.data!.issueStock.userErrors).toEqual([]);

    const rows = rowsOf(await exportCsv({ depotId: ids.depot("TD-CHENGGUAN"), from: NOW.toISOString() }));
    const pick = (r: string[]) => [r[col("类型")], r[col("数量")], r[col("原因")], r[col("凭证/去向")]];
    expect(rows.map(pick)).toEqual([
      ["入库", "100", `'${reason}`, reference],
      // a deduction's minus sign is a number, not a formula
      ["出库", "-3", "'-堵口", "'+86 河口村抢险队"],
    ]);
  });
});

describe("batches", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    // the same handler with batches of 4, so the demo ledger spans many of them
    server = createServer((req, res) => {
      const env = { deps: svc.deps, tokens: svc.tokens, logger: svc.deps.logger };
      void exportLedger(req, res, new URL(req.url ?? "/", "http://localhost"), env, 4);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("a ledger read in many small batches exports byte for byte the same file", async () => {
    const params = { depotId: ids.depot("TD-CHENGGUAN") };
    const whole = await exportCsv(params);
    const batched = await download(base, params, "auditor");
    expect(batched.status).toBe(200);
    expect(rowsOf(batched).length).toBeGreaterThan(3 * 4);
    expect(Buffer.from(batched.bytes).equals(Buffer.from(whole.bytes))).toBe(true);
  });
});
