import type { DomainErrorCode } from "../shared/errors.js";
import type { ValueFault } from "./values.js";

/**
 * What can be wrong with a 台账: a cell that cannot be read (ValueFault), a reference to nothing, or a refusal
 * of the use case that applied the row (the closed vocabulary of src/domain/shared/errors.ts).
 */
export type ImportProblemCode =
  | ValueFault
  | DomainErrorCode
  | "MISSING_VALUE"
  | "MISSING_COLUMN"
  | "UNKNOWN_WORD"
  | "UNKNOWN_UNIT"
  | "UNKNOWN_REGION"
  | "UNKNOWN_DEPOT"
  | "UNKNOWN_ITEM"
  | "UNKNOWN_USER"
  | "DUPLICATE_ROW"
  | "DUPLICATE_SERIAL"
  | "SERIAL_COUNT"
  | "NORM_SCOPE"
  | "UNKNOWN_SHEET"
  | "UNREADABLE_FILE";

export interface Message {
  zh: string;
  en: string;
}

/** One problem at one cell (or one row, or one sheet): everything a person needs to find and fix it. */
export interface ImportProblem {
  /** The sheet's Chinese name (区划, 储备点, 人员, 物资目录, 储备定额, 库存). */
  sheet: string;
  /** The row as the spreadsheet numbers it (the header is row 1); 0 for the sheet as a whole. */
  row: number;
  /** The column's header as the sheet defines it (Chinese); empty for a whole row. */
  column: string;
  value: string;
  code: ImportProblemCode;
  message: Message;
}

const TEXT: Partial<Record<ImportProblemCode, (v: string) => Message>> = {
  BAD_DATE: (v) => ({
    zh: `“${v}”不是日期（可写 2024-03-15、2024/3/15、2024年3月15日 或 Excel 日期）`,
    en: `"${v}" is not a date (write 2024-03-15, 2024/3/15, 2024年3月15日 or an Excel date)`,
  }),
  BAD_QUANTITY: (v) => ({ zh: `“${v}”不是大于零的数量`, en: `"${v}" is not a quantity above zero` }),
  NEGATIVE_QUANTITY: (v) => ({ zh: `数量“${v}”为负数`, en: `the quantity "${v}" is negative` }),
  BAD_NUMBER: (v) => ({ zh: `“${v}”不是非负整数`, en: `"${v}" is not a whole number of 0 or more` }),
  BAD_YES_NO: (v) => ({ zh: `“${v}”应为“是”或“否”`, en: `"${v}" should be 是 (yes) or 否 (no)` }),
  MISSING_VALUE: () => ({ zh: "此项必填", en: "this cell must not be empty" }),
  MISSING_COLUMN: (v) => ({ zh: `缺少“${v}”列`, en: `the column "${v}" is missing` }),
  UNKNOWN_WORD: (v) => ({ zh: `不认识“${v}”`, en: `"${v}" is not one of the words this column takes` }),
  UNKNOWN_UNIT: (v) => ({ zh: `没有名为“${v}”的计量单位`, en: `there is no unit "${v}"` }),
  UNKNOWN_REGION: (v) => ({ zh: `本县没有区划代码 ${v}`, en: `the county has no region ${v}` }),
  UNKNOWN_DEPOT: (v) => ({ zh: `本县没有储备点“${v}”`, en: `the county has no depot "${v}"` }),
  UNKNOWN_ITEM: (v) => ({ zh: `物资目录中没有“${v}”`, en: `the catalogue has no item "${v}"` }),
  UNKNOWN_USER: (v) => ({ zh: `“${v}”不是本县的用户`, en: `"${v}" is not a user of the county` }),
  DUPLICATE_ROW: (v) => ({ zh: `“${v}”在本表中出现了两次`, en: `"${v}" appears twice in this sheet` }),
  DUPLICATE_SERIAL: (v) => ({ zh: `序列号“${v}”重复`, en: `the serial number "${v}" appears twice` }),
  SERIAL_COUNT: (v) => ({
    zh: `按台件管理的物资须每件一个序列号（数量 ${v}）`,
    en: `a serialised item needs one serial number per unit (quantity ${v})`,
  }),
  NORM_SCOPE: () => ({
    zh: "定额须且只须写区划代码或级别之一",
    en: "a norm names either a region code or a level, exactly one of them",
  }),
  UNKNOWN_SHEET: (v) => ({ zh: `不认识工作表“${v}”`, en: `"${v}" is not a sheet of the 台账` }),
  UNREADABLE_FILE: (v) => ({ zh: `无法读取文件：${v}`, en: `the file cannot be read: ${v}` }),
  DIVISION_CODE_NOT_UNDER_PARENT: (v) => ({
    zh: `区划代码 ${v} 不在其上级区划之下`,
    en: `the division code ${v} is not under its parent's`,
  }),
  DUPLICATE: (v) => ({ zh: `“${v}”已存在`, en: `"${v}" already exists` }),
};

/** The words of a problem; a use case's refusal keeps its own English words beside a Chinese lead. */
export function messageOf(code: ImportProblemCode, value: string, refusal?: string): Message {
  const known = TEXT[code];
  if (known && !refusal) return known(value);
  return { zh: `未通过：${refusal ?? code}（${code}）`, en: refusal ?? code };
}
