import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { countyId, id, instant, quantity, ref } from "./columns.js";
import { depots } from "./depots.js";
import { stockTakeStatus } from "./enums.js";
import { lots } from "./lots.js";
import { users, actor } from "./users.js";

/** A stock-take (盘点): book quantities are snapshotted at start so movements during the count are not lost. */
export const stockTakes = pgTable(
  "stock_takes",
  {
    countyId: countyId(),
    id: id().notNull(),
    depotId: ref("depot_id").notNull(),
    status: stockTakeStatus("status").notNull().default("OPEN"),
    note: text("note").notNull().default(""),
    startedBy: actor("started_by"),
    startedAt: instant("started_at").notNull().defaultNow(),
    submittedBy: ref("submitted_by").references(() => users.id),
    submittedAt: instant("submitted_at"),
    cancelledBy: ref("cancelled_by").references(() => users.id),
    cancelledAt: instant("cancelled_at"),
    cancelReason: text("cancel_reason"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({ columns: [t.countyId, t.depotId], foreignColumns: [depots.countyId, depots.id] }),
    index("stock_takes_depot_idx").on(t.countyId, t.depotId, t.submittedAt),
    // one open count per depot, even for two starts racing on a depot with no lots to lock
    uniqueIndex("stock_takes_one_open_per_depot")
      .on(t.countyId, t.depotId)
      .where(sql`${t.status} = 'OPEN'`),
    check(
      "stock_takes_submission_complete",
      sql`(${t.status} = 'SUBMITTED') = (${t.submittedAt} is not null)`,
    ),
    check(
      "stock_takes_cancellation_complete",
      sql`(${t.status} = 'CANCELLED') = (${t.cancelledAt} is not null and ${t.cancelReason} is not null)`,
    ),
  ],
);

export const stockTakeLines = pgTable(
  "stock_take_lines",
  {
    countyId: countyId(),
    stockTakeId: ref("stock_take_id").notNull(),
    lotId: ref("lot_id").notNull(),
    bookQuantity: quantity("book_quantity").notNull(),
    countedQuantity: quantity("counted_quantity"),
    /** When the lot was counted: its adjustment is against the book at that instant, not at submission. */
    countedAt: instant("counted_at"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.stockTakeId, t.lotId] }),
    foreignKey({
      columns: [t.countyId, t.stockTakeId],
      foreignColumns: [stockTakes.countyId, stockTakes.id],
    }),
    foreignKey({ columns: [t.countyId, t.lotId], foreignColumns: [lots.countyId, lots.id] }),
    check(
      "stock_take_lines_counts_nonnegative",
      sql`${t.bookQuantity} >= 0 and (${t.countedQuantity} is null or ${t.countedQuantity} >= 0)`,
    ),
  ],
);
