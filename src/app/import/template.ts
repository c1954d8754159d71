import ExcelJS from "exceljs";
import { SHEETS, type SheetName } from "../../domain/import/sheets.js";
import {
  DEPOT_KIND_LABELS,
  ITEM_CATEGORY_LABELS,
  type Labels,
  LOT_CONDITION_LABELS,
  NORM_BASIS_LABELS,
  REGION_LEVEL_LABELS,
  ROLE_LABELS,
  TRACKING_MODE_LABELS,
} from "../../domain/shared/labels.js";

/** One example row per sheet: 城关镇's 台账 as the template shows it. Codes are text, so Excel keeps every digit. */
const EXAMPLES: Record<SheetName, (string | number)[]> = {
  REGIONS: ["130123101000", "城关镇", "Chengguan Town", "乡镇", "130123000000", 80000, "130123102000:25"],
  DEPOTS: [
    "CG-01",
    "城关镇储备点",
    "Chengguan depot",
    "乡镇储备点",
    "130123101000",
    "城关镇人民路88号",
    "城关镇人民政府",
    "cg.keeper",
    "",
  ],
  PEOPLE: ["cg.officer", "张伟", "城关镇人民政府", "0311-55550000", "乡镇应急办", "130123101000"],
  ITEMS: ["WOVEN_BAG", "编织袋", "Woven bag", "防汛物资", "件", "散装", "", "", "", "否", "", "装土作沙袋用"],
  NORMS: ["WOVEN_BAG", "", "乡镇", "每千人", "250", "2000"],
  STOCK: ["CG-01", "WOVEN_BAG", "20,000", "2024-CG-001", "2024/3/15", "", "", "完好"],
};

/** Which closed list feeds each column's drop-down. */
const LISTS: Record<string, Labels<string>> = {
  level: REGION_LEVEL_LABELS,
  kind: DEPOT_KIND_LABELS,
  role: ROLE_LABELS,
  category: ITEM_CATEGORY_LABELS,
  trackingMode: TRACKING_MODE_LABELS,
  condition: LOT_CONDITION_LABELS,
  basis: NORM_BASIS_LABELS,
};

/** Columns of codes: a workbook marks them text ("@"), so Excel keeps every digit of a division or lot code. */
const CODE_COLUMNS: ReadonlySet<string> = new Set([
  "divisionCode",
  "parentCode",
  "regionCode",
  "code",
  "depotCode",
  "itemCode",
  "lotCode",
]);
const LAST_ROW = 5000;

/** A sheet of the 台账 as every workbook here writes it: Chinese headers in bold, widths to fit, codes as text. */
export function addImportSheet(wb: ExcelJS.Workbook, spec: (typeof SHEETS)[number]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(spec.zh);
  ws.columns = spec.columns.map((c) => ({ header: c.zh, key: c.key, width: Math.max(12, c.zh.length * 3) }));
  ws.getRow(1).font = { bold: true };
  spec.columns.forEach((c, i) => {
    if (CODE_COLUMNS.has(c.key)) ws.getColumn(i + 1).numFmt = "@";
  });
  return ws;
}
const OPTIONS = "选项";

/**
 * An empty 台账: every sheet with its headers, one example row, and drop-down lists (kinds, units, categories,
 * conditions, roles, levels) from the shared words, so what is picked is what the import reads back.
 */
export async function writeTemplate(unitNames: readonly string[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ranges = new Map<string, string>();
  const columns = [
    ...Object.entries(LISTS).map(([key, labels]) => [key, Object.values(labels).map((l) => l.zh)] as const),
    ["unit", unitNames] as const,
  ];
  columns.forEach(([key, words], i) => {
    const letter = String.fromCharCode(65 + i);
    ranges.set(key, `'${OPTIONS}'!$${letter}$1:$${letter}$${Math.max(words.length, 1)}`);
  });
  for (const spec of SHEETS) {
    const ws = addImportSheet(wb, spec);
    ws.addRow(EXAMPLES[spec.name]);
    spec.columns.forEach((c, i) => {
      const column = ws.getColumn(i + 1);
      const range = ranges.get(c.key);
      if (!range) return;
      const letter = column.letter;
      // exceljs 4.4 types dataValidations.add, which it implements; a range keeps the file small
      (
        ws as unknown as { dataValidations: { add(r: string, v: ExcelJS.DataValidation): void } }
      ).dataValidations.add(`${letter}2:${letter}${LAST_ROW}`, {
        type: "list",
        allowBlank: true,
        formulae: [range],
        showErrorMessage: true,
        errorTitle: c.zh,
        error: `请从下拉列表中选择${c.zh}`,
      });
    });
  }
  // the words behind the drop-downs, last and hidden; the import passes over hidden sheets
  const lists = wb.addWorksheet(OPTIONS, { state: "hidden" });
  columns.forEach(([, words], i) => {
    words.forEach((w, r) => (lists.getCell(`${String.fromCharCode(65 + i)}${r + 1}`).value = w));
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
