import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgTable, primaryKey, unique } from "drizzle-orm/pg-core";
import { countyId, id, instant, quantity, ref, zeroQuantity } from "./columns.js";
import { normBasis, regionLevel } from "./enums.js";
import { items } from "./items.js";
import { regions } from "./regions.js";
import { users } from "./users.js";

/**
 * Reserve norms (储备定额): how much of an item a region should hold. A norm names either one region or a
 * level of the county (every township); a region's own norm wins over its level's.
 */
export const reserveNorms = pgTable(
  "reserve_norms",
  {
    countyId: countyId(),
    id: id().notNull(),
    itemId: ref("item_id")
      .notNull()
      .references(() => items.id),
    regionId: ref("region_id"),
    level: regionLevel("level"),
    basis: normBasis("basis").notNull(),
    quantity: quantity("quantity").notNull(),
    reserveFloor: quantity("reserve_floor").notNull().default(zeroQuantity),
    setBy: ref("set_by")
      .notNull()
      .references(() => users.id),
    setAt: instant("set_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({ columns: [t.countyId, t.regionId], foreignColumns: [regions.countyId, regions.id] }),
    unique("reserve_norms_scope_key").on(t.countyId, t.itemId, t.regionId, t.level).nullsNotDistinct(),
    index("reserve_norms_item_idx").on(t.countyId, t.itemId),
    check("reserve_norms_one_scope", sql`(${t.regionId} is null) <> (${t.level} is null)`),
    check("reserve_norms_quantity_positive", sql`${t.quantity} > 0 and ${t.reserveFloor} >= 0`),
  ],
);
