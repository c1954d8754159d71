import { sql } from "drizzle-orm";
import { check, foreignKey, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { countyId, id, instant, quantity, ref } from "./columns.js";
import { writeOffCause, writeOffStatus } from "./enums.js";
import { lots } from "./lots.js";
import { users, actor } from "./users.js";

/** Write-offs above the threshold wait for a second person's confirmation (双人复核). */
export const writeOffRequests = pgTable(
  "write_off_requests",
  {
    countyId: countyId(),
    id: id().notNull(),
    lotId: ref("lot_id").notNull(),
    quantity: quantity("quantity").notNull(),
    cause: writeOffCause("cause").notNull(),
    reason: text("reason").notNull(),
    status: writeOffStatus("status").notNull().default("PENDING"),
    requestedBy: actor("requested_by"),
    requestedAt: instant("requested_at").notNull().defaultNow(),
    decidedBy: ref("decided_by").references(() => users.id),
    decidedAt: instant("decided_at"),
    movementId: ref("movement_id"),
    /** Out of agent storage: the release order (动用指令) the confirmed line will carry. */
    releaseOrderNo: text("release_order_no"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({ columns: [t.countyId, t.lotId], foreignColumns: [lots.countyId, lots.id] }),
    check("write_off_requests_quantity_positive", sql`${t.quantity} > 0`),
    check("write_off_requests_four_eyes", sql`${t.decidedBy} is null or ${t.decidedBy} <> ${t.requestedBy}`),
  ],
);
