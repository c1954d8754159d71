import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { parse } from "csv-parse/sync";
import type { ImportProblem } from "../../domain/import/problems.js";
import { messageOf } from "../../domain/import/problems.js";
import type { RawRow } from "../../domain/import/rows.js";
import { mapHeaders, type SheetSpec, sheetByName, sheetOfHeaders } from "../../domain/import/sheets.js";
import type { Cell } from "../../domain/import/values.js";

/** One sheet of the file, its rows keyed by column; what the sheet does not know is only noted. */
export interface RawSheet {
  spec: SheetSpec;
  rows: RawRow[];
  /** Ignored columns, as said to the person importing. */
  ignored: string[];
}

export interface ReadResult {
  sheets: RawSheet[];
  problems: ImportProblem[];
}

const sheetProblem = (
  sheet: string,
  value: string,
  code: "UNKNOWN_SHEET" | "UNREADABLE_FILE" | "MISSING_COLUMN",
  column = "",
): ImportProblem => ({
  sheet,
  row: code === "MISSING_COLUMN" ? 1 : 0,
  column,
  value,
  code,
  message: messageOf(code, value),
});

/** An .xlsx is a zip archive: it starts with PK. Anything else is read as CSV text. */
export const isWorkbook = (bytes: Uint8Array): boolean => bytes[0] === 0x50 && bytes[1] === 0x4b;

/** Reads a workbook, or a CSV holding one sheet (named by `sheet` or told by its headers). */
export async function readFile(
  bytes: Buffer,
  opts: { sheet?: string | undefined } = {},
): Promise<ReadResult> {
  try {
    return isWorkbook(bytes) ? await readWorkbook(bytes, opts.sheet) : readCsv(bytes, opts.sheet);
  } catch (e) {
    return {
      sheets: [],
      problems: [sheetProblem("", (e as Error).message.slice(0, 200), "UNREADABLE_FILE")],
    };
  }
}

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8, GBK (read as its superset GB18030) otherwise. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return iconv.decode(Buffer.from(bytes), "gb18030");
  }
}

function readCsv(bytes: Buffer, sheetName: string | undefined): ReadResult {
  const records = parse(decodeText(bytes), {
    relax_column_count: true,
    skip_empty_lines: true,
  }) as string[][];
  const headers = records[0] ?? [];
  const spec = sheetName ? sheetByName(sheetName) : sheetOfHeaders(headers);
  if (!spec)
    return {
      sheets: [],
      problems: [sheetProblem(sheetName ?? "", sheetName ?? headers.join(","), "UNKNOWN_SHEET")],
    };
  return toSheet(
    spec,
    headers,
    records.slice(1).map((cells, i) => ({ row: i + 2, cells })),
  );
}

async function readWorkbook(bytes: Buffer, only: string | undefined): Promise<ReadResult> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const result: ReadResult = { sheets: [], problems: [] };
  for (const ws of wb.worksheets) {
    // a hidden sheet holds a template's drop-down words, not rows of the 台账
    if (ws.state === "hidden" || ws.state === "veryHidden") continue;
    const spec = sheetByName(ws.name);
    if (only && spec !== sheetByName(only)) continue;
    if (!spec) {
      result.problems.push(sheetProblem(ws.name, ws.name, "UNKNOWN_SHEET"));
      continue;
    }
    const headers = valuesOf(ws.getRow(1)).map((c) => (c === null ? "" : String(c)));
    const rows: { row: number; cells: Cell[] }[] = [];
    ws.eachRow((row, number) => {
      if (number > 1) rows.push({ row: number, cells: valuesOf(row) });
    });
    const sheet = toSheet(spec, headers, rows);
    result.sheets.push(...sheet.sheets);
    result.problems.push(...sheet.problems);
  }
  return result;
}

function toSheet(spec: SheetSpec, headers: string[], rows: { row: number; cells: Cell[] }[]): ReadResult {
  const map = mapHeaders(spec, headers);
  const problems = map.missing.map((c) => sheetProblem(spec.zh, c.zh, "MISSING_COLUMN", c.zh));
  const raw = rows
    .filter((r) => r.cells.some((c) => c !== null && String(c).trim() !== ""))
    .map((r) => {
      const cells: Record<string, Cell> = {};
      for (const [index, key] of map.columns) cells[key] = r.cells[index] ?? null;
      return { row: r.row, cells };
    });
  return { sheets: problems.length > 0 ? [] : [{ spec, rows: raw, ignored: map.ignored }], problems };
}

/** A row's cells from column A on, each reduced to what a person sees: a formula's result, rich text's text. */
function valuesOf(row: ExcelJS.Row): Cell[] {
  const cells: Cell[] = [];
  row.eachCell({ includeEmpty: true }, (cell, col) => {
    cells[col - 1] = plain(cell.value);
  });
  return Array.from(cells, (c) => c ?? null);
}

function plain(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (value instanceof Date) return value;
  if ("richText" in value) return value.richText.map((t) => t.text).join("");
  if ("result" in value) return plain((value.result ?? null) as ExcelJS.CellValue);
  if ("text" in value) return String(value.text);
  return null;
}
