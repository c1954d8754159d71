import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COUNTY } from "./support/ledgerBook.js";
import { adminWorld } from "./support/admin.js";
import {
  ADMIN,
  countyBook,
  expectedBalances,
  OFFICER,
  rowCount,
  type Row,
  type Sheet,
  workbookOf,
} from "./support/ledgerBook.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";

/**
 * A new county brings its 台账 as one workbook: POST /import answers a dry run with every problem and writes
 * nothing, and a commit writes exactly what the file says, once.
 */
let svc: TestService;
const book = countyBook();

beforeAll(async () => {
  svc = await startTestService();
  await adminWorld(svc);
}, 60_000);
afterAll(() => svc?.stop());

interface Report {
  committed: boolean;
  problems: { sheet: string; row: number; column: string; value: string; code: string }[];
  notices: { sheet: string; ignored: string[] }[];
  sheets: { sheet: string; read: number; created: number; unchanged: number; refused: number }[];
}

async function post(body: Buffer, params: string, as: string | null = ADMIN) {
  const headers: Record<string, string> = { "content-type": "application/octet-stream" };
  if (as) headers.authorization = `Bearer ${await svc.token(as)}`;
  const res = await fetch(svc.url.replace(/\/graphql$/, `/import?${params}`), {
    method: "POST",
    headers,
    body,
  });
  return { status: res.status, body: (await res.json()) as Report & { error?: string } };
}

const ledgerLines = async () =>
  (await query<{ n: number }>(svc.database, sql`select count(*)::int as n from movements`))[0]!.n;
const countyRegions = async () =>
  (
    await query<{ n: number }>(
      svc.database,
      sql`select count(*)::int as n from regions where division_code like '411088%'`,
    )
  )[0]!.n;

const DEPOTS = `query($after: String) { depots(first: 100, after: $after) { pageInfo { hasNextPage endCursor }
  edges { node { id code nameZh kind region { divisionCode } keepers { user { username } } stock { item { code } onHand } } } } }`;
const LOTS = `query($depot: ID!) { lots(depotId: $depot, first: 100) { edges { node { lotCode serialNumber condition onHand item { code } } } } }`;

interface Planted {
  sheet: string;
  row: number;
  column: string;
  code: string;
}

/** A copy of the book with 20 mistakes planted, each where a person would make it, and where each one is. */
function plantedBook(): { sheets: Sheet[]; planted: Planted[] } {
  const sheets: Sheet[] = structuredClone(countyBook());
  const planted: Planted[] = [];
  const sheet = (name: string) => sheets.find((s) => s.name === name)!;
  const col = (s: Sheet, header: string) => s.headers.indexOf(header);
  const set = (name: string, find: (r: Row) => boolean, header: string, value: Row[number], code: string) => {
    const s = sheet(name);
    const index = s.rows.findIndex(find);
    s.rows[index]![col(s, header)] = value;
    planted.push({ sheet: name, row: index + 2, column: header, code });
  };
  const add = (name: string, row: Row, header: string, code: string) => {
    const s = sheet(name);
    s.rows.push(row);
    planted.push({ sheet: name, row: s.rows.length + 1, column: header, code });
  };
  const lot = (code: string) => (r: Row) => r[3] === code;
  add(
    "物资目录",
    ["YA_ROPE", "麻绳", "", "防汛物资", "捆", "散装", null, null, null, "否"],
    "单位",
    "UNKNOWN_UNIT",
  );
  add(
    "物资目录",
    ["YA_TARP", "篷布", "", "杂物", "件", "散装", null, null, null, "否"],
    "类别",
    "UNKNOWN_WORD",
  );
  set("库存", lot("B0-0"), "入库日期", "2024/13/45", "BAD_DATE");
  set("库存", lot("B1-5"), "数量", "-5", "NEGATIVE_QUANTITY");
  set("库存", lot("G1-3"), "序列号", "SN0-3-A、SN1-3-B", "DUPLICATE_SERIAL");
  set("库存", lot("C2-1"), "储备点编码", "YA-9-9", "UNKNOWN_DEPOT");
  set("库存", lot("C2-6"), "物资编码", "YA_NOPE", "UNKNOWN_ITEM");
  set("库存", lot("B2-0"), "数量", "abc", "BAD_QUANTITY");
  set("库存", lot("M3-2"), "有效期至", "2027-02-30", "BAD_DATE");
  set("库存", lot("G3-3"), "序列号", "SN3-3-A、SN3-3-B、SN3-3-C", "SERIAL_COUNT");
  set("库存", lot("J3-4"), "批次号", "", "MISSING_VALUE");
  set("库存", lot("M4-7"), "状况", "半新", "UNKNOWN_WORD");
  set("储备点", (r) => r[0] === "YA-5-2", "保管员", "nobody.here", "UNKNOWN_USER");
  add(
    "储备点",
    ["YA-X", "错放的储备点", "", "乡镇储备点", "411088101203", "", "某单位", "", null],
    "类型",
    "INVALID_INPUT",
  );
  add(
    "储备点",
    ["YA-Y", "没有区划的储备点", "", "村级储备点", "411088888000", "", "某单位", "", null],
    "所属区划代码",
    "UNKNOWN_REGION",
  );
  set(
    "区划",
    (r) => r[0] === "411088101208",
    "上级区划代码",
    "411088102000",
    "DIVISION_CODE_NOT_UNDER_PARENT",
  );
  // the parent is a real township; what is wrong is the code, which does not extend the parent's
  planted.at(-1)!.column = "区划代码";
  set("区划", (r) => r[0] === "411088103207", "上级区划代码", "411088199000", "UNKNOWN_REGION");
  set("区划", (r) => r[0] === "411088104206", "人口", "很多", "BAD_NUMBER");
  add("人员", ["ya.captain", "队长甲", "永安县", "", "队长", COUNTY], "角色", "UNKNOWN_WORD");
  add(
    "人员",
    ["ya.stranger", "外乡人", "永安县", "", "乡镇应急办", "411088777000"],
    "授权区划代码",
    "UNKNOWN_REGION",
  );
  return { sheets, planted };
}

describe("a new county's 台账 through POST /import", () => {
  it("a dry run reports no problem, counts every row and writes nothing", async () => {
    expect(rowCount(book)).toBeGreaterThanOrEqual(300);
    const before = await ledgerLines();
    const { status, body } = await post(await workbookOf(book), "commit=false");
    expect(body.problems).toEqual([]);
    expect(status).toBe(200);
    expect(body.committed).toBe(false);
    expect(body.sheets.reduce((n, s) => n + s.read, 0)).toBe(rowCount(book));
    expect(body.notices).toEqual([{ sheet: "库存", ignored: ["物资名称"] }]);
    expect(await ledgerLines()).toBe(before);
    expect(await countyRegions()).toBe(1);
  }, 120_000);

  it("a copy with 20 planted mistakes reports exactly those 20 with sheet, row and column, and writes nothing", async () => {
    const { sheets, planted } = plantedBook();
    expect(planted).toHaveLength(20);
    const before = await ledgerLines();
    const { status, body } = await post(await workbookOf(sheets), "commit=true");
    expect(status).toBe(422);
    expect(body.committed).toBe(false);
    const got = body.problems.map(({ sheet, row, column, code }) => ({ sheet, row, column, code }));
    const order = (a: Planted, b: Planted) => `${a.sheet}${a.row}`.localeCompare(`${b.sheet}${b.row}`);
    expect(got.sort(order)).toEqual([...planted].sort(order));
    expect(await ledgerLines()).toBe(before);
    expect(await countyRegions()).toBe(1);
  }, 120_000);

  it("a commit writes what the file says, and the API then answers exactly that", async () => {
    const before = await ledgerLines();
    const { status, body } = await post(await workbookOf(book), "commit=true");
    expect(body.problems).toEqual([]);
    expect(status).toBe(200);
    expect(body.committed).toBe(true);
    const stock = book.find((s) => s.name === "库存")!;
    const serials = stock.rows.flatMap((r) => (r[6] ? String(r[6]).split("、") : []));
    // one line per lot: a serialised row makes a lot per serial number
    expect(await ledgerLines()).toBe(before + stock.rows.length - serials.length / 2 + serials.length);
    expect(await countyRegions()).toBe(1 + 6 + 48);
    await expectApiAnswers(book);
  }, 120_000);

  it("the same file committed again writes nothing", async () => {
    const before = await ledgerLines();
    const { body } = await post(await workbookOf(book), "commit=true");
    expect(body.problems).toEqual([]);
    expect(body.sheets.every((s) => s.created === 0)).toBe(true);
    expect(await ledgerLines()).toBe(before);
  }, 120_000);
});

async function expectApiAnswers(sheets: Sheet[]) {
  const res = await svc.gql<{ depots: { edges: { node: DepotNode }[] } }>(DEPOTS, {}, OFFICER);
  expect(res.errors).toBeUndefined();
  const depots = new Map(res.data!.depots.edges.map((e) => [e.node.code, e.node]));
  const file = sheets.find((s) => s.name === "储备点")!.rows;
  expect([...depots.keys()].sort()).toEqual(file.map((r) => String(r[0])).sort());
  for (const r of file) {
    const d = depots.get(String(r[0]))!;
    expect([d.nameZh, d.region.divisionCode, d.keepers.map((k) => k.user.username)]).toEqual([
      r[1],
      r[4],
      [r[7]],
    ]);
  }
  const balances = new Map<string, bigint>();
  for (const d of depots.values())
    for (const s of d.stock)
      balances.set(`${d.code}|${s.item.code}`, BigInt(Math.round(Number(s.onHand) * 1000)));
  expect(balances).toEqual(expectedBalances(sheets));
  const stock = sheets.find((s) => s.name === "库存")!.rows;
  for (const d of depots.values()) {
    const lots = await svc.gql<{
      lots: { edges: { node: { lotCode: string; serialNumber: string | null } }[] };
    }>(LOTS, { depot: d.id }, OFFICER);
    const got = lots
      .data!.lots.edges.map((e) => e.node.serialNumber)
      .filter((s) => s !== null)
      .sort();
    const want = stock
      .filter((r) => r[0] === d.code)
      .flatMap((r) => (r[6] ? String(r[6]).split("、") : []))
      .sort();
    expect(got).toEqual(want);
  }
}

interface DepotNode {
  id: string;
  code: string;
  nameZh: string;
  region: { divisionCode: string };
  keepers: { user: { username: string } }[];
  stock: { item: { code: string }; onHand: string }[];
}

describe("one sheet as CSV, and the door of POST /import", () => {
  const csv = [
    "储备点编码,物资编码,数量,批次号,入库日期,有效期至,序列号,状况,物资名称",
    'YA-1-0,YA_BAG,"12,000",CSV-1,2024/3/15,,,完好,编织袋',
    "YA-1-0,YA_MEDKIT,30,CSV-2,2024年3月16日,2027年3月1日,,待检,急救包",
    'YA-2-0,YA_GEN,2,CSV-3,2024-03-17,,"SN-CSV-1、SN-CSV-2",,发电机',
    'YA-2-0,YA_CEMENT,"1,234.5",CSV-4,2024/3/18,,,,水泥',
  ].join("\r\n");
  const utf8 = Buffer.from(`\uFEFF${csv}`, "utf8");
  const gbk = iconv.encode(csv, "gbk");

  it("a GBK CSV of the 库存 sheet imports the same as its UTF-8 twin", async () => {
    expect(gbk.equals(Buffer.from(csv, "utf8"))).toBe(false);
    const dryUtf8 = await post(utf8, "commit=false");
    const dryGbk = await post(gbk, "commit=false");
    expect(dryUtf8.body.problems).toEqual([]);
    expect(dryGbk.body).toEqual(dryUtf8.body);
    const before = await ledgerLines();
    const committed = await post(gbk, "commit=true");
    expect(committed.body.committed).toBe(true);
    expect(await ledgerLines()).toBe(before + 5);
    // the UTF-8 twin says the same rows: every one is already on the books
    const again = await post(utf8, "commit=true");
    expect(again.body.sheets).toEqual([
      { sheet: "库存", read: 4, created: 0, unchanged: 4, refused: 0, skipped: 0 },
    ]);
    expect(await ledgerLines()).toBe(before + 5);
    const lots = await svc.gql<{
      lots: { edges: { node: { lotCode: string; condition: string; onHand: string } }[] };
    }>(
      `query { lots(first: 10, serialNumber: "SN-CSV-2") { edges { node { lotCode condition onHand } } } }`,
      {},
      OFFICER,
    );
    expect(lots.data!.lots.edges.map((e) => e.node)).toEqual([
      { lotCode: "CSV-3", condition: "SERVICEABLE", onHand: "1" },
    ]);
  }, 120_000);

  it("answers 401 without a token and 403 to anyone but a county's administrator, writing nothing", async () => {
    const before = await ledgerLines();
    const anonymous = await post(utf8, "commit=true", null);
    expect(anonymous.status).toBe(401);
    const officer = await post(utf8, "commit=true", OFFICER);
    expect(officer.status).toBe(403);
    expect(await ledgerLines()).toBe(before);
  });
});

describe("a file above IMPORT_MAX_BYTES", () => {
  it("is refused with 413 and a Chinese message, and nothing is written", async () => {
    const small = await startTestService({ env: { IMPORT_MAX_BYTES: "5000" } });
    try {
      const res = await fetch(small.url.replace(/\/graphql$/, "/import?commit=true"), {
        method: "POST",
        headers: { authorization: `Bearer ${await small.token("county.admin")}` },
        body: Buffer.alloc(6000, 0x41),
      });
      expect(res.status).toBe(413);
      const body = (await res.json()) as { error: string };
      expect(body.error).toMatch(/文件超过/);
    } finally {
      await small.stop();
    }
  }, 60_000);
});
