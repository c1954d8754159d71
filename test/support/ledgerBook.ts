import ExcelJS from "exceljs";
import { STOCK_SHEET_HEADERS } from "../../src/domain/import/sheets.js";

/**
 * A new county's 台账 as county staff would keep it: 永安县 (411088), six townships of eight villages, people,
 * a small catalogue, a depot per township and two per village group, and opening stock written in every form the
 * import reads (date cells, 2024/3/15, 2024年3月15日, 12,000). Built here, never by hand.
 */
export type Row = (string | number | Date | null)[];
export interface Sheet {
  name: string;
  headers: string[];
  rows: Row[];
}

export const COUNTY = "411088000000";
export const ADMIN = "other.admin";
export const OFFICER = "ya.officer";

const township = (t: number) => `411088${100 + t}000`;
const village = (t: number, v: number) => `${township(t).slice(0, 9)}${String(200 + v)}`;
const depotCode = (t: number, n: number) => `YA-${t}-${n}`;

export const ITEMS: Row[] = [
  ["YA_BAG", "编织袋", "Woven bag", "防汛物资", "件", "散装", null, null, null, "否"],
  ["YA_CEMENT", "水泥", "Cement", "抢险材料", "吨", "散装", null, null, null, "否"],
  ["YA_MEDKIT", "急救包", "First-aid kit", "医疗防疫", "件", "按批次", 730, 60, null, "否"],
  ["YA_GEN", "发电机", "Generator", "电力设备", "台", "按序列号", null, null, 90, "是"],
  ["YA_JACKET", "救生衣", "Life jacket", "救生器材", "piece", "散装", null, null, null, "是"],
];

export function countyBook(): Sheet[] {
  const regions: Row[] = [[COUNTY, "永安县", "Yong'an County", "县", "", 300000, ""]];
  const people: Row[] = [[OFFICER, "永安县应急局", "永安县应急管理局", "", "县民政/应急局", COUNTY]];
  const depots: Row[] = [
    [
      "YA-C",
      "永安县救灾物资储备库",
      "County warehouse",
      "县级仓库",
      COUNTY,
      "永安县建设路1号",
      "永安县应急管理局",
      "ya.keeper.c",
      null,
    ],
  ];
  people.push(["ya.keeper.c", "县库保管员", "永安县应急管理局", "", "", ""]);
  for (let t = 1; t <= 6; t += 1) {
    const neighbour = t < 6 ? `${township(t + 1)}:${20 + t}` : "";
    regions.push([
      township(t),
      `永安第${t}镇`,
      `Yong'an Town ${t}`,
      "乡镇",
      COUNTY,
      30000 + t * 1000,
      neighbour,
    ]);
    for (let v = 1; v <= 8; v += 1)
      regions.push([village(t, v), `第${t}镇${v}村`, "", "村", township(t), 1000 + v * 10, ""]);
    people.push([
      `ya.officer.${t}`,
      `${t}镇应急办`,
      `永安第${t}镇人民政府`,
      "0371-5550000",
      "乡镇应急办",
      township(t),
    ]);
    people.push([`ya.keeper.${t}`, `${t}镇保管员`, `永安第${t}镇人民政府`, "", "", ""]);
    depots.push([
      depotCode(t, 0),
      `第${t}镇储备点`,
      "",
      "乡镇储备点",
      township(t),
      "",
      `永安第${t}镇人民政府`,
      `ya.keeper.${t}`,
      null,
    ]);
    for (const v of [1, 2])
      depots.push([
        depotCode(t, v),
        `第${t}镇${v}村存放点`,
        "",
        "村级储备点",
        village(t, v),
        "",
        `第${t}镇${v}村村委会`,
        `ya.keeper.${t}`,
        null,
      ]);
  }
  return [
    {
      name: "区划",
      headers: ["区划代码", "名称", "英文名称", "级别", "上级区划代码", "人口", "互助乡镇"],
      rows: regions,
    },
    { name: "人员", headers: ["用户名", "姓名", "单位", "电话", "角色", "授权区划代码"], rows: people },
    {
      name: "物资目录",
      headers: [
        "物资编码",
        "物资名称",
        "英文名称",
        "类别",
        "单位",
        "管理方式",
        "保质期(天)",
        "轮换提前期(天)",
        "试机间隔(天)",
        "可归还",
      ],
      rows: ITEMS,
    },
    {
      name: "储备点",
      headers: [
        "储备点编码",
        "名称",
        "英文名称",
        "类型",
        "所属区划代码",
        "地址",
        "管理单位",
        "保管员",
        "响应时限(小时)",
      ],
      rows: depots,
    },
    { name: "库存", headers: [...Object.values(STOCK_SHEET_HEADERS), "物资名称"], rows: stockRows(depots) },
  ];
}

/** Twelve lots per depot, dates and quantities in every form a 台账 holds them. */
function stockRows(depots: Row[]): Row[] {
  const rows: Row[] = [];
  for (const [d, depot] of depots.entries()) {
    const code = String(depot[0]);
    for (let n = 0; n < 12; n += 1) {
      const day = 1 + ((d + n) % 27);
      const received: Row[number] = [
        new Date(Date.UTC(2024, 2, day)),
        `2024/3/${day}`,
        `2024年3月${day}日`,
        `2024-03-${String(day).padStart(2, "0")}`,
      ][n % 4]!;
      const kind = n % 5;
      if (kind === 0)
        rows.push([
          code,
          "YA_BAG",
          n % 2 ? "12,000" : 12000 + d,
          `B${d}-${n}`,
          received,
          null,
          null,
          "完好",
          "编织袋",
        ]);
      if (kind === 1)
        rows.push([code, "YA_CEMENT", (d + n) * 0.5 + 0.125, `C${d}-${n}`, received, null, null, "", "水泥"]);
      if (kind === 2)
        rows.push([
          code,
          "YA_MEDKIT",
          40 + n,
          `M${d}-${n}`,
          received,
          "2027/3/1",
          null,
          n % 3 === 0 ? "待检" : "完好",
          "急救包",
        ]);
      if (kind === 3)
        rows.push([
          code,
          "YA_GEN",
          2,
          `G${d}-${n}`,
          received,
          null,
          `SN${d}-${n}-A、SN${d}-${n}-B`,
          "",
          "发电机",
        ]);
      if (kind === 4)
        rows.push([code, "YA_JACKET", "1,250", `J${d}-${n}`, received, null, null, "损坏", "救生衣"]);
    }
  }
  return rows;
}

export async function workbookOf(sheets: Sheet[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    ws.addRow(s.headers);
    for (const r of s.rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Every opening balance the book holds, per depot and item, in thousandths (exact). */
export function expectedBalances(sheets: Sheet[]): Map<string, bigint> {
  const stock = sheets.find((s) => s.name === "库存")!;
  const out = new Map<string, bigint>();
  for (const r of stock.rows) {
    const q =
      typeof r[2] === "number" ? Math.round(r[2] * 1000) : Number(String(r[2]).replace(/,/g, "")) * 1000;
    const k = `${r[0]}|${r[1]}`;
    out.set(k, (out.get(k) ?? 0n) + BigInt(q));
  }
  return out;
}

export const rowCount = (sheets: Sheet[]) => sheets.reduce((n, s) => n + s.rows.length, 0);
