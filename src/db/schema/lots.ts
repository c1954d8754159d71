import { sql } from "drizzle-orm";
import { check, date, foreignKey, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { countyId, id, instant, quantity, ref, zeroQuantity } from "./columns.js";
import { depots } from "./depots.js";
import { lotCondition } from "./enums.js";
import { items } from "./items.js";

/**
 * A quantity of one item at one depot (批次). `on_hand` and `allocated` are balances kept in the same
 * transaction as each ledger line; they always equal what the ledger and live allocations say.
 */
export const lots = pgTable(
  "lots",
  {
    countyId: countyId(),
    id: id().notNull(),
    depotId: ref("depot_id").notNull(),
    itemId: ref("item_id")
      .notNull()
      .references(() => items.id),
    lotCode: text("lot_code").notNull(),
    receivedOn: date("received_on", { mode: "string" }).notNull(),
    expiresOn: date("expires_on", { mode: "string" }),
    condition: lotCondition("condition").notNull().default("SERVICEABLE"),
    serialNumber: text("serial_number"),
    lastTestRunOn: date("last_test_run_on", { mode: "string" }),
    onHand: quantity("on_hand").notNull(),
    /** Held for approved requisitions: part of on-hand that is no longer usable by anyone else. */
    allocated: quantity("allocated").notNull().default(zeroQuantity),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({ columns: [t.countyId, t.depotId], foreignColumns: [depots.countyId, depots.id] }),
    // a unit is in one place at a time; its emptied lot at the depot it left keeps the number for the record
    uniqueIndex("lots_serial_number_key")
      .on(t.countyId, t.itemId, t.serialNumber)
      .where(sql`${t.onHand} > 0`),
    index("lots_depot_item_idx").on(t.countyId, t.depotId, t.itemId, t.expiresOn),
    // a depot's stock page walks its lots in id order and stops at a page, however many lots the depot holds
    index("lots_depot_page_idx").on(t.countyId, t.depotId, t.id),
    index("lots_item_expiry_idx").on(t.countyId, t.itemId, t.expiresOn),
    index("lots_id_idx").on(t.id),
    // expiry lists walk a county in (expiry, id) order and stop at a page
    index("lots_expiry_idx").on(t.countyId, t.expiresOn, t.id),
    check("lots_on_hand_nonnegative", sql`${t.onHand} >= 0`),
    check("lots_allocated_within_on_hand", sql`${t.allocated} >= 0 and ${t.allocated} <= ${t.onHand}`),
    check("lots_expiry_after_receipt", sql`${t.expiresOn} is null or ${t.expiresOn} >= ${t.receivedOn}`),
    check("lots_serial_unit_is_one", sql`${t.serialNumber} is null or ${t.onHand} <= 1`),
  ],
);
