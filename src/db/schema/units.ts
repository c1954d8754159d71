import { sql } from "drizzle-orm";
import { check, pgTable, smallint, text } from "drizzle-orm/pg-core";

/** Units of measure (计量单位). Reference table: replicated to every node, no keys into county tables. */
export const units = pgTable(
  "units",
  {
    code: text("code").primaryKey(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    /** Decimals this unit is counted in: 0 for pieces, 3 for tonnes. */
    scale: smallint("scale").notNull(),
  },
  (t) => [check("units_scale_range", sql`${t.scale} between 0 and 3`)],
);
