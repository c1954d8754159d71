import { type Ctx, lit } from "./sql.js";

type Mode = "BULK" | "LOT" | "SERIAL";

/** A base catalogue entry; the tier's items are these in several models (型号). */
interface Base {
  code: string;
  nameZh: string;
  nameEn: string;
  category: string;
  unit: string;
  mode: Mode;
  shelf?: number;
  lead?: number;
  testEvery?: number;
  returnable: boolean;
  /** What a township depot typically receives in one lot. */
  qty: number;
}

const b = (
  code: string,
  nameZh: string,
  nameEn: string,
  category: string,
  unit: string,
  mode: Mode,
  qty: number,
  extra: Partial<Pick<Base, "shelf" | "lead" | "testEvery" | "returnable">> = {},
): Base => ({ code, nameZh, nameEn, category, unit, mode, qty, returnable: false, ...extra });

const lot = (shelf: number, lead: number) => ({ shelf, lead });
const serial = (testEvery: number | undefined) => ({ testEvery, returnable: true });

// the first entries are what every village point keeps, so they get the lowest ids and the most lots
const BASE: readonly Base[] = [
  b("WOVEN_BAG", "编织袋", "Woven bag", "FLOOD_CONTROL", "piece", "BULK", 2000),
  b("LIFE_JACKET", "救生衣", "Life jacket", "LIFE_SAVING", "piece", "LOT", 40, {
    ...lot(1825, 180),
    returnable: true,
  }),
  b("EMERGENCY_LAMP", "应急灯", "Emergency lamp", "LIGHTING", "piece", "LOT", 30, lot(1095, 90)),
  b("QUILT", "棉被", "Cotton quilt", "SHELTER", "piece", "LOT", 60, lot(1825, 180)),
  b("DISINFECTANT_84", "84消毒液", "84 disinfectant", "MEDICAL", "litre", "LOT", 80, lot(365, 60)),
  b("FLASHLIGHT", "手电筒", "Flashlight", "LIGHTING", "piece", "BULK", 50),
  b("RAINCOAT", "雨衣", "Raincoat", "FLOOD_CONTROL", "piece", "BULK", 80),
  b("RUBBER_BOOTS", "雨靴", "Rubber boots", "FLOOD_CONTROL", "piece", "BULK", 60),
  b("LIFEBUOY", "救生圈", "Lifebuoy", "LIFE_SAVING", "piece", "LOT", 20, {
    ...lot(1825, 180),
    returnable: true,
  }),
  b("TENT", "帐篷", "Relief tent", "SHELTER", "piece", "LOT", 15, { ...lot(2920, 180), returnable: true }),
  b("CEMENT", "水泥", "Cement", "CONSTRUCTION_MATERIAL", "tonne", "LOT", 40, lot(90, 30)),
  b("SAND_GRAVEL", "砂石料", "Sand and gravel", "FLOOD_CONTROL", "m3", "BULK", 300),
  b("ROCK", "块石", "Rock", "FLOOD_CONTROL", "m3", "BULK", 400),
  b("TIMBER", "木材", "Timber", "CONSTRUCTION_MATERIAL", "m3", "BULK", 5),
  b("WIRE_STEEL_TUBE", "铁丝钢管", "Wire and steel tube", "CONSTRUCTION_MATERIAL", "kg", "BULK", 500),
  b("GEOTEXTILE", "土工布", "Geotextile", "FLOOD_CONTROL", "m2", "BULK", 1200),
  b("TARPAULIN", "篷布", "Tarpaulin", "SHELTER", "m2", "BULK", 400),
  b("DRINKING_WATER", "瓶装饮用水", "Bottled water", "SHELTER", "piece", "LOT", 600, lot(540, 60)),
  b("INSTANT_NOODLES", "方便面", "Instant noodles", "SHELTER", "piece", "LOT", 500, lot(180, 30)),
  b("FIRST_AID_KIT", "急救包", "First-aid kit", "MEDICAL", "piece", "LOT", 30, lot(730, 90)),
  b("MASK", "医用口罩", "Medical mask", "MEDICAL", "piece", "LOT", 2000, lot(730, 90)),
  b("BATTERY", "干电池", "Dry battery", "LIGHTING", "piece", "LOT", 400, lot(1095, 120)),
  b("ROPE", "救援绳", "Rescue rope", "LIFE_SAVING", "piece", "BULK", 20),
  b("SHOVEL", "铁锹", "Shovel", "FLOOD_CONTROL", "piece", "BULK", 100),
  b("FOLDING_BED", "折叠床", "Folding bed", "SHELTER", "piece", "BULK", 40),
  b("DIESEL", "柴油", "Diesel", "POWER", "litre", "LOT", 500, lot(365, 60)),
  b("BLEACH_POWDER", "漂白粉", "Bleaching powder", "MEDICAL", "kg", "LOT", 100, lot(365, 60)),
  b("SANDBAG_FILLED", "预装沙袋", "Pre-filled sandbag", "FLOOD_CONTROL", "piece", "BULK", 500),
  b("GENERATOR_30KW", "30千瓦发电机", "30 kW generator", "POWER", "unit", "SERIAL", 1, serial(90)),
  b("GENERATOR_5KW", "5千瓦发电机", "5 kW generator", "POWER", "unit", "SERIAL", 1, serial(60)),
  b("WATER_PUMP", "抽水泵", "Drainage pump", "FLOOD_CONTROL", "unit", "SERIAL", 1, serial(30)),
  b("LIGHT_TOWER", "移动照明灯塔", "Mobile light tower", "LIGHTING", "unit", "SERIAL", 1, serial(90)),
  b("ASSAULT_BOAT", "冲锋舟", "Assault boat", "LIFE_SAVING", "unit", "SERIAL", 1, serial(180)),
  b("OUTBOARD_MOTOR", "船外机", "Outboard motor", "LIFE_SAVING", "unit", "SERIAL", 1, serial(90)),
  b("CHAINSAW", "油锯", "Chainsaw", "CONSTRUCTION_MATERIAL", "unit", "SERIAL", 1, serial(180)),
  b("TRUCK", "运输车辆", "Truck", "TRANSPORT", "vehicle", "SERIAL", 1, serial(365)),
  b("SATELLITE_PHONE", "卫星电话", "Satellite phone", "LIFE_SAVING", "unit", "SERIAL", 1, serial(undefined)),
  b("STRETCHER", "担架", "Stretcher", "MEDICAL", "piece", "BULK", 10, { returnable: true }),
  b("THERMOMETER", "体温计", "Thermometer", "MEDICAL", "piece", "BULK", 50),
  b("WATER_PURIFIER", "净水片", "Water purification tablet", "MEDICAL", "piece", "LOT", 1000, lot(1095, 120)),
];

const UNITS = [
  ["piece", "件", "piece", 0],
  ["tonne", "吨", "tonne", 3],
  ["m3", "立方米", "cubic metre", 3],
  ["kg", "千克", "kilogram", 3],
  ["m2", "平方米", "square metre", 2],
  ["unit", "台", "unit", 0],
  ["litre", "升", "litre", 3],
  ["vehicle", "辆", "vehicle", 0],
] as const;

const num = (n: number | undefined): string => (n === undefined ? "null::int" : String(n));

/**
 * Units and items, plus a session table `gen_item` with what lots need to know about each item (tracking mode,
 * typical lot size, test interval). Item i is base entry (i - 1) mod B in model (i - 1) div B + 1.
 */
export async function generateCatalogue(ctx: Ctx): Promise<void> {
  const units = UNITS.map(([c, zh, en, s]) => `(${lit(c)}, ${lit(zh)}, ${lit(en)}, ${s})`).join(", ");
  await ctx.run(`insert into units (code, name_zh, name_en, scale) values ${units}`);
  const base = BASE.map(
    (x, i) =>
      `(${i}, ${lit(x.code)}, ${lit(x.nameZh)}, ${lit(x.nameEn)}, ${lit(x.category)}, ${lit(x.unit)}, ` +
      `${lit(x.mode)}, ${num(x.shelf)}, ${num(x.lead)}, ${num(x.testEvery)}, ${x.returnable}, ${x.qty})`,
  ).join(",\n");
  await ctx.run(`
    create temp table gen_item on commit drop as
    select g as id, b.*, (g - 1) / ${BASE.length} + 1 as model
      from generate_series(1, ${ctx.plan.items}) g
      join (values ${base}) as b(idx, code, name_zh, name_en, category, unit, mode, shelf, lead, test_every,
                                 returnable, qty)
        on b.idx = (g - 1) % ${BASE.length}`);
  await ctx.run(`alter table gen_item add primary key (id)`);
  await ctx.run(`
    insert into items (id, code, name_zh, name_en, description, category, unit_code, tracking_mode,
                       shelf_life_days, rotation_lead_days, test_run_interval_days, returnable, created_at)
    select id, code || '-' || lpad(model::text, 2, '0'),
           name_zh || case when model > 1 then '（型号' || model || '）' else '' end,
           name_en || case when model > 1 then ' model ' || model else '' end,
           'Benchmark catalogue entry ' || code || ' model ' || model,
           category::item_category, unit, mode::tracking_mode, shelf, lead, test_every, returnable,
           timestamptz '2024-01-01 09:00:00+08'
      from gen_item order by id`);
}
