import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgTable, primaryKey } from "drizzle-orm/pg-core";
import { countyId, instant, quantity, ref, zeroQuantity } from "./columns.js";
import { depots } from "./depots.js";
import { items } from "./items.js";

/**
 * Per depot and item: the reserve floor (safety stock, 储备底线) that only a county-approved emergency
 * requisition may dip into, and the totals the coverage reports read.
 */
export const stockLevels = pgTable(
  "stock_levels",
  {
    countyId: countyId(),
    depotId: ref("depot_id").notNull(),
    itemId: ref("item_id")
      .notNull()
      .references(() => items.id),
    onHand: quantity("on_hand").notNull().default(zeroQuantity),
    allocated: quantity("allocated").notNull().default(zeroQuantity),
    reserveFloor: quantity("reserve_floor").notNull().default(zeroQuantity),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.depotId, t.itemId] }),
    foreignKey({ columns: [t.countyId, t.depotId], foreignColumns: [depots.countyId, depots.id] }),
    index("stock_levels_item_idx").on(t.countyId, t.itemId),
    check("stock_levels_on_hand_nonnegative", sql`${t.onHand} >= 0`),
    check(
      "stock_levels_allocated_within_on_hand",
      sql`${t.allocated} >= 0 and ${t.allocated} <= ${t.onHand}`,
    ),
    check("stock_levels_floor_nonnegative", sql`${t.reserveFloor} >= 0`),
  ],
);
