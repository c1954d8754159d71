import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminWorld } from "./support/admin.js";
import { ADMIN, COUNTY, countyBook, type Row, workbookOf } from "./support/ledgerBook.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";

/**
 * 储备定额 in a county's 台账: checked cell by cell on a dry run, then set through the norm use case by the
 * administrator opening the books, with floors on the regions' own depots, and unchanged when imported again.
 */
let svc: TestService;

beforeAll(async () => {
  svc = await startTestService();
  await adminWorld(svc);
}, 60_000);
afterAll(() => svc?.stop());

interface Problem {
  sheet: string;
  row: number;
  column: string;
  value: string;
  code: string;
  message: { zh: string; en: string };
}
interface Report {
  committed: boolean;
  problems: Problem[];
  sheets: { sheet: string; read: number; created: number; unchanged: number; refused: number }[];
}

const TOWNSHIP_1 = "411088101000";
const NORM_HEADERS = ["物资编码", "区划代码", "级别", "定额方式", "定额数量", "储备底线"];
const GOOD: Row[] = [
  ["YA_BAG", "", "乡镇", "每千人", 250, 2000],
  ["YA_BAG", TOWNSHIP_1, "", "定量", 5000, 1000],
];

const bookWith = (norms: Row[]) =>
  workbookOf([...countyBook(), { name: "储备定额", headers: NORM_HEADERS, rows: norms }]);

async function post(body: Buffer, commit: boolean) {
  const res = await fetch(svc.url.replace(/\/graphql$/, `/import?commit=${commit}`), {
    method: "POST",
    headers: {
      "content-type": "application/octet-stream",
      authorization: `Bearer ${await svc.token(ADMIN)}`,
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as Report };
}

const countyNorms = () =>
  query<{
    item: string;
    region: string | null;
    level: string | null;
    quantity: string;
    floor: string;
    by: string;
  }>(
    svc.database,
    sql`select i.code as item, r.division_code as region, n.level, n.quantity::text, n.reserve_floor::text as floor,
               u.username as by
          from reserve_norms n join items i on i.id = n.item_id join users u on u.id = n.set_by
          left join regions r on r.county_id = n.county_id and r.id = n.region_id
          join regions c on c.id = n.county_id and c.division_code = ${COUNTY}
         order by i.code, r.division_code nulls first`,
  );

const floorAt = async (depot: string, item: string) =>
  (
    await query<{ floor: string }>(
      svc.database,
      sql`select s.reserve_floor::text as floor from stock_levels s join depots d on d.id = s.depot_id
            join items i on i.id = s.item_id where d.code = ${depot} and i.code = ${item}`,
    )
  )[0]?.floor;

describe("the 储备定额 sheet", () => {
  it("a dry run names every bad cell in Chinese and English, and writes nothing", async () => {
    const res = await post(
      await bookWith([
        ...GOOD,
        ["NO_SUCH", "", "乡镇", "定量", 1, ""],
        ["YA_CEMENT", TOWNSHIP_1, "乡镇", "定量", 1, ""],
        ["YA_CEMENT", "", "", "按月", -3, ""],
        ["YA_BAG", "", "乡镇", "定量", 10, ""],
        ["YA_MEDKIT", "411088999000", "", "定量", 1, ""],
      ]),
      false,
    );

    expect(res.status).toBe(422);
    const norms = res.body.problems.filter((p) => p.sheet === "储备定额");
    expect(norms.map(({ row, column, code }) => ({ row, column, code }))).toEqual(
      expect.arrayContaining([
        { row: 4, column: "物资编码", code: "UNKNOWN_ITEM" },
        { row: 5, column: "区划代码", code: "NORM_SCOPE" },
        { row: 6, column: "定额方式", code: "UNKNOWN_WORD" },
        { row: 6, column: "定额数量", code: "NEGATIVE_QUANTITY" },
        { row: 6, column: "区划代码", code: "NORM_SCOPE" },
        { row: 7, column: "物资编码", code: "DUPLICATE_ROW" },
        { row: 8, column: "区划代码", code: "UNKNOWN_REGION" },
      ]),
    );
    expect(norms).toHaveLength(7);
    expect(norms.find((p) => p.code === "NORM_SCOPE")!.message).toEqual({
      zh: "定额须且只须写区划代码或级别之一",
      en: "a norm names either a region code or a level, exactly one of them",
    });
    expect(await countyNorms()).toEqual([]);
  });

  it("commits through the norm use case, floors on the regions' depots, and the same file again changes nothing", async () => {
    const book = await bookWith(GOOD);

    const first = await post(book, true);

    expect(first.status, JSON.stringify(first.body.problems)).toBe(200);
    expect(first.body.sheets.find((s) => s.sheet === "储备定额")).toMatchObject({ read: 2, created: 2 });
    expect(await countyNorms()).toEqual([
      { item: "YA_BAG", region: null, level: "TOWNSHIP", quantity: "250.000", floor: "2000.000", by: ADMIN },
      { item: "YA_BAG", region: TOWNSHIP_1, level: null, quantity: "5000.000", floor: "1000.000", by: ADMIN },
    ]);
    // a township's own norm outranks the level's; every other township takes the level's floor
    expect(await floorAt("YA-1-0", "YA_BAG")).toBe("1000.000");
    expect(await floorAt("YA-2-0", "YA_BAG")).toBe("2000.000");

    const again = await post(book, true);

    expect(again.status).toBe(200);
    expect(again.body.sheets.find((s) => s.sheet === "储备定额")).toMatchObject({
      read: 2,
      created: 0,
      unchanged: 2,
    });
    expect(await countyNorms()).toHaveLength(2);
  });
});
