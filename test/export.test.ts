import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coldCaches } from "./support/caches.js";
import { exportLedger } from "../src/http/exportLedger.js";
import { toGlobalId } from "../src/graphql/ids.js";
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
import { aLotOf } from "./support/stockFactories.js";
import { type ChangeView, ISSUE, receiveLot } from "./support/world.js";

// 10:00 in Shanghai on 2026-11-24: lines written by these tests occur then
const NOW = new Date("2026-11-24T02:00:00Z");
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
  "应急响应编号",
  "动用指令号",
];
const col = (name: string) => HEADER.indexOf(name);

let svc: TestService;
/** A township with a county warehouse; the ledger below is written once and only read by the tests. */
let county: ProvisionedCounty;
let township: Township & { depot: Depot };
let warehouse: Depot;
let bags: Item;
let cement: Item;
let trucks: Item;
/** A depot whose ledger spans 2025 to today: 23 lines, 18 of them serialised trucks, see `aLongLedger`. */
let ledger: Depot;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  county = await aCounty(svc, {
    townships: 1,
    countyDepots: ["COUNTY_WAREHOUSE"],
    items: [{}, { unitCode: "tonne" }, { trackingMode: "SERIAL", returnable: true }],
  });
  [township] = county.townships as [Township & { depot: Depot }];
  [warehouse] = county.depots as [Depot];
  [bags, cement, trucks] = county.items as [Item, Item, Item];
  ledger = await aDepot(township);
  await aLongLedger(ledger);
});
afterAll(() => svc.stop());

const TRUCKS = Array.from({ length: 18 }, (_, i) => `豫Q·C${2301 + i}`);

/**
 * The depot's ledger, in recording order: 15,000 bags on 2025-03-15, 12.5 t of cement on 2026-05-20 and 18 trucks
 * on 2026-09-05 (each at midnight in Shanghai), 200 bags at midnight on 2026-10-12 and 50 of the first issued at
 * 09:00 that day, then 30 bags today.
 */
async function aLongLedger(depot: Depot): Promise<void> {
  const at = (day: string, time = "00:00:00") => ({ receivedOn: day, occurredAt: `${day}T${time}+08:00` });
  const receive = (item: Item, quantity: string, lotCode: string, more: Record<string, unknown> = {}) =>
    receiveLot(svc, depot.keeper, { depotId: depot.id, itemId: item.id, quantity, lotCode, ...more });
  const first = await receive(bags, "15000", `${depot.code}-WB-1`, {
    ...at("2025-03-15"),
    reason: "首批入库",
  });
  await receive(cement, "12.5", `${depot.code}-CM-2`, at("2026-05-20"));
  await receive(trucks, "18", `${depot.code}-TRK-3`, { ...at("2026-09-05"), serialNumbers: TRUCKS });
  await receive(bags, "200", `${depot.code}-WB-4`, at("2026-10-12"));
  const issued = await svc.gql<{ issueStock: ChangeView }>(
    ISSUE,
    {
      input: {
        depotId: depot.id,
        itemId: bags.id,
        lotId: first.id,
        quantity: "50",
        purpose: "FLOOD_FIGHTING",
        recipient: "河口村抢险队",
        reason: "堵口",
        occurredAt: "2026-10-12T09:00:00+08:00",
      },
    },
    depot.keeper,
  );
  expect(issued.data!.issueStock.userErrors).toEqual([]);
  await receive(bags, "30", `${depot.code}-WB-5`);
}

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
const exportCsv = (params: Record<string, string>, as: string | null = county.auditor) =>
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

/** The depot's ledger line numbers as the table holds them, in recording order: what an export must list. */
async function ledgerIds(depot: Depot, from?: string, to?: string): Promise<number[]> {
  const rows = await query<{ id: number }>(
    svc.database,
    sql`select id::int as id from movements where county_id = ${depot.county.countyId} and depot_id = ${depot.depotId}
          and (${from ?? null}::timestamptz is null or occurred_at >= ${from ?? null}::timestamptz)
          and (${to ?? null}::timestamptz is null or occurred_at <= ${to ?? null}::timestamptz)
        order by id`,
  );
  return rows.map((r) => r.id);
}

const names = async (id: string) => {
  const res = await svc.gql<{ node: { nameZh: string } }>(
    `query($id: ID!) { node(id: $id) { ... on Depot { nameZh } ... on Item { nameZh } } }`,
    { id },
    county.auditor,
  );
  return res.data!.node.nameZh;
};

describe("exporting a depot's ledger", () => {
  it("an auditor downloads every line of the depot in recording order, readable by Excel", async () => {
    const d = await exportCsv({ depotId: ledger.id });
    expect(d.status).toBe(200);
    expect(d.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(d.headers.get("content-disposition")).toBe(`attachment; filename="ledger-${ledger.code}.csv"`);
    expect([...d.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = rowsOf(d);
    const expected = await ledgerIds(ledger);
    expect(expected).toHaveLength(23);
    expect(rows.map((r) => Number(r[col("流水号")]))).toEqual(expected);
    expect(new Set(rows.map((r) => r[col("储备点编码")]))).toEqual(new Set([ledger.code]));
    expect(rows.every((r) => r.length === HEADER.length)).toBe(true);
  });

  it("shows Beijing times, Chinese words, canonical quantities and the recorder's name beside the username", async () => {
    const rows = rowsOf(await exportCsv({ depotId: ledger.id }));
    const byLot = (lotCode: string) => rows.filter((r) => r[col("批次号")] === `${ledger.code}-${lotCode}`);
    expect(byLot("WB-1")).toEqual([
      [
        expect.any(String),
        "2025-03-15T00:00:00.000+08:00",
        expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/),
        ledger.code,
        await names(ledger.id),
        bags.code,
        await names(bags.id),
        `${ledger.code}-WB-1`,
        "",
        "入库",
        "采购",
        "15000",
        "件",
        `测试${ledger.keeper}`,
        ledger.keeper,
        "首批入库",
        "",
        "",
        "",
        "",
      ],
      [
        expect.any(String),
        "2026-10-12T09:00:00.000+08:00",
        expect.any(String),
        ledger.code,
        await names(ledger.id),
        bags.code,
        await names(bags.id),
        `${ledger.code}-WB-1`,
        "",
        "出库",
        "抗洪抢险",
        "-50",
        "件",
        `测试${ledger.keeper}`,
        ledger.keeper,
        "堵口",
        "河口村抢险队",
        "",
        "",
        "",
      ],
    ]);
    // numeric(18, 3) comes back as "12.500" from the database
    expect(byLot("CM-2").map((r) => [r[col("数量")], r[col("单位")]])).toEqual([["12.5", "吨"]]);
    const units = byLot("TRK-3");
    expect(units.map((r) => r[col("序列号")])).toEqual(TRUCKS);
  });

  it("costs the same number of statements for a long ledger as for a short one", async () => {
    const point = await aDepot(await aVillage(township));
    await aLotOf(point, bags, "10");
    await aLotOf(point, cement, "1.5");
    const statementsFor = async (depot: Depot) => {
      coldCaches(svc.database);
      const before = svc.database.statements();
      const rows = rowsOf(await exportCsv({ depotId: depot.id }));
      return { statements: svc.database.statements() - before, rows: rows.length };
    };
    const short = await statementsFor(point);
    const long = await statementsFor(ledger);
    expect([short.rows, long.rows]).toEqual([2, 23]);
    expect(long.statements).toBe(short.statements);
  });
});

describe("who may export what", () => {
  it("a keeper exporting a depot they do not keep gets the same 404 as for a depot that does not exist", async () => {
    const keeper = ledger.keeper;
    const missing = toGlobalId("Depot", { countyId: county.countyId, id: 999999999 });
    const outOfScope = await exportCsv({ depotId: warehouse.id }, keeper);
    const absent = await exportCsv({ depotId: missing }, keeper);
    expect(outOfScope.status).toBe(404);
    expect(absent.status).toBe(404);
    expect(outOfScope.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(outOfScope.text).toBe(absent.text);
    expect(JSON.parse(outOfScope.text)).toEqual({ error: expect.any(String) });
    // the keeper's own depot, and the warehouse for someone who may read it, do export
    expect((await exportCsv({ depotId: ledger.id }, keeper)).status).toBe(200);
    expect((await exportCsv({ depotId: warehouse.id }, county.officer)).status).toBe(200);
    // a county officer of another county gets the same 404
    const other = await aCounty(svc);
    const foreign = await exportCsv({ depotId: ledger.id }, other.officer);
    expect([foreign.status, foreign.text]).toEqual([404, absent.text]);
  });

  it.each([
    ["no token", null],
    ["a token for nobody", "no.such.user"],
  ])("%s is 401 with a JSON error and no ledger", async (_name, as) => {
    const d = await exportCsv({ depotId: ledger.id }, as);
    expect(d.status).toBe(401);
    expect(d.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(JSON.parse(d.text)).toEqual({ error: expect.any(String) });
  });

  it("a forged token is 401 too", async () => {
    const res = await fetch(`${serviceBase()}/export/ledger.csv?depotId=${ledger.id}`, {
      headers: { authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhdWRpdG9yIn0.c2lnbmF0dXJl" },
    });
    expect(res.status).toBe(401);
  });
});

describe("malformed requests", () => {
  const depot = () => ledger.id;
  it.each<[string, () => Record<string, string>]>([
    ["no depotId", () => ({})],
    ["a depotId that is not a global ID", () => ({ depotId: ledger.code })],
    ["the global ID of an item", () => ({ depotId: bags.id })],
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
    const params: Record<string, string> = { depotId: ledger.id, from };
    if (to) params.to = to;
    const d = await exportCsv(params);
    expect(d.status).toBe(200);
    return rowsOf(d).map((r) => Number(r[col("流水号")]));
  };

  it("bare dates are whole days in Shanghai, both ends included", async () => {
    // 2026's lines before today: the cement, 18 trucks, 200 bags at midnight and the issue at 09:00 on 2026-10-12
    const inRange = await ledgerIds(ledger, "2026-01-01T00:00:00+08:00", "2026-10-12T23:59:59.999+08:00");
    expect(inRange).toHaveLength(21);
    expect(await exportedIds("2026-01-01", "2026-10-12")).toEqual(inRange);
  });

  it("date-times are instants, and a line exactly at the bound is included", async () => {
    // midnight of 2026-10-12 in Shanghai: the 200 bags then, the issue at 09:00 and today's receipt
    const atMidnight = await ledgerIds(ledger, "2026-10-11T16:00:00Z");
    expect(atMidnight).toHaveLength(3);
    expect(await exportedIds("2026-10-12T00:00:00+08:00")).toEqual(atMidnight);
    const after = await ledgerIds(ledger, "2026-10-11T16:00:00.001Z");
    expect(after).toEqual(atMidnight.slice(1));
    expect(await exportedIds("2026-10-11T16:00:00.001Z")).toEqual(after);
  });
});

describe("what people typed survives the spreadsheet", () => {
  it("a reason with a comma, quotes and a leading = round-trips, defused by an apostrophe", async () => {
    const depot = await aDepot(township);
    const reason = '=HYPERLINK("http://example.invalid","点我"), 补充入库';
    const reference = "送货单 A-7\n第二页";
    const lot = await receiveLot(svc, depot.keeper, {
      depotId: depot.id,
      itemId: bags.id,
      quantity: "100",
      reason,
      reference,
    });
    const issued = await svc.gql<{ issueStock: ChangeView }>(
      ISSUE,
      {
        input: {
          depotId: depot.id,
          itemId: bags.id,
          lotId: lot.id,
          quantity: "3",
          purpose: "FLOOD_FIGHTING",
          recipient: "+86 河口村抢险队",
          reason: "-堵口",
        },
      },
      depot.keeper,
    );
    expect(issued.errors).toBeUndefined();
    expect(issued.data!.issueStock.userErrors).toEqual([]);

    const rows = rowsOf(await exportCsv({ depotId: depot.id }));
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
    // the same handler with batches of 4, so the long ledger spans six of them
    server = createServer((req, res) => {
      const env = { deps: svc.deps, tokens: svc.tokens, logger: svc.deps.logger };
      void exportLedger(req, res, new URL(req.url ?? "/", "http://localhost"), env, 4);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("a ledger read in many small batches exports byte for byte the same file", async () => {
    const params = { depotId: ledger.id };
    const whole = await exportCsv(params);
    const batched = await download(base, params, county.auditor);
    expect(batched.status).toBe(200);
    expect(rowsOf(batched)).toHaveLength(23);
    expect(Buffer.from(batched.bytes).equals(Buffer.from(whole.bytes))).toBe(true);
  });
});
