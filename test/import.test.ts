import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminWorld } from "./support/admin.js";
import {
  ADMIN,
  countyBook,
  expectedBalances,
  OFFICER,
  rowCount,
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
