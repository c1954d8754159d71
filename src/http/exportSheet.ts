import { defuse } from "../domain/shared/formulaText.js";
import type { ServerResponse } from "node:http";
import ExcelJS from "exceljs";
import type { CalendarDate } from "../domain/shared/calendar.js";
import { formatQuantity, type Quantity } from "../domain/shared/quantity.js";

/**
 * The one way every export writes a sheet, as CSV or as XLSX: typed columns, Beijing time, codes as text,
 * quantities at their unit's decimals, formula text defused, rows streamed with the client's pace.
 */
export type Format = "csv" | "xlsx";

/**
 * What a column holds. `code` is text a spreadsheet must not read as a number (division codes, lot codes):
 * XLSX marks the column "@". `date` is a calendar day, `instant` a moment shown in Asia/Shanghai.
 */
export type ColumnKind = "text" | "code" | "integer" | "quantity" | "date" | "instant" | "percent";

export interface Column {
  header: string;
  kind: ColumnKind;
}

/** A quantity with the decimals its unit is counted in (0 for pieces, 3 for tonnes). */
export interface QuantityCell {
  quantity: Quantity;
  scale: number;
}

/** text/code: string; integer and percent (a ratio): number; quantity; date: a CalendarDate; instant: Date. */
export type Cell = string | number | Date | QuantityCell | null;

export interface SheetSpec {
  /** File name without extension, ASCII (it goes into a header). */
  fileName: string;
  /** Chinese worksheet name. */
  sheetName: string;
  columns: readonly Column[];
}

export interface SheetWriter {
  /** Writes rows; resolves once the client has taken them in, or has gone away. */
  write(rows: readonly (readonly Cell[])[]): Promise<void>;
  /** Ends the file. */
  end(): Promise<void>;
  /** True once the client went away: stop reading. */
  readonly closed: boolean;
}

// Asia/Shanghai has had no daylight saving time since 1991: one fixed offset is exact for every instant we hold
const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const BOM = "\uFEFF";
const CRLF = "\r\n";

/** `2025-03-15T09:00:00.000+08:00`: an instant as the county reads it, with the offset saying so. */
export function isoInShanghai(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().replace(/Z$/, "+08:00");
}

/** RFC 4180: quote a field holding a comma, quote, CR or LF, doubling the quotes inside. */
function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

function csvField(kind: ColumnKind, cell: Cell): string {
  if (cell === null) return "";
  switch (kind) {
    case "text":
    case "code":
    case "date":
      return defuse(String(cell));
    case "integer":
      return String(cell);
    case "quantity":
      // a deduction's minus sign is a number, not a formula
      return formatQuantity((cell as QuantityCell).quantity);
    case "instant":
      return isoInShanghai(cell as Date);
    case "percent":
      return `${((cell as number) * 100).toFixed(2)}%`;
  }
}

export function csvLine(columns: readonly Column[], cells: readonly Cell[]): string {
  return columns.map((c, i) => quote(csvField(c.kind, cells[i] ?? null))).join(",") + CRLF;
}

const COLUMN_FORMAT: Record<ColumnKind, string | undefined> = {
  text: undefined,
  code: "@",
  integer: "0",
  quantity: undefined,
  date: "yyyy-mm-dd",
  instant: "yyyy-mm-dd hh:mm:ss",
  percent: "0.00%",
};

const COLUMN_WIDTH: Record<ColumnKind, number> = {
  text: 16,
  code: 16,
  integer: 10,
  quantity: 12,
  date: 12,
  instant: 20,
  percent: 10,
};

const quantityFormat = (scale: number) => (scale <= 0 ? "0" : `0.${"0".repeat(Math.min(scale, 3))}`);

/** A cell's value as exceljs writes it: dates as serials of the wall clock in Beijing (Excel has no zones). */
function xlsxValue(kind: ColumnKind, cell: Cell): ExcelJS.CellValue {
  if (cell === null) return null;
  switch (kind) {
    case "text":
    case "code":
      return defuse(String(cell));
    case "integer":
    case "percent":
      return cell as number;
    case "quantity":
      // the canonical decimal, read as the nearest double: 0.1 + 0.2 never shows as 0.30000000000000004
      return Number(formatQuantity((cell as QuantityCell).quantity));
    case "date":
      return new Date(`${cell as CalendarDate}T00:00:00Z`);
    case "instant":
      return new Date((cell as Date).getTime() + SHANGHAI_OFFSET_MS);
  }
}

function csvWriter(res: ServerResponse, spec: SheetSpec): SheetWriter {
  const state = watch(res);
  res.write(BOM + spec.columns.map((c) => quote(c.header)).join(",") + CRLF);
  return {
    get closed() {
      return state.closed;
    },
    async write(rows) {
      if (state.closed) return;
      const chunk = rows.map((r) => csvLine(spec.columns, r)).join("");
      if (!res.write(chunk)) await drainedOrClosed(res);
    },
    async end() {
      if (!state.closed) res.end();
    },
  };
}

function xlsxWriter(res: ServerResponse, spec: SheetSpec): SheetWriter {
  const state = watch(res);
  // streamed: each committed row leaves memory; shared strings would keep every distinct text until the end
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: res,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(spec.sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = spec.columns.map((c, i) => ({
    header: c.header,
    key: String(i),
    width: Math.max(COLUMN_WIDTH[c.kind], c.header.length * 2 + 2),
    style: COLUMN_FORMAT[c.kind] ? { numFmt: COLUMN_FORMAT[c.kind]! } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  const backlog = deflateBacklog(sheet, res);
  return {
    get closed() {
      return state.closed;
    },
    async write(rows) {
      if (state.closed) return;
      for (const cells of rows) addXlsxRow(sheet, spec.columns, cells);
      // deflate takes the sheet's XML at the pace the response drains; the next batch waits for it
      await backlog.settled();
    },
    async end() {
      if (state.closed) return;
      sheet.commit();
      await workbook.commit();
    },
  };
}

/** Sheet buffers (64 KB each) handed to deflate and not yet taken: a few keep deflate busy without a backlog. */
const MAX_PENDING_BUFFERS = 4;

/**
 * exceljs's sheet stream (StreamBuf, batch mode) hands each filled 64 KB buffer to the zip's deflate stream without
 * waiting for it to be taken, and its writer ignores the answer; when deflate or the client falls behind, rows pile
 * up as pending writes (a 1,000,000-line export peaked at 1 GB). Counting those writes lets the export wait for
 * them, so memory holds a few buffers whatever the size of the export or the speed of the client.
 */
function deflateBacklog(sheet: ExcelJS.Worksheet, res: ServerResponse): { settled(): Promise<void> } {
  const stream = (sheet as unknown as { stream: { _pipe(chunk: unknown): Promise<void> } }).stream;
  const pipe = stream._pipe.bind(stream);
  let pending = 0;
  let wake: (() => void) | null = null;
  const release = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  stream._pipe = async (chunk) => {
    pending++;
    try {
      await pipe(chunk);
    } finally {
      pending--;
      if (pending <= MAX_PENDING_BUFFERS) release();
    }
  };
  res.once("close", release);
  return {
    async settled() {
      while (pending > MAX_PENDING_BUFFERS && !res.destroyed && !res.writableEnded) {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}

function addXlsxRow(sheet: ExcelJS.Worksheet, columns: readonly Column[], cells: readonly Cell[]): void {
  const row = sheet.addRow(columns.map((c, i) => xlsxValue(c.kind, cells[i] ?? null)));
  columns.forEach((c, i) => {
    const cell = cells[i];
    if (c.kind === "quantity" && cell)
      row.getCell(i + 1).numFmt = quantityFormat((cell as QuantityCell).scale);
  });
  row.commit();
}

const CONTENT_TYPE: Record<Format, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** Sends the headers and the column row; from here on a failure can only cut the body short. */
export function openSheet(res: ServerResponse, format: Format, spec: SheetSpec): SheetWriter {
  // header values must be plain ASCII; codes are, but nothing enforces it
  const safeName = spec.fileName.replace(/[^A-Za-z0-9._-]/g, "_");
  res.writeHead(200, {
    "content-type": CONTENT_TYPE[format],
    "content-disposition": `attachment; filename="${safeName}.${format}"`,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  return format === "csv" ? csvWriter(res, spec) : xlsxWriter(res, spec);
}

function watch(res: ServerResponse): { closed: boolean } {
  const state = { closed: false };
  // 'close' also fires after a complete response; only an unfinished one means the client left
  res.once("close", () => (state.closed = !res.writableFinished));
  return state;
}

/** Resolves on 'drain', or on 'close' when the client went away and 'drain' would never come. */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });
}

/**
 * Streams batches of rows into a sheet. The first batch is read before the headers go out, so a failing database
 * still gets a proper error status; a failure after that destroys the connection, because a cleanly ended body
 * would pass for a complete file.
 */
export async function streamSheet(
  res: ServerResponse,
  format: Format,
  spec: SheetSpec,
  batches: AsyncIterator<readonly (readonly Cell[])[]> | Iterator<readonly (readonly Cell[])[]>,
  onLateError: (err: unknown) => void,
): Promise<void> {
  let next = await batches.next();
  try {
    const sheet = openSheet(res, format, spec);
    while (!next.done && !sheet.closed) {
      await sheet.write(next.value);
      if (sheet.closed) break;
      next = await batches.next();
    }
    if (sheet.closed) await batches.return?.(undefined);
    else await sheet.end();
  } catch (err) {
    onLateError(err);
    res.destroy();
  }
}
