import { type CalendarDate, parseCalendarDate } from "../shared/calendar.js";
import { undefuse } from "../shared/formulaText.js";

/** A spreadsheet cell as the reader hands it over: text, a number, a truth value, a date cell, or empty. */
export type Cell = string | number | boolean | Date | null;

/** Why a cell could not be read; the row reader turns it into a problem with the cell's place. */
export type ValueFault = "BAD_DATE" | "BAD_QUANTITY" | "NEGATIVE_QUANTITY" | "BAD_NUMBER" | "BAD_YES_NO";

export type Read<T> = { ok: true; value: T } | { ok: false; fault: ValueFault };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const fault = <T>(f: ValueFault): Read<T> => ({ ok: false, fault: f });

/** The cell as text (an exported, defused formula-like text read back as typed): a whole number keeps every digit (a 12-digit division code typed as a number is no 4.11E+11). */
export function cellText(cell: Cell): string {
  if (cell === null) return "";
  if (typeof cell === "number") return Number.isInteger(cell) ? cell.toFixed(0) : String(cell);
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? "" : cell.toISOString().slice(0, 10);
  return undefuse(String(cell).trim());
}

// Excel counts days from 1899-12-30 (its day 60 is the 1900-02-29 that never was; serials from 61 on are right)
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
const DATE_FORMS = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日$/,
];

/**
 * A day in any of the forms county staff write: an Excel date cell, an Excel serial number, 2024-03-15, 2024/3/15
 * or 2024年3月15日. Excel dates carry no time zone: the day shown is the day meant (its UTC fields, never
 * shifted to Beijing time, which would move a date cell's midnight to the day before).
 */
export function readDay(cell: Cell): Read<CalendarDate> {
  if (cell instanceof Date) return dayOf(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate());
  if (typeof cell === "number") {
    if (!Number.isFinite(cell) || cell < 61) return fault("BAD_DATE");
    const d = new Date(EXCEL_EPOCH_MS + Math.floor(cell) * DAY_MS);
    return dayOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  const text = cellText(cell);
  for (const form of DATE_FORMS) {
    const m = form.exec(text);
    if (m) return dayOf(Number(m[1]), Number(m[2]), Number(m[3]));
  }
  return fault("BAD_DATE");
}

function dayOf(year: number, month: number, day: number): Read<CalendarDate> {
  const text = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  const parsed = parseCalendarDate(text);
  return parsed ? ok(parsed) : fault("BAD_DATE");
}

/**
 * A positive quantity as exact decimal text: 12,000 and 12，000.5 lose their thousands separators; a number cell is
 * rounded to 3 decimals first, since 0.1 + 0.2 typed into Excel is stored as 0.30000000000000004.
 */
export function readQuantity(cell: Cell): Read<string> {
  let text: string;
  if (typeof cell === "number") {
    if (!Number.isFinite(cell)) return fault("BAD_QUANTITY");
    text = String(Math.round(cell * 1000) / 1000);
  } else {
    text = cellText(cell).replace(/[,，\s]/g, "");
  }
  if (/^-\d+(\.\d+)?$/.test(text)) return fault("NEGATIVE_QUANTITY");
  if (!/^\d+(\.\d+)?$/.test(text)) return fault("BAD_QUANTITY");
  if (/^0+(\.0+)?$/.test(text)) return fault("BAD_QUANTITY");
  return ok(text);
}

/** A whole number of 0 or more (population, days, minutes); thousands separators allowed. */
export function readWholeNumber(cell: Cell): Read<number> {
  const text = typeof cell === "number" ? String(cell) : cellText(cell).replace(/[,，\s]/g, "");
  if (!/^\d+$/.test(text) || text.length > 12) return fault("BAD_NUMBER");
  return ok(Number(text));
}

const YES = new Set(["是", "y", "yes", "true", "1", "可归还"]);
const NO = new Set(["否", "n", "no", "false", "0", "不可归还", ""]);

/** 是/否 (or yes/no, true/false, 1/0); empty is no. */
export function readYesNo(cell: Cell): Read<boolean> {
  if (typeof cell === "boolean") return ok(cell);
  const text = cellText(cell).toLowerCase();
  if (YES.has(text)) return ok(true);
  if (NO.has(text)) return ok(false);
  return fault("BAD_YES_NO");
}

/** Several values in one cell, separated by 、 or , or ; (half- or full-width), empty parts dropped. */
export function readList(cell: Cell): string[] {
  return cellText(cell)
    .split(/[、,;，；\n]/)
    .map((part) => part.trim())
    .filter((part) => part !== "");
}
