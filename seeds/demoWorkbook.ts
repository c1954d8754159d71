import ExcelJS from "exceljs";
import { STANDARD_UNITS } from "../src/domain/catalogue/standardUnits.js";
import { type SheetName, SHEETS } from "../src/domain/import/sheets.js";
import {
  DEPOT_KIND_LABELS,
  ITEM_CATEGORY_LABELS,
  NORM_BASIS_LABELS,
  REGION_LEVEL_LABELS,
  ROLE_LABELS,
  TRACKING_MODE_LABELS,
} from "../src/domain/shared/labels.js";
import { addImportSheet } from "../src/app/import/template.js";
import { type DemoCounty, demoCounty } from "./demo-county.js";

/** The committed workbook the first start imports; written by `npm run seed:workbook` from seeds/demo-county.ts. */
export const DEMO_WORKBOOK = new URL("./demo-county.xlsx", import.meta.url);

type Row = (string | number)[];

const list = (values: readonly string[] = []): string => values.join("、");
const opt = (n: number | undefined): string | number => n ?? "";

function regionRows(w: DemoCounty): Row[] {
  const { county } = w;
  const linked = (code: string) =>
    list(county.neighbours.filter((n) => n.a === code).map((n) => `${n.b}:${n.travelMinutes}`));
  const level = (l: keyof typeof REGION_LEVEL_LABELS) => REGION_LEVEL_LABELS[l].zh;
  return [
    [county.divisionCode, county.nameZh, county.nameEn, level("COUNTY"), "", county.population, ""],
    ...county.townships.flatMap((t) => [
      [
        t.divisionCode,
        t.nameZh,
        t.nameEn,
        level("TOWNSHIP"),
        county.divisionCode,
        t.population,
        linked(t.divisionCode),
      ],
      ...t.villages.map((v) => [
        v.divisionCode,
        v.nameZh,
        v.nameEn,
        level("VILLAGE"),
        t.divisionCode,
        v.population,
        "",
      ]),
    ]),
  ];
}

const ROWS: Record<SheetName, (w: DemoCounty) => Row[]> = {
  REGIONS: regionRows,
  DEPOTS: (w) =>
    w.depots.map((d) => [
      d.code,
      d.nameZh,
      d.nameEn,
      DEPOT_KIND_LABELS[d.kind].zh,
      d.regionCode,
      d.address,
      d.custodianOrg,
      list(d.keepers),
      opt(d.callUpLeadHours),
    ]),
  PEOPLE: (w) =>
    w.users.flatMap((u) =>
      u.grants.map((g) => [
        u.username,
        u.displayName,
        u.organisation,
        "",
        ROLE_LABELS[g.role].zh,
        g.regionCode,
      ]),
    ),
  ITEMS: (w) =>
    w.items.map((i) => [
      i.code,
      i.nameZh,
      i.nameEn,
      ITEM_CATEGORY_LABELS[i.category].zh,
      STANDARD_UNITS.find((u) => u.code === i.unitCode)?.nameZh ?? i.unitCode,
      TRACKING_MODE_LABELS[i.trackingMode].zh,
      opt(i.shelfLifeDays),
      opt(i.rotationLeadDays),
      opt(i.testRunIntervalDays),
      i.returnable ? "是" : "否",
      "",
      i.description,
    ]),
  NORMS: (w) =>
    w.norms.map((n) => [
      n.itemCode,
      n.regionCode ?? "",
      n.level ? REGION_LEVEL_LABELS[n.level].zh : "",
      NORM_BASIS_LABELS[n.basis].zh,
      Number(n.quantity),
      n.reserveFloor === undefined ? "" : Number(n.reserveFloor),
    ]),
  STOCK: (w) =>
    w.receipts.map((r) => [
      r.depotCode,
      r.itemCode,
      Number(r.quantity),
      r.lotCode,
      r.receivedOn,
      r.expiresOn ?? "",
      list(r.serialNumbers),
      "",
    ]),
};

/** Beside the codes, columns the demo writes as text: dates as the county types them, lists of codes. */
const TEXT_COLUMNS = new Set(["neighbours", "receivedOn", "expiresOn", "serialNumbers"]);

/** Same data, same workbook: the file's own dates are fixed, so only what the county holds tells two versions apart. */
const WRITTEN = new Date("2026-01-01T00:00:00Z");

/** The demo county as a 台账: one sheet per part, in the order the importer applies them, Chinese headers. */
export async function writeDemoWorkbook(world: DemoCounty = demoCounty): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = "reserve-ledger seeds/writeDemoWorkbook.ts";
  wb.created = WRITTEN;
  wb.modified = WRITTEN;
  for (const spec of SHEETS) {
    const ws = addImportSheet(wb, spec);
    spec.columns.forEach((c, i) => {
      if (TEXT_COLUMNS.has(c.key)) ws.getColumn(i + 1).numFmt = "@";
    });
    for (const row of ROWS[spec.name](world)) ws.addRow(row);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
