import type { ItemCategory, TrackingMode } from "../catalogue/item.js";
import type { NormBasis } from "../coverage/norm.js";
import type { Role } from "../custody/roles.js";
import type { DepotKind, RegionLevel } from "../region/region.js";
import type { CalendarDate } from "../shared/calendar.js";
import {
  codeOf,
  DEPOT_KIND_LABELS,
  ITEM_CATEGORY_LABELS,
  LOT_CONDITION_LABELS,
  type Labels,
  NORM_BASIS_LABELS,
  REGION_LEVEL_LABELS,
  ROLE_LABELS,
  TRACKING_MODE_LABELS,
} from "../shared/labels.js";
import type { LotCondition } from "../stock/lot.js";
import { type ImportProblem, type ImportProblemCode, messageOf } from "./problems.js";
import { columnSpec, type SheetName, SHEETS } from "./sheets.js";
import {
  type Cell,
  cellText,
  type Read,
  readDay,
  readList,
  readQuantity,
  readWholeNumber,
  readYesNo,
} from "./values.js";

/** One data row of a sheet: its number as the spreadsheet shows it and its cells by column key. */
export interface RawRow {
  row: number;
  cells: Readonly<Record<string, Cell>>;
}

/** Reads one row's cells, noting a problem for every cell that cannot be read instead of stopping at the first. */
export class RowReader {
  readonly problems: ImportProblem[] = [];
  constructor(
    readonly sheet: SheetName,
    readonly raw: RawRow,
  ) {}

  problem(key: string, code: ImportProblemCode, value = this.text(key), refusal?: string): void {
    this.problems.push(problemAt(this.sheet, this.raw.row, key, value, code, refusal));
  }

  text(key: string): string {
    return cellText(this.raw.cells[key] ?? null);
  }

  required(key: string): string {
    const text = this.text(key);
    if (text === "") this.problem(key, "MISSING_VALUE", "");
    return text;
  }

  /** A 12-digit division code; its significant digits alone (6 for a county, 9 for a township) are enough. */
  divisionCode(key: string, required = true): string {
    const text = required ? this.required(key) : this.text(key);
    return /^\d{6}$|^\d{9}$/.test(text) ? text.padEnd(12, "0") : text;
  }

  word<C extends string>(labels: Labels<C>, key: string, required = true): C | null {
    const text = required ? this.required(key) : this.text(key);
    if (text === "") return null;
    const code = codeOf(labels, text);
    if (code === null) this.problem(key, "UNKNOWN_WORD");
    return code;
  }

  read<T>(key: string, reader: (cell: Cell) => Read<T>, required: boolean): T | null {
    const cell = this.raw.cells[key] ?? null;
    if (cellText(cell) === "") {
      if (required) this.problem(key, "MISSING_VALUE", "");
      return null;
    }
    const r = reader(cell);
    if (r.ok) return r.value;
    this.problem(key, r.fault);
    return null;
  }
}

export function problemAt(
  sheet: SheetName,
  row: number,
  key: string,
  value: string,
  code: ImportProblemCode,
  refusal?: string,
): ImportProblem {
  return {
    sheet: SHEETS.find((s) => s.name === sheet)!.zh,
    row,
    column: columnSpec(sheet, key)?.zh ?? "",
    value,
    code,
    message: messageOf(code, value, refusal),
  };
}

export interface RegionLine {
  row: number;
  divisionCode: string;
  nameZh: string;
  nameEn: string;
  level: RegionLevel | null;
  parentCode: string;
  population: number;
  /** Mutual-aid partners by division code, with the travel time in minutes when given (代码:分钟). */
  neighbours: { code: string; travelMinutes: number | null }[];
}

export function readRegion(r: RowReader): RegionLine {
  const neighbours = readList(r.raw.cells.neighbours ?? null).map((part) => {
    const [code = "", minutes] = part.split(/[:：]/).map((s) => s.trim());
    const travel = minutes === undefined ? null : readWholeNumber(minutes);
    if (travel && !travel.ok) r.problem("neighbours", "BAD_NUMBER", part);
    return {
      code: /^\d{9}$/.test(code) ? code.padEnd(12, "0") : code,
      travelMinutes: travel?.ok ? travel.value : null,
    };
  });
  return {
    row: r.raw.row,
    divisionCode: r.divisionCode("divisionCode"),
    nameZh: r.required("nameZh"),
    nameEn: r.text("nameEn"),
    level: r.word(REGION_LEVEL_LABELS, "level", false),
    parentCode: r.divisionCode("parentCode"),
    population: r.read("population", readWholeNumber, false) ?? 0,
    neighbours,
  };
}

export interface DepotLine {
  row: number;
  code: string;
  nameZh: string;
  nameEn: string;
  kind: DepotKind | null;
  regionCode: string;
  address: string;
  custodianOrg: string;
  keepers: string[];
  callUpLeadHours: number | null;
}

export function readDepot(r: RowReader): DepotLine {
  return {
    row: r.raw.row,
    code: r.required("code"),
    nameZh: r.required("nameZh"),
    nameEn: r.text("nameEn"),
    kind: r.word(DEPOT_KIND_LABELS, "kind"),
    regionCode: r.divisionCode("regionCode"),
    address: r.text("address"),
    custodianOrg: r.required("custodianOrg"),
    keepers: readList(r.raw.cells.keepers ?? null).map((u) => u.toLowerCase()),
    callUpLeadHours: r.read("callUpLeadHours", readWholeNumber, false),
  };
}

export interface PersonLine {
  row: number;
  username: string;
  displayName: string;
  organisation: string;
  phone: string;
  role: Role | null;
  regionCode: string;
}

export function readPerson(r: RowReader): PersonLine {
  const role = r.word(ROLE_LABELS, "role", false);
  const regionCode = r.divisionCode("regionCode", false);
  if (role && regionCode === "") r.problem("regionCode", "MISSING_VALUE", "");
  return {
    row: r.raw.row,
    username: r.required("username").toLowerCase(),
    displayName: r.required("displayName"),
    organisation: r.required("organisation"),
    phone: r.text("phone"),
    role,
    regionCode,
  };
}

export interface ItemLine {
  row: number;
  code: string;
  nameZh: string;
  nameEn: string;
  category: ItemCategory | null;
  /** As written: a unit's Chinese name or its code, resolved against the catalogue. */
  unit: string;
  trackingMode: TrackingMode | null;
  shelfLifeDays: number | null;
  rotationLeadDays: number | null;
  testRunIntervalDays: number | null;
  returnable: boolean;
  classificationCode: string;
  description: string;
}

export function readItem(r: RowReader): ItemLine {
  return {
    row: r.raw.row,
    code: r.required("code"),
    nameZh: r.required("nameZh"),
    nameEn: r.text("nameEn"),
    category: r.word(ITEM_CATEGORY_LABELS, "category"),
    unit: r.required("unit"),
    trackingMode: r.word(TRACKING_MODE_LABELS, "trackingMode"),
    shelfLifeDays: r.read("shelfLifeDays", readWholeNumber, false),
    rotationLeadDays: r.read("rotationLeadDays", readWholeNumber, false),
    testRunIntervalDays: r.read("testRunIntervalDays", readWholeNumber, false),
    returnable: r.read("returnable", readYesNo, false) ?? false,
    classificationCode: r.text("classificationCode"),
    description: r.text("description"),
  };
}

/** A reserve norm (储备定额): for one region by its division code, or for every region of a level. */
export interface NormLine {
  row: number;
  itemCode: string;
  regionCode: string;
  level: RegionLevel | null;
  basis: NormBasis | null;
  /** Exact decimal text: units, or units per 1,000 residents. */
  quantity: string | null;
  /** Empty is no floor. */
  reserveFloor: string | null;
}

export function readNorm(r: RowReader): NormLine {
  return {
    row: r.raw.row,
    itemCode: r.required("itemCode"),
    regionCode: r.divisionCode("regionCode", false),
    level: r.word(REGION_LEVEL_LABELS, "level", false),
    basis: r.word(NORM_BASIS_LABELS, "basis"),
    quantity: r.read("quantity", readQuantity, true),
    reserveFloor: r.read("reserveFloor", readQuantity, false),
  };
}

export interface StockLine {
  row: number;
  depotCode: string;
  itemCode: string;
  quantity: string | null;
  lotCode: string;
  receivedOn: CalendarDate | null;
  expiresOn: CalendarDate | null;
  serialNumbers: string[];
  condition: LotCondition | null;
}

export function readStock(r: RowReader): StockLine {
  return {
    row: r.raw.row,
    depotCode: r.required("depotCode"),
    itemCode: r.required("itemCode"),
    quantity: r.read("quantity", readQuantity, true),
    lotCode: r.required("lotCode"),
    receivedOn: r.read("receivedOn", readDay, true),
    expiresOn: r.read("expiresOn", readDay, false),
    serialNumbers: readList(r.raw.cells.serialNumbers ?? null),
    condition: r.word(LOT_CONDITION_LABELS, "condition", false),
  };
}
