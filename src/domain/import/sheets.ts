/**
 * The sheets of a 台账 workbook and their columns: the Chinese header county staff write, and English aliases.
 * Headers match whatever their spacing, case or parenthesis width; columns come in any order.
 */
export type SheetName = "REGIONS" | "DEPOTS" | "PEOPLE" | "ITEMS" | "NORMS" | "STOCK";

export interface ColumnSpec<K extends string = string> {
  key: K;
  zh: string;
  en: string;
  aliases?: readonly string[];
  required?: boolean;
}

export interface SheetSpec {
  name: SheetName;
  zh: string;
  en: string;
  columns: readonly ColumnSpec[];
}

/**
 * The 库存 (opening stock) sheet's headers, in their order. The stock export writes exactly these, so an exported
 * sheet imports back as it is.
 */
export const STOCK_SHEET_HEADERS = {
  depotCode: "储备点编码",
  itemCode: "物资编码",
  quantity: "数量",
  lotCode: "批次号",
  receivedOn: "入库日期",
  expiresOn: "有效期至",
  serialNumbers: "序列号",
  condition: "状况",
} as const;

export type StockColumn = keyof typeof STOCK_SHEET_HEADERS;

const STOCK_EN: Record<StockColumn, string> = {
  depotCode: "Depot code",
  itemCode: "Item code",
  quantity: "Quantity",
  lotCode: "Lot code",
  receivedOn: "Received on",
  expiresOn: "Expires on",
  serialNumbers: "Serial numbers",
  condition: "Condition",
};
const STOCK_REQUIRED = new Set<StockColumn>(["depotCode", "itemCode", "quantity", "lotCode", "receivedOn"]);

export const SHEETS: readonly SheetSpec[] = [
  {
    name: "REGIONS",
    zh: "区划",
    en: "Regions",
    columns: [
      { key: "divisionCode", zh: "区划代码", en: "Division code", required: true },
      { key: "nameZh", zh: "名称", en: "Name", aliases: ["区划名称"], required: true },
      { key: "nameEn", zh: "英文名称", en: "English name" },
      { key: "level", zh: "级别", en: "Level" },
      { key: "parentCode", zh: "上级区划代码", en: "Parent code", required: true },
      { key: "population", zh: "人口", en: "Population" },
      { key: "neighbours", zh: "互助乡镇", en: "Mutual aid", aliases: ["neighbours"] },
    ],
  },
  {
    name: "DEPOTS",
    zh: "储备点",
    en: "Depots",
    columns: [
      { key: "code", zh: "储备点编码", en: "Depot code", required: true },
      { key: "nameZh", zh: "名称", en: "Name", aliases: ["储备点名称"], required: true },
      { key: "nameEn", zh: "英文名称", en: "English name" },
      { key: "kind", zh: "类型", en: "Kind", required: true },
      { key: "regionCode", zh: "所属区划代码", en: "Region code", required: true },
      { key: "address", zh: "地址", en: "Address" },
      { key: "custodianOrg", zh: "管理单位", en: "Custodian", required: true },
      { key: "keepers", zh: "保管员", en: "Keepers" },
      { key: "callUpLeadHours", zh: "响应时限(小时)", en: "Call-up lead hours" },
    ],
  },
  {
    name: "PEOPLE",
    zh: "人员",
    en: "People",
    columns: [
      { key: "username", zh: "用户名", en: "Username", required: true },
      { key: "displayName", zh: "姓名", en: "Display name", aliases: ["name"], required: true },
      { key: "organisation", zh: "单位", en: "Organisation", required: true },
      { key: "phone", zh: "电话", en: "Phone" },
      { key: "role", zh: "角色", en: "Role" },
      { key: "regionCode", zh: "授权区划代码", en: "Region code" },
    ],
  },
  {
    name: "ITEMS",
    zh: "物资目录",
    en: "Items",
    columns: [
      { key: "code", zh: "物资编码", en: "Item code", required: true },
      { key: "nameZh", zh: "物资名称", en: "Name", required: true },
      { key: "nameEn", zh: "英文名称", en: "English name" },
      { key: "category", zh: "类别", en: "Category", required: true },
      { key: "unit", zh: "单位", en: "Unit", required: true },
      { key: "trackingMode", zh: "管理方式", en: "Tracking mode", required: true },
      { key: "shelfLifeDays", zh: "保质期(天)", en: "Shelf life days" },
      { key: "rotationLeadDays", zh: "轮换提前期(天)", en: "Rotation lead days" },
      { key: "testRunIntervalDays", zh: "试机间隔(天)", en: "Test run interval days" },
      { key: "returnable", zh: "可归还", en: "Returnable" },
      { key: "classificationCode", zh: "分类代码", en: "Classification code" },
      { key: "description", zh: "说明", en: "Description" },
    ],
  },
  {
    name: "NORMS",
    zh: "储备定额",
    en: "Reserve norms",
    columns: [
      { key: "itemCode", zh: "物资编码", en: "Item code", required: true },
      { key: "regionCode", zh: "区划代码", en: "Region code" },
      { key: "level", zh: "级别", en: "Level" },
      { key: "basis", zh: "定额方式", en: "Basis", required: true },
      { key: "quantity", zh: "定额数量", en: "Quantity", aliases: ["定额"], required: true },
      { key: "reserveFloor", zh: "储备底线", en: "Reserve floor", aliases: ["底线", "floor"] },
    ],
  },
  {
    name: "STOCK",
    zh: "库存",
    en: "Stock",
    columns: (Object.keys(STOCK_SHEET_HEADERS) as StockColumn[]).map((key) => ({
      key,
      zh: STOCK_SHEET_HEADERS[key],
      en: STOCK_EN[key],
      required: STOCK_REQUIRED.has(key),
    })),
  },
];

/** Spacing, case, underscores and full-width parentheses do not make another header. */
export const normaliseHeader = (text: string): string =>
  text
    .replace(/（/g, "(")
    .replace(/）/g, ")")
    .replace(/[\s_-]/g, "")
    .toLowerCase();

const matches = (col: ColumnSpec, header: string): boolean =>
  [col.zh, col.en, col.key, ...(col.aliases ?? [])].some((name) => normaliseHeader(name) === header);

export function sheetByName(text: string): SheetSpec | null {
  const wanted = normaliseHeader(text);
  return (
    SHEETS.find((s) => [s.zh, s.en, s.name].some((n) => normaliseHeader(n) === wanted)) ??
    (wanted === "catalogue" ? SHEETS.find((s) => s.name === "ITEMS")! : null)
  );
}

export interface HeaderMap {
  /** Column key by the cell's position in the row. */
  columns: Map<number, string>;
  /** Headers this sheet does not know: their columns are ignored, with a notice. */
  ignored: string[];
  /** Required columns that are not there. */
  missing: ColumnSpec[];
}

export function mapHeaders(spec: SheetSpec, headers: readonly string[]): HeaderMap {
  const columns = new Map<number, string>();
  const ignored: string[] = [];
  headers.forEach((text, index) => {
    if (text.trim() === "") return;
    const col = spec.columns.find((c) => matches(c, normaliseHeader(text)));
    if (col && ![...columns.values()].includes(col.key)) columns.set(index, col.key);
    else ignored.push(text.trim());
  });
  const found = new Set(columns.values());
  return { columns, ignored, missing: spec.columns.filter((c) => c.required && !found.has(c.key)) };
}

/** The sheet a CSV holds, told by its headers when --sheet does not say: the one matching most of them. */
export function sheetOfHeaders(headers: readonly string[]): SheetSpec | null {
  let best: { spec: SheetSpec; score: number } | null = null;
  for (const spec of SHEETS) {
    const map = mapHeaders(spec, headers);
    const score = map.missing.length === 0 ? map.columns.size : 0;
    if (score > 0 && (!best || score > best.score)) best = { spec, score };
  }
  return best?.spec ?? null;
}

export const columnSpec = (sheet: SheetName, key: string): ColumnSpec | undefined =>
  SHEETS.find((s) => s.name === sheet)?.columns.find((c) => c.key === key);
