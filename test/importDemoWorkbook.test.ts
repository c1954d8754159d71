import { readFile as readBytes } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile } from "../src/app/import/read.js";
import { DEMO_WORKBOOK, writeDemoWorkbook } from "../seeds/demoWorkbook.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";

/**
 * The demo county ships as seeds/demo-county.xlsx, written by `npm run seed:workbook` from seeds/demo-county.ts, and
 * every fresh install (and every test database) loads it through the 台账 importer.
 */
let svc: TestService;

beforeAll(async () => (svc = await startTestService()), 60_000);
afterAll(() => svc?.stop());

const sheetsOf = async (bytes: Buffer) => {
  const read = await readFile(bytes);
  return { problems: read.problems, sheets: read.sheets.map((s) => ({ sheet: s.spec.zh, rows: s.rows })) };
};

interface Report {
  committed: boolean;
  problems: unknown[];
  sheets: {
    sheet: string;
    read: number;
    created: number;
    unchanged: number;
    refused: number;
    skipped: number;
  }[];
}

describe("the demo county's workbook", () => {
  it("the committed file holds exactly the rows seeds/demo-county.ts writes (run npm run seed:workbook)", async () => {
    const committed = await sheetsOf(await readBytes(DEMO_WORKBOOK));
    const generated = await sheetsOf(await writeDemoWorkbook());

    expect(committed.problems).toEqual([]);
    expect(committed.sheets.map((s) => s.sheet)).toEqual([
      "区划",
      "储备点",
      "人员",
      "物资目录",
      "储备定额",
      "库存",
    ]);
    expect(committed).toEqual(generated);
  });

  it("imported again by its administrator, every row is unchanged and nothing is written", async () => {
    const lines = async () =>
      (await query<{ n: number }>(svc.database, sql`select count(*)::int as n from movements`))[0]!.n;
    const before = await lines();

    const res = await fetch(svc.url.replace(/\/graphql$/, "/import?commit=true"), {
      method: "POST",
      headers: {
        "content-type": "application/octet-stream",
        authorization: `Bearer ${await svc.token("county.admin")}`,
      },
      body: await readBytes(DEMO_WORKBOOK),
    });
    const report = (await res.json()) as Report;

    expect(res.status, JSON.stringify(report.problems)).toBe(200);
    for (const s of report.sheets)
      expect(s, s.sheet).toMatchObject({ created: 0, refused: 0, skipped: 0, unchanged: s.read });
    expect(report.sheets.find((s) => s.sheet === "库存")!.read).toBe(219);
    expect(await lines()).toBe(before);
  });
});
