import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/client.js";
import { adminUrl, databaseUrl, engine } from "./support/engine.js";
import { ADMIN, countyBook, workbookOf } from "./support/ledgerBook.js";
import { query, sql } from "./support/sql.js";

/**
 * `npm run import` as a county bureau runs it, a real process on a fresh install: the template, a dry run that
 * writes nothing, the commit, and the same file again.
 */
const root = path.resolve(import.meta.dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "rl-import-cli-"));
const dbName = `rl_importcli_${process.pid}`;
const PASSWORD = "永安县应急局管理员2026";
let env: Record<string, string>;

function run(script: string, args: string[], input = "") {
  const result = spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
    input,
    encoding: "utf8",
    timeout: 240_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const importCli = (args: string[], input = `${PASSWORD}\n`) => run("src/cli/import.ts", args, input);

async function movements(): Promise<number> {
  const database = await openDatabase(
    env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: `${dir}/data/pglite` },
  );
  try {
    return (await query<{ n: number }>(database, sql`select count(*)::int as n from movements`))[0]!.n;
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  env = {
    DATA_DIR: `${dir}/data`,
    JWT_SECRET: "import-cli-secret-that-is-at-least-32-characters",
    NODE_ENV: "test",
  };
  if (engine === "postgres") {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${dbName}`);
    await admin.unsafe(`create database ${dbName}`);
    await admin.end();
    env.DATABASE_URL = databaseUrl(dbName);
  }
  const init = run(
    "src/cli/admin.ts",
    ["init", "--county", "411088", "--name", "永安县", "--username", ADMIN],
    `${PASSWORD}\n`,
  );
  expect(init.code, init.stderr).toBe(0);
  writeFileSync(`${dir}/book.xlsx`, await workbookOf(countyBook()));
}, 120_000);

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (engine === "postgres") {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
});

describe("npm run import", () => {
  it("--template writes the six sheets with headers, an example row and drop-down lists", async () => {
    const out = importCli(["--template", `${dir}/模板.xlsx`], "");
    expect(out.code, out.stderr).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(`${dir}/模板.xlsx`);
    const visible = wb.worksheets.filter((w) => w.state !== "hidden").map((w) => w.name);
    expect(visible).toEqual(["区划", "储备点", "人员", "物资目录", "储备定额", "库存"]);
    const norms = wb.getWorksheet("储备定额")!;
    expect(norms.getRow(1).values).toEqual([
      undefined,
      "物资编码",
      "区划代码",
      "级别",
      "定额方式",
      "定额数量",
      "储备底线",
    ]);
    // 级别 and 定额方式 are picked from the shared words
    expect(norms.getCell("C2").dataValidation).toMatchObject({ type: "list" });
    expect(norms.getCell("D2").dataValidation).toMatchObject({ type: "list" });
    const stock = wb.getWorksheet("库存")!;
    expect(stock.getRow(1).values).toEqual([
      undefined,
      "储备点编码",
      "物资编码",
      "数量",
      "批次号",
      "入库日期",
      "有效期至",
      "序列号",
      "状况",
    ]);
    expect(stock.getCell("H2").dataValidation).toMatchObject({ type: "list" });
    expect(wb.getWorksheet("物资目录")!.getCell("E2").dataValidation).toMatchObject({ type: "list" });
  }, 60_000);

  it("a dry run reports every row, writes nothing, and --commit then writes the book once", async () => {
    const dry = importCli([`${dir}/book.xlsx`, "--username", ADMIN]);
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    expect(dry.stdout).toContain("试导入通过");
    expect(dry.stdout).toMatch(/库存：读取 228 行，新建 228，未变 0，拒绝 0/);
    expect(dry.stderr).toMatch(/库存: 228\/228/);
    expect(await movements()).toBe(0);

    const commit = importCli([`${dir}/book.xlsx`, "--username", ADMIN, "--commit", "--lang", "en"]);
    expect(commit.code, commit.stdout + commit.stderr).toBe(0);
    expect(commit.stdout).toContain("committed.");
    const written = await movements();
    expect(written).toBeGreaterThan(228);

    const again = importCli([`${dir}/book.xlsx`, "--username", ADMIN, "--commit"]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/库存：读取 228 行，新建 0，未变 228/);
    expect(await movements()).toBe(written);
  }, 600_000);

  it("a wrong password reads nothing, and a file with problems exits 2", async () => {
    const wrong = importCli([`${dir}/book.xlsx`, "--username", ADMIN, "--commit"], "not-the-password\n");
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("wrong username or password");
    writeFileSync(
      `${dir}/bad.csv`,
      "储备点编码,物资编码,数量,批次号,入库日期\nYA-1-0,YA_BAG,-3,X-1,2024/3/15\n",
    );
    const bad = importCli([`${dir}/bad.csv`, "--username", ADMIN, "--commit"]);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('库存 第2行 数量 "-3" NEGATIVE_QUANTITY');
  }, 120_000);
});
