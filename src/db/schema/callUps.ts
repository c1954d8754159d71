import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgTable, primaryKey, text, unique } from "drizzle-orm/pg-core";
import { agreements } from "./agreements.js";
import { countyId, id, instant, quantity, ref, zeroQuantity } from "./columns.js";
import { depots } from "./depots.js";
import { emergencies } from "./emergencies.js";
import { items } from "./items.js";
import { users } from "./users.js";

/**
 * A call-up order (协议储备调用单): the county asks an agreement's distributor to deliver to a depot, due at
 * the call-up instant plus the agreement's lead hours. Deliveries are RECEIPT lines (source AGREEMENT_CALL_UP)
 * pointing at it; it closes when every line is delivered in full.
 */
export const callUps = pgTable(
  "call_ups",
  {
    countyId: countyId(),
    id: id().notNull(),
    /** The order's number, unique in the county, quoted on the distributor's delivery note. */
    number: text("number").notNull(),
    agreementId: ref("agreement_id").notNull(),
    destinationDepotId: ref("destination_depot_id").notNull(),
    /** The declared emergency it was made under, when there was one. */
    emergencyId: ref("emergency_id"),
    reason: text("reason").notNull(),
    calledBy: ref("called_by")
      .notNull()
      .references(() => users.id),
    calledAt: instant("called_at").notNull(),
    dueAt: instant("due_at").notNull(),
    /** Set when the last line is delivered in full. */
    closedAt: instant("closed_at"),
    cancelledBy: ref("cancelled_by").references(() => users.id),
    cancelledAt: instant("cancelled_at"),
    cancelReason: text("cancel_reason"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    unique("call_ups_number_key").on(t.countyId, t.number),
    foreignKey({
      columns: [t.countyId, t.agreementId],
      foreignColumns: [agreements.countyId, agreements.id],
    }),
    foreignKey({ columns: [t.countyId, t.destinationDepotId], foreignColumns: [depots.countyId, depots.id] }),
    foreignKey({
      columns: [t.countyId, t.emergencyId],
      foreignColumns: [emergencies.countyId, emergencies.id],
    }),
    index("call_ups_agreement_idx").on(t.countyId, t.agreementId),
    index("call_ups_open_idx").on(t.countyId, t.closedAt, t.dueAt),
    check("call_ups_due_after_called", sql`${t.dueAt} > ${t.calledAt}`),
    check("call_ups_reason_given", sql`length(trim(${t.reason})) > 0`),
    check(
      "call_ups_cancelled_fully",
      sql`(${t.cancelledAt} is null) = (${t.cancelledBy} is null) and (${t.cancelledAt} is null) = (${t.cancelReason} is null)`,
    ),
    check("call_ups_closed_or_cancelled", sql`${t.closedAt} is null or ${t.cancelledAt} is null`),
  ],
);

/** What a call-up asks for, per item, and how much of it has been delivered so far. */
export const callUpLines = pgTable(
  "call_up_lines",
  {
    countyId: countyId(),
    callUpId: ref("call_up_id").notNull(),
    itemId: ref("item_id")
      .notNull()
      .references(() => items.id),
    quantity: quantity("quantity").notNull(),
    deliveredQuantity: quantity("delivered_quantity").notNull().default(zeroQuantity),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.callUpId, t.itemId] }),
    foreignKey({ columns: [t.countyId, t.callUpId], foreignColumns: [callUps.countyId, callUps.id] }),
    check("call_up_lines_quantity_positive", sql`${t.quantity} > 0`),
    check(
      "call_up_lines_delivered_within_quantity",
      sql`${t.deliveredQuantity} >= 0 and ${t.deliveredQuantity} <= ${t.quantity}`,
    ),
  ],
);
