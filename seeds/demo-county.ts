import { STANDARD_UNITS } from "../src/domain/catalogue/standardUnits.js";
import type { WorldSeed } from "./world.js";

/**
 * The demo county: a fictional 清河县 in Henan (division codes 411099…, plates 豫Q). The first township,
 * 城关镇, holds exactly the flood-control reserve from the work summary in DOMAIN.md; the rest is smaller and
 * varied, and a few lots are expired or close to expiry so readiness reports have something to find.
 * Everything below is deterministic: the same file always loads the same world.
 */

type Depot = WorldSeed["depots"][number];
type User = WorldSeed["users"][number];
/**
 * Opening stock as the 库存 sheet holds it: the import records every row as an OPENING_BALANCE receipt by the
 * county's administrator (docs/decisions.md 31, 42), so a row says no source, reason or recorder of its own.
 */
export type OpeningStock = Omit<WorldSeed["receipts"][number], "source" | "reason" | "recordedBy">;
type Receipt = OpeningStock;

/** The demo county as seeds/writeDemoWorkbook.ts writes it into seeds/demo-county.xlsx. */
export type DemoCounty = Omit<WorldSeed, "receipts"> & { receipts: OpeningStock[] };
type Role = User["grants"][number]["role"];

const COUNTY_CODE = "411099000000";

/** A township as written here; villages are [nameZh, nameEn, population], the first `points` keep a depot. */
interface TownshipDef {
  key: string;
  nameZh: string;
  nameEn: string;
  population: number;
  address: string;
  officer: string;
  keeper: string;
  points: number;
  villages: [string, string, number][];
}

const TOWNSHIPS: TownshipDef[] = [
  {
    key: "chengguan",
    nameZh: "城关镇",
    nameEn: "Chengguan Town",
    population: 80000,
    address: "清河县城关镇人民路88号",
    officer: "张伟",
    keeper: "刘国栋",
    points: 3,
    villages: [
      ["东关村", "Dongguan Village", 3800],
      ["西关村", "Xiguan Village", 3500],
      ["南街村", "Nanjie Village", 2900],
      ["北街村", "Beijie Village", 2600],
      ["孙庄村", "Sunzhuang Village", 1900],
      ["刘寨村", "Liuzhai Village", 1500],
    ],
  },
  {
    key: "hekou",
    nameZh: "河口镇",
    nameEn: "Hekou Town",
    population: 62000,
    address: "清河县河口镇滨河路16号",
    officer: "孙丽",
    keeper: "周海军",
    points: 3,
    villages: [
      ["河口村", "Hekou Village", 3200],
      ["渡口村", "Dukou Village", 2400],
      ["沙湾村", "Shawan Village", 1800],
      ["堤南村", "Dinan Village", 1600],
      ["马庄村", "Mazhuang Village", 1200],
    ],
  },
  {
    key: "liulin",
    nameZh: "柳林乡",
    nameEn: "Liulin Township",
    population: 38000,
    address: "清河县柳林乡政府街9号",
    officer: "吴振华",
    keeper: "郑大勇",
    points: 2,
    villages: [
      ["柳林村", "Liulin Village", 2500],
      ["前柳村", "Qianliu Village", 1700],
      ["后柳村", "Houliu Village", 1400],
      ["杨树湾村", "Yangshuwan Village", 900],
    ],
  },
  {
    key: "shiqiao",
    nameZh: "石桥镇",
    nameEn: "Shiqiao Town",
    population: 55000,
    address: "清河县石桥镇建设街21号",
    officer: "冯建平",
    keeper: "何春生",
    points: 2,
    villages: [
      ["石桥村", "Shiqiao Village", 3100],
      ["桥东村", "Qiaodong Village", 2200],
      ["桥西村", "Qiaoxi Village", 2000],
      ["高岗村", "Gaogang Village", 1300],
      ["龙王庙村", "Longwangmiao Village", 1100],
    ],
  },
  {
    key: "yanghu",
    nameZh: "杨湖乡",
    nameEn: "Yanghu Township",
    population: 34000,
    address: "清河县杨湖乡湖滨路3号",
    officer: "马红梅",
    keeper: "朱永福",
    points: 2,
    villages: [
      ["杨湖村", "Yanghu Village", 2300],
      ["湖滨村", "Hubin Village", 1800],
      ["苇塘村", "Weitang Village", 1000],
    ],
  },
  {
    key: "wangdian",
    nameZh: "王店镇",
    nameEn: "Wangdian Town",
    population: 47000,
    address: "清河县王店镇中心街45号",
    officer: "胡晓东",
    keeper: "郭长青",
    points: 2,
    villages: [
      ["王店村", "Wangdian Village", 2700],
      ["前王村", "Qianwang Village", 1900],
      ["后王村", "Houwang Village", 1600],
      ["黄庄村", "Huangzhuang Village", 1200],
    ],
  },
  {
    key: "maying",
    nameZh: "马营乡",
    nameEn: "Maying Township",
    population: 29000,
    address: "清河县马营乡马营街12号",
    officer: "林淑芬",
    keeper: "高明亮",
    points: 2,
    villages: [
      ["马营村", "Maying Village", 2100],
      ["东营村", "Dongying Village", 1500],
      ["西营村", "Xiying Village", 1300],
      ["小李庄村", "Xiaolizhuang Village", 800],
    ],
  },
  {
    key: "baisha",
    nameZh: "白沙乡",
    nameEn: "Baisha Township",
    population: 31000,
    address: "清河县白沙乡沙河路7号",
    officer: "罗志刚",
    keeper: "梁宝山",
    points: 2,
    villages: [
      ["白沙村", "Baisha Village", 2200],
      ["沙岗村", "Shagang Village", 1700],
      ["河湾村", "Hewan Village", 1400],
    ],
  },
  {
    key: "zhangji",
    nameZh: "张集镇",
    nameEn: "Zhangji Town",
    population: 52000,
    address: "清河县张集镇集贸街30号",
    officer: "宋玉兰",
    keeper: "唐运来",
    points: 2,
    villages: [
      ["张集村", "Zhangji Village", 3000],
      ["南张村", "Nanzhang Village", 2100],
      ["北张村", "Beizhang Village", 1800],
      ["陈楼村", "Chenlou Village", 1500],
      ["郭庄村", "Guozhuang Village", 1000],
    ],
  },
  {
    key: "lizhai",
    nameZh: "李寨乡",
    nameEn: "Lizhai Township",
    population: 26000,
    address: "清河县李寨乡寨南路5号",
    officer: "许文斌",
    keeper: "韩金锁",
    points: 2,
    villages: [
      ["李寨村", "Lizhai Village", 2000],
      ["前李村", "Qianli Village", 1500],
      ["赵庄村", "Zhaozhuang Village", 1100],
    ],
  },
];

/** Mutual-aid links between townships (by key) with travel time in minutes; 城关镇 is the regional centre. */
const NEIGHBOURS: [string, string, number][] = [
  ["chengguan", "hekou", 20],
  ["chengguan", "liulin", 25],
  ["chengguan", "shiqiao", 30],
  ["chengguan", "wangdian", 35],
  ["chengguan", "baisha", 40],
  ["hekou", "yanghu", 25],
  ["hekou", "liulin", 30],
  ["liulin", "baisha", 45],
  ["shiqiao", "yanghu", 50],
  ["shiqiao", "zhangji", 28],
  ["wangdian", "zhangji", 33],
  ["wangdian", "maying", 22],
  ["wangdian", "lizhai", 38],
  ["maying", "baisha", 42],
  ["maying", "lizhai", 55],
  ["zhangji", "lizhai", 65],
];

// ---- codes and small deterministic helpers ----

const townshipCode = (i: number): string => `411099${100 + i}000`;
const villageCode = (i: number, j: number): string => `411099${100 + i}${201 + j}`;
const tdCode = (t: TownshipDef): string => `TD-${t.key.toUpperCase()}`;
const vpCode = (t: TownshipDef, i: number, j: number): string =>
  `VP-${t.key.toUpperCase()}-${villageCode(i, j).slice(9)}`;
const keeperOf = (t: TownshipDef): string => `${t.key}.keeper`;
const pad = (n: number): string => String(n).padStart(2, "0");

function codeOf(key: string): string {
  const i = TOWNSHIPS.findIndex((t) => t.key === key);
  if (i < 0) throw new Error(`demo county names unknown township ${key}`);
  return townshipCode(i);
}

/** Calendar arithmetic on YYYY-MM-DD in UTC, so the result never depends on the machine's zone. */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** `count` serial numbers: prefix followed by a zero-padded running number. */
function serials(prefix: string, from: number, count: number, width: number): string[] {
  return Array.from({ length: count }, (_, k) => `${prefix}${String(from + k).padStart(width, "0")}`);
}

const roundTo = (n: number, step: number): number => Math.max(step, Math.round(n / step) * step);

type Extra = Partial<Pick<Receipt, "expiresOn" | "serialNumbers">>;

/** Opening stock at one depot. */
function at(depotCode: string) {
  return (
    itemCode: string,
    quantity: number | string,
    lotCode: string,
    receivedOn: string,
    extra: Extra = {},
  ): Receipt => ({
    depotCode,
    itemCode,
    quantity: String(quantity),
    lotCode,
    receivedOn,
    ...extra,
  });
}

// ---- people ----

const user = (
  username: string,
  displayName: string,
  organisation: string,
  role: Role,
  regionCode: string,
): User => ({
  username,
  displayName,
  organisation,
  grants: [{ role, regionCode }],
});

const users: User[] = [
  user("county.officer", "王建国", "清河县应急管理局", "COUNTY_OFFICER", COUNTY_CODE),
  user("county.officer2", "李秀英", "清河县民政局", "COUNTY_OFFICER", COUNTY_CODE),
  user("auditor", "赵敏", "清河县审计局", "AUDITOR", COUNTY_CODE),
  user("county.admin", "孙立华", "清河县应急管理局", "COUNTY_ADMIN", COUNTY_CODE),
  user("county.keeper", "陈志强", "清河县应急管理局", "KEEPER", COUNTY_CODE),
  ...TOWNSHIPS.flatMap((t, i) => [
    user(`${t.key}.officer`, t.officer, `${t.nameZh}应急办`, "TOWNSHIP_OFFICER", townshipCode(i)),
    user(keeperOf(t), t.keeper, `${t.nameZh}应急办`, "KEEPER", townshipCode(i)),
  ]),
];

// ---- depots ----

const countyDepots: Depot[] = [
  {
    code: "CW-01",
    regionCode: COUNTY_CODE,
    kind: "COUNTY_WAREHOUSE",
    nameZh: "清河县应急物资储备库",
    nameEn: "Qinghe County Emergency Supply Warehouse",
    address: "清河县城关镇建设路168号",
    custodianOrg: "清河县应急管理局",
    keepers: ["county.keeper"],
  },
  {
    code: "AS-SHUNDA",
    regionCode: COUNTY_CODE,
    kind: "AGENT_STORAGE",
    nameZh: "顺达物流应急物资代储点",
    nameEn: "Shunda Logistics Agent Storage",
    address: "清河县产业集聚区物流园8号库",
    custodianOrg: "清河县顺达物流有限公司",
    keepers: ["county.keeper"],
  },
  {
    code: "AR-HUALIAN",
    regionCode: COUNTY_CODE,
    kind: "AGREEMENT_RESERVE",
    nameZh: "华联商贸协议储备点",
    nameEn: "Hualian Trading Agreement Reserve",
    address: "清河县城关镇商贸大道56号",
    custodianOrg: "清河县华联商贸有限公司",
    // the agreement obliges delivery within 12 hours of a call-up
    callUpLeadHours: 12,
    keepers: ["county.keeper"],
  },
];

const townshipDepots: Depot[] = TOWNSHIPS.flatMap((t, i) => [
  {
    code: tdCode(t),
    regionCode: townshipCode(i),
    kind: "TOWNSHIP_DEPOT",
    nameZh: `${t.nameZh}应急物资储备库`,
    nameEn: `${t.nameEn} Emergency Supply Depot`,
    address: t.address,
    custodianOrg: `${t.nameZh}应急办`,
    keepers: [keeperOf(t)],
  } satisfies Depot,
  ...t.villages.slice(0, t.points).map(([nameZh, nameEn], j): Depot => ({
    code: vpCode(t, i, j),
    regionCode: villageCode(i, j),
    kind: "VILLAGE_POINT",
    nameZh: `${nameZh}救灾物资存放点`,
    nameEn: `${nameEn} Relief Supply Point`,
    address: `清河县${t.nameZh}${nameZh}委会院内`,
    custodianOrg: `${nameZh}村民委员会`,
    keepers: [keeperOf(t)],
  })),
]);

// ---- stock ----

/** 城关镇: the reserve exactly as the work summary reports it. */
function flagshipReserve(): Receipt[] {
  const put = at(tdCode(TOWNSHIPS[0]!));
  return [
    put("WOVEN_BAG", 15000, "2025-WB-001", "2025-03-15"),
    put("WOVEN_BAG", 5000, "2026-WB-002", "2026-05-20"),
    // 200 t in two lots; the small one is inside its rotation lead time
    put("CEMENT", "12.5", "2026-CM-002", "2026-09-05", { expiresOn: "2026-12-04" }),
    put("CEMENT", "187.5", "2026-CM-003", "2026-10-12", { expiresOn: "2027-01-10" }),
    put("SAND_GRAVEL", 1100, "2025-SG-001", "2025-03-15"),
    put("ROCK", 1500, "2025-RK-001", "2025-03-15"),
    put("TIMBER", 10, "2025-TB-001", "2025-03-15"),
    put("WIRE_STEEL_TUBE", 1800, "2025-WS-001", "2025-03-15"),
    put("GEOTEXTILE", 4200, "2025-GT-001", "2025-03-15"),
    put("GENERATOR_30KW", 1, "2025-GEN-001", "2025-03-15", { serialNumbers: ["GEN30-2023-0107"] }),
    put("EMERGENCY_LAMP", 38, "2025-EL-001", "2025-03-15", { expiresOn: "2028-03-14" }),
    put("TRUCK", 18, "2025-TRK-001", "2025-03-15", { serialNumbers: serials("豫Q·C23", 1, 18, 2) }),
    put("LIFE_JACKET", 40, "2025-LJ-001", "2025-03-15", { expiresOn: "2030-03-14" }),
  ];
}

/** Every other township: a smaller reserve scaled by population, with dates spread by position. */
function townshipReserve(t: TownshipDef, i: number): Receipt[] {
  const put = at(tdCode(t));
  const ratio = t.population / 80000;
  const opened = `2025-${pad(3 + (i % 3))}-${pad(4 + 2 * i)}`;
  const cementOn = addDays("2026-08-20", 7 * i);
  const pumps = ratio > 0.5 ? 2 : 1;
  const trucks = Math.floor(ratio * 4);
  const lampsExpire = i % 4 === 1 ? "2027-01-15" : `2028-${pad(1 + (i % 12))}-28`;
  const jacketsExpire = i === 5 ? "2027-02-10" : `2030-${pad(i)}-15`;
  const receipts = [
    put("WOVEN_BAG", roundTo(16000 * ratio, 500), "2025-WB-001", opened),
    put("CEMENT", String(Math.round(200 * ratio) / 2), "2026-CM-001", cementOn, {
      expiresOn: addDays(cementOn, 90),
    }),
    put("SAND_GRAVEL", roundTo(660 * ratio, 10), "2025-SG-001", opened),
    put("ROCK", roundTo(750 * ratio, 10), "2025-RK-001", opened),
    put("TIMBER", Math.max(2, Math.round(6 * ratio)), "2025-TB-001", opened),
    put("WIRE_STEEL_TUBE", roundTo(900 * ratio, 50), "2025-WS-001", opened),
    put("GEOTEXTILE", roundTo(2500 * ratio, 100), "2025-GT-001", opened),
    put("GENERATOR_30KW", 1, "2025-GEN-001", opened, { serialNumbers: [`GEN30-2024-${200 + i}`] }),
    put("WATER_PUMP", pumps, "2025-PMP-001", opened, {
      serialNumbers: serials(`PUMP-2024-${i}`, 1, pumps, 2),
    }),
    put("EMERGENCY_LAMP", Math.round(30 * ratio) + 4, "2025-EL-001", opened, { expiresOn: lampsExpire }),
    put("LIFE_JACKET", Math.round(32 * ratio) + 6, "2025-LJ-001", opened, { expiresOn: jacketsExpire }),
  ];
  if (trucks > 0) {
    const plates = serials(`豫Q·D${i}`, 1, trucks, 3);
    receipts.push(put("TRUCK", trucks, "2025-TRK-001", opened, { serialNumbers: plates }));
  }
  return receipts;
}

/** A village's fixed storage place (各村固定存放场所): sandbags, life jackets and lamps. */
function villagePointStock(t: TownshipDef, i: number, population: number, j: number): Receipt[] {
  const put = at(vpCode(t, i, j));
  const on = `2025-05-${pad(10 + i + j)}`;
  return [
    put("WOVEN_BAG", roundTo(population / 2, 100), "2025-WB-001", on),
    put("LIFE_JACKET", Math.max(8, Math.round(population / 150)), "2025-LJ-001", on, {
      expiresOn: "2030-04-30",
    }),
    put("EMERGENCY_LAMP", Math.max(4, Math.round(population / 500)), "2025-EL-001", on, {
      expiresOn: i % 3 === 1 && j === 0 ? "2027-01-20" : "2028-04-30",
    }),
  ];
}

const cw = at("CW-01");
const countyWarehouse: Receipt[] = [
  cw("WOVEN_BAG", 30000, "2025-WB-001", "2025-02-20"),
  cw("WOVEN_BAG", 20000, "2026-WB-002", "2026-04-15"),
  // cement rotates every 90 days: one lot about to expire, two fresh ones
  cw("CEMENT", 80, "2026-CM-011", "2026-08-30", { expiresOn: "2026-11-28" }),
  cw("CEMENT", "120.75", "2026-CM-012", "2026-10-10", { expiresOn: "2027-01-08" }),
  cw("CEMENT", 150, "2026-CM-013", "2026-10-28", { expiresOn: "2027-01-26" }),
  cw("SAND_GRAVEL", 3000, "2025-SG-001", "2025-02-20"),
  cw("ROCK", 5000, "2025-RK-001", "2025-02-20"),
  cw("TIMBER", "42.5", "2025-TB-001", "2025-02-20"),
  cw("WIRE_STEEL_TUBE", 6000, "2025-WS-001", "2025-02-20"),
  cw("GEOTEXTILE", "15000.5", "2025-GT-001", "2025-02-20"),
  cw("GENERATOR_30KW", 4, "2025-GEN-001", "2025-02-20", { serialNumbers: serials("GEN30-2025-", 1, 4, 4) }),
  cw("WATER_PUMP", 6, "2025-PMP-001", "2025-02-20", { serialNumbers: serials("PUMP-2025-", 1, 6, 4) }),
  cw("TRUCK", 6, "2025-TRK-001", "2025-02-20", { serialNumbers: serials("豫Q·E56", 1, 6, 2) }),
  cw("TENT", 200, "2025-TN-001", "2025-02-20", { expiresOn: "2029-05-31" }),
  cw("TENT", 100, "2026-TN-002", "2026-06-18", { expiresOn: "2031-06-17" }),
  // older quilts from before the 2025 stock-take: due for rotation this winter
  cw("QUILT", 800, "2025-QT-001", "2025-01-15", { expiresOn: "2027-02-10" }),
  cw("QUILT", 700, "2026-QT-002", "2026-09-20", { expiresOn: "2031-09-19" }),
  // disinfectant: one lot already expired and awaiting write-off, one close, one fresh
  cw("DISINFECTANT_84", 400, "2025-DS-001", "2025-01-20", { expiresOn: "2026-10-15" }),
  cw("DISINFECTANT_84", 600, "2026-DS-002", "2026-03-01", { expiresOn: "2027-01-05" }),
  cw("DISINFECTANT_84", "1237.5", "2026-DS-003", "2026-06-10", { expiresOn: "2027-06-10" }),
  cw("EMERGENCY_LAMP", 200, "2025-EL-001", "2025-02-20", { expiresOn: "2028-02-19" }),
  cw("LIFE_JACKET", 300, "2025-LJ-001", "2025-02-20", { expiresOn: "2029-08-31" }),
  cw("LIFE_JACKET", 200, "2026-LJ-002", "2026-05-08", { expiresOn: "2031-05-07" }),
];

const as = at("AS-SHUNDA");
const agentStorage: Receipt[] = [
  as("WOVEN_BAG", 80000, "2025-WB-001", "2025-04-02"),
  as("GEOTEXTILE", 20000, "2025-GT-001", "2025-04-02"),
  as("TENT", 400, "2025-TN-001", "2025-04-02", { expiresOn: "2030-04-01" }),
  as("QUILT", 2000, "2025-QT-001", "2025-04-02", { expiresOn: "2030-04-01" }),
];

const ar = at("AR-HUALIAN");
const agreementReserve: Receipt[] = [
  ar("QUILT", 1000, "2026-QT-001", "2026-07-01", { expiresOn: "2031-06-30" }),
  ar("DISINFECTANT_84", 2000, "2026-DS-001", "2026-07-01", { expiresOn: "2027-06-30" }),
  ar("WOVEN_BAG", 30000, "2026-WB-001", "2026-07-01"),
];

/** Exceptions a readiness report should find: an expired cement lot and lamps whose batteries have run out. */
const exceptions: Receipt[] = [
  at("TD-LIULIN")("CEMENT", 30, "2026-CM-000", "2026-06-15", {
    expiresOn: "2026-09-13",
  }),
  at("TD-MAYING")("EMERGENCY_LAMP", 12, "2025-EL-000", "2025-03-20", {
    expiresOn: "2026-11-01",
  }),
];

// ---- the world ----

export const demoCounty: DemoCounty = {
  units: [...STANDARD_UNITS],
  items: [
    {
      code: "WOVEN_BAG",
      nameZh: "编织袋",
      nameEn: "Woven bag",
      description:
        "Polypropylene woven bag filled with soil or sand on site to build sandbag walls and plug breaches.",
      category: "FLOOD_CONTROL",
      unitCode: "piece",
      trackingMode: "BULK",
      returnable: false,
    },
    {
      code: "CEMENT",
      nameZh: "水泥",
      nameEn: "Cement",
      description:
        "Bagged Portland cement for emergency repairs of dykes and culverts; it takes up moisture, so it is rotated within 90 days.",
      category: "CONSTRUCTION_MATERIAL",
      unitCode: "tonne",
      trackingMode: "LOT",
      shelfLifeDays: 90,
      rotationLeadDays: 30,
      returnable: false,
    },
    {
      code: "SAND_GRAVEL",
      nameZh: "砂石料",
      nameEn: "Sand and gravel",
      description:
        "Sand and gravel aggregate stockpiled for filling sandbags, mixing concrete and laying filter layers.",
      category: "CONSTRUCTION_MATERIAL",
      unitCode: "m3",
      trackingMode: "BULK",
      returnable: false,
    },
    {
      code: "ROCK",
      nameZh: "块石",
      nameEn: "Rock",
      description:
        "Quarried block stone for toe protection, scour repair and closing breaches in embankments.",
      category: "CONSTRUCTION_MATERIAL",
      unitCode: "m3",
      trackingMode: "BULK",
      returnable: false,
    },
    {
      code: "TIMBER",
      nameZh: "木材",
      nameEn: "Timber",
      description: "Sawn timber and piles for stakes, shoring and temporary bracing of embankments.",
      category: "CONSTRUCTION_MATERIAL",
      unitCode: "m3",
      trackingMode: "BULK",
      returnable: false,
    },
    {
      code: "WIRE_STEEL_TUBE",
      nameZh: "铅丝钢管",
      nameEn: "Wire and steel tube",
      description:
        "Galvanised wire and steel tube for gabions, stakes and tying emergency structures, counted by weight.",
      category: "FLOOD_CONTROL",
      unitCode: "kg",
      trackingMode: "BULK",
      returnable: false,
    },
    {
      code: "GEOTEXTILE",
      nameZh: "土工布",
      nameEn: "Geotextile",
      description: "Non-woven geotextile laid on dyke slopes as a filter against piping and seepage.",
      category: "FLOOD_CONTROL",
      unitCode: "m2",
      trackingMode: "BULK",
      returnable: false,
    },
    {
      code: "GENERATOR_30KW",
      nameZh: "30千瓦发电机组",
      nameEn: "30 kW generator set",
      description:
        "Diesel generator set rated 30 kW that powers pumps, lighting and command posts; lent out and test-run monthly.",
      category: "POWER",
      unitCode: "unit",
      trackingMode: "SERIAL",
      testRunIntervalDays: 30,
      returnable: true,
    },
    {
      code: "EMERGENCY_LAMP",
      nameZh: "应急灯",
      nameEn: "Emergency lamp",
      description:
        "Portable rechargeable lamp for night patrols and shelters; its battery pack is renewed before it expires.",
      category: "LIGHTING",
      unitCode: "piece",
      trackingMode: "LOT",
      shelfLifeDays: 1095,
      rotationLeadDays: 90,
      returnable: true,
    },
    {
      code: "LIFE_JACKET",
      nameZh: "救生衣",
      nameEn: "Life jacket",
      description:
        "Foam life jacket for rescue teams and evacuees crossing flood water; lent out and returned after use.",
      category: "LIFE_SAVING",
      unitCode: "piece",
      trackingMode: "LOT",
      shelfLifeDays: 1825,
      returnable: true,
    },
    {
      code: "TRUCK",
      nameZh: "运输车辆",
      nameEn: "Transport truck",
      description:
        "Light goods vehicle on call to carry relief supplies and rescue teams, identified by its plate number.",
      category: "TRANSPORT",
      unitCode: "vehicle",
      trackingMode: "SERIAL",
      testRunIntervalDays: 90,
      returnable: true,
    },
    {
      code: "TENT",
      nameZh: "救灾帐篷",
      nameEn: "Relief tent",
      description:
        "Cotton relief tent of about 12 m² that shelters one displaced household; returned and cleaned after use.",
      category: "SHELTER",
      unitCode: "piece",
      trackingMode: "LOT",
      shelfLifeDays: 1825,
      returnable: true,
    },
    {
      code: "QUILT",
      nameZh: "棉被",
      nameEn: "Cotton quilt",
      description: "Cotton-padded quilt handed out to displaced residents and not taken back.",
      category: "SHELTER",
      unitCode: "piece",
      trackingMode: "LOT",
      shelfLifeDays: 1825,
      rotationLeadDays: 180,
      returnable: false,
    },
    {
      code: "WATER_PUMP",
      nameZh: "抽水泵",
      nameEn: "Drainage pump",
      description:
        "Submersible drainage pump for clearing waterlogged streets, fields and cellars; lent out and test-run monthly.",
      category: "FLOOD_CONTROL",
      unitCode: "unit",
      trackingMode: "SERIAL",
      testRunIntervalDays: 30,
      returnable: true,
    },
    {
      code: "DISINFECTANT_84",
      nameZh: "84消毒液",
      nameEn: "84 disinfectant",
      description:
        "Sodium hypochlorite disinfectant for epidemic prevention after floods; its chlorine decays within a year.",
      category: "MEDICAL",
      unitCode: "litre",
      trackingMode: "LOT",
      shelfLifeDays: 365,
      rotationLeadDays: 60,
      returnable: false,
    },
  ],
  county: {
    divisionCode: COUNTY_CODE,
    nameZh: "清河县",
    nameEn: "Qinghe County",
    level: "COUNTY",
    population: 520000,
    townships: TOWNSHIPS.map((t, i) => ({
      divisionCode: townshipCode(i),
      nameZh: t.nameZh,
      nameEn: t.nameEn,
      level: "TOWNSHIP",
      population: t.population,
      villages: t.villages.map(([nameZh, nameEn, population], j) => ({
        divisionCode: villageCode(i, j),
        nameZh,
        nameEn,
        level: "VILLAGE",
        population,
      })),
    })),
    neighbours: NEIGHBOURS.map(([a, b, travelMinutes]) => ({ a: codeOf(a), b: codeOf(b), travelMinutes })),
  },
  depots: [...countyDepots, ...townshipDepots],
  users,
  norms: [
    // every township: per 1,000 residents, or a fixed number of units; a floor only a county-approved emergency may touch
    {
      itemCode: "WOVEN_BAG",
      level: "TOWNSHIP",
      basis: "PER_THOUSAND_RESIDENTS",
      quantity: "250",
      reserveFloor: "2000",
    },
    { itemCode: "CEMENT", level: "TOWNSHIP", basis: "PER_THOUSAND_RESIDENTS", quantity: "1.5" },
    { itemCode: "LIFE_JACKET", level: "TOWNSHIP", basis: "PER_THOUSAND_RESIDENTS", quantity: "1" },
    { itemCode: "GENERATOR_30KW", level: "TOWNSHIP", basis: "ABSOLUTE", quantity: "1" },
    { itemCode: "EMERGENCY_LAMP", level: "TOWNSHIP", basis: "ABSOLUTE", quantity: "30" },
    { itemCode: "DISINFECTANT_84", level: "TOWNSHIP", basis: "PER_THOUSAND_RESIDENTS", quantity: "5" },
    { itemCode: "TENT", level: "TOWNSHIP", basis: "PER_THOUSAND_RESIDENTS", quantity: "0.5" },
    // every village point keeps a first-hour kit
    { itemCode: "WOVEN_BAG", level: "VILLAGE", basis: "ABSOLUTE", quantity: "300" },
    { itemCode: "LIFE_JACKET", level: "VILLAGE", basis: "ABSOLUTE", quantity: "10" },
    // the flagship township holds more than the level norm: the one from its work summary
    {
      itemCode: "WOVEN_BAG",
      regionCode: townshipCode(0),
      basis: "ABSOLUTE",
      quantity: "20000",
      reserveFloor: "5000",
    },
    // the county as a whole
    { itemCode: "GENERATOR_30KW", regionCode: COUNTY_CODE, basis: "ABSOLUTE", quantity: "12" },
    { itemCode: "TENT", regionCode: COUNTY_CODE, basis: "PER_THOUSAND_RESIDENTS", quantity: "1" },
  ],
  receipts: [
    ...countyWarehouse,
    ...agentStorage,
    ...agreementReserve,
    ...flagshipReserve(),
    ...TOWNSHIPS.slice(1).flatMap((t, k) => townshipReserve(t, k + 1)),
    ...TOWNSHIPS.flatMap((t, i) =>
      t.villages.slice(0, t.points).flatMap(([, , population], j) => villagePointStock(t, i, population, j)),
    ),
    ...exceptions,
  ],
};
