import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initCounty } from "../src/app/setup/initCounty.js";
import { toGlobalId } from "../src/graphql/ids.js";
import { ADMIN, COUNTY, countyBook, OFFICER, workbookOf } from "./support/ledgerBook.js";
import { startTestService, type TestService } from "./support/service.js";

/**
 * A county moving its books: the 库存 sheet exported by one service, put back into the county's 台账 in place of its
 * own 库存 sheet, and imported into a fresh service, gives the same depots the same balances, lots, serial numbers,
 * conditions and expiry dates. The county is the book's own (永安县): on each service its administrator founds
 * it (`admin init`), and the import builds everything else.
 */
let from: TestService;
let to: TestService;
let countyRegion: string;

/** 永安县 as `admin init` leaves it: the region and its administrator, nothing more. */
async function foundTheBooksCounty(svc: TestService): Promise<number> {
  const { county } = await initCounty(svc.deps, {
    divisionCode: COUNTY,
    nameZh: "永安县",
    nameEn: "Yong'an County",
    population: 300000,
    username: ADMIN,
    password: "永安县台账迁移-2026",
  });
  return county.id;
}

const STOCK = `query($after: String) { depots(first: 100, after: $after) { pageInfo { hasNextPage endCursor }
  edges { node { id code stock { item { code } onHand } } } } }`;
const LOTS = `query($depot: ID!, $after: String) { lots(depotId: $depot, first: 100, after: $after) {
  pageInfo { hasNextPage endCursor }
  edges { node { lotCode serialNumber condition onHand expiresOn item { code } } } } }`;

async function importInto(svc: TestService, body: Buffer) {
  const res = await fetch(svc.url.replace(/\/graphql$/, "/import?commit=true"), {
    method: "POST",
    headers: {
      authorization: `Bearer ${await svc.token(ADMIN)}`,
      "content-type": "application/octet-stream",
    },
    body,
  });
  const report = (await res.json()) as { committed: boolean; problems: unknown[] };
  expect(report.problems).toEqual([]);
  expect(report.committed).toBe(true);
}

interface Page<T> {
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: T }[];
}

async function all<T>(svc: TestService, q: string, field: string, vars: Record<string, unknown> = {}) {
  const out: T[] = [];
  let after: string | null = null;
  do {
    const res: { data?: Record<string, Page<T>> | null; errors?: unknown } = await svc.gql<
      Record<string, Page<T>>
    >(q, { ...vars, after }, OFFICER);
    expect(res.errors).toBeUndefined();
    const page: Page<T> = res.data![field]!;
    out.push(...page.edges.map((e) => e.node));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return out;
}

/** Every depot's balances and lots, keyed by codes (ids differ between the two services). */
async function books(svc: TestService) {
  const depots = await all<{ id: string; code: string; stock: { item: { code: string }; onHand: string }[] }>(
    svc,
    STOCK,
    "depots",
  );
  const out: Record<string, { balances: string[]; lots: string[] }> = {};
  for (const d of depots) {
    const lots = await all<{
      lotCode: string;
      serialNumber: string | null;
      condition: string;
      onHand: string;
      expiresOn: string | null;
      item: { code: string };
    }>(svc, LOTS, "lots", { depot: d.id });
    out[d.code] = {
      balances: d.stock.map((s) => `${s.item.code} ${s.onHand}`).sort(),
      lots: lots
        .map((l) => [l.item.code, l.lotCode, l.serialNumber, l.condition, l.onHand, l.expiresOn].join(" "))
        .sort(),
    };
  }
  return out;
}

beforeAll(async () => {
  [from, to] = await Promise.all([startTestService(), startTestService()]);
  const [countyId] = await Promise.all([foundTheBooksCounty(from), foundTheBooksCounty(to)]);
  countyRegion = toGlobalId("Region", { countyId: countyId!, id: countyId! });
  await importInto(from, await workbookOf(countyBook()));
}, 180_000);
afterAll(async () => {
  await Promise.all([from?.stop(), to?.stop()]);
});

describe("库存 exported, then imported into a fresh service", () => {
  it("gives every depot the same balances and the same lots", async () => {
    const res = await fetch(
      `${from.url.replace(/\/graphql$/, "/export/stock.xlsx")}?regionId=${encodeURIComponent(countyRegion)}`,
      { headers: { authorization: `Bearer ${await from.token(OFFICER)}` } },
    );
    expect(res.status).toBe(200);
    const exported = new ExcelJS.Workbook();
    await exported.xlsx.load(await res.arrayBuffer());
    // the county's own book, with the exported 库存 sheet in place of the one it was loaded from
    const structure = new ExcelJS.Workbook();
    await structure.xlsx.load(
      new Uint8Array(await workbookOf(countyBook().filter((s) => s.name !== "库存"))).buffer,
    );
    const book = new ExcelJS.Workbook();
    for (const sheet of [...structure.worksheets, exported.getWorksheet("库存")!]) {
      const copy = book.addWorksheet(sheet.name);
      sheet.eachRow((row) => {
        copy.addRow((row.values as ExcelJS.CellValue[]).slice(1));
      });
    }
    // a row of the export for each row of the book (a serialised lot's units on one row, as the book has them)
    const bookRows = countyBook().find((s) => s.name === "库存")!.rows.length;
    expect(exported.getWorksheet("库存")!.rowCount - 1).toBe(bookRows);

    await importInto(to, Buffer.from(await book.xlsx.writeBuffer()));

    const [want, got] = [await books(from), await books(to)];
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    expect(got).toEqual(want);
  }, 300_000);
});
