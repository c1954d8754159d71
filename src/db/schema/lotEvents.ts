import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { items } from "./catalogue.js";
import { countyId, id, instant, quantity, ref } from "./columns.js";
import { depots } from "./depots.js";
import {
  disposalKind,
  lotCondition,
  rotationStatus,
  stockTakeStatus,
  testRunKind,
  testRunOutcome,
  writeOffCause,
  writeOffStatus,
} from "./enums.js";
import { lots } from "./stock.js";
import { users } from "./users.js";

const actor = (name: string) =>
  ref(name)
    .notNull()
    .references(() => users.id);

/** Condition changes of a lot (quarantine, release, damage), each with actor and reason. */
export const lotConditionChanges = pgTable(
  "lot_condition_changes",
  {
    countyId: countyId(),
    id: id().notNull(),
    lotId: ref("lot_id").notNull(),
    fromCondition: lotCondition("from_condition").notNull(),
    toCondition: lotCondition("to_condition").notNull(),
    reason: text("reason").notNull(),
    actorId: actor("actor_id"),
    recordedAt: instant("recorded_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({ columns: [t.countyId, t.lotId], foreignColumns: [lots.countyId, lots.id] }),
    index("lot_condition_changes_lot_idx").on(t.countyId, t.lotId),
  ],
);

/** Test runs and maintenance of serialised equipment (generators, pumps). */
export const testRuns = pgTable(
  "test_runs",
  {
    countyId: countyId(),
    id: id().notNull(),
    lotId: ref("lot_id").notNull(),
    kind: testRunKind("kind").notNull(),
    outcome: testRunOutcome("outcome").notNull(),
    performedOn: date("performed_on", { mode: "string" }).notNull(),
    runMinutes: integer("run_minutes"),
    note: text("note").notNull().default(""),
    actorId: actor("actor_id"),
    recordedAt: instant("recorded_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({ columns: [t.countyId, t.lotId], foreignColumns: [lots.countyId, lots.id] }),
    index("test_runs_lot_idx").on(t.countyId, t.lotId, t.performedOn),
  ],
);

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

/** Stock rotated out before expiry (定期更换), open until a replacement receipt names it. */
export const rotations = pgTable(
  "rotations",
  {
    countyId: countyId(),
    id: id().notNull(),
    lotId: ref("lot_id").notNull(),
    depotId: ref("depot_id").notNull(),
    itemId: ref("item_id")
      .notNull()
      .references(() => items.id),
    quantity: quantity("quantity").notNull(),
    disposal: disposalKind("disposal").notNull(),
    reason: text("reason").notNull(),
    status: rotationStatus("status").notNull().default("OPEN"),
    replacementRequired: boolean("replacement_required").notNull().default(true),
    movementId: ref("movement_id").notNull(),
    replacementLotId: ref("replacement_lot_id"),
    actorId: actor("actor_id"),
    createdAt: instant("created_at").notNull().defaultNow(),
    closedAt: instant("closed_at"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({ columns: [t.countyId, t.lotId], foreignColumns: [lots.countyId, lots.id] }),
    foreignKey({ columns: [t.countyId, t.depotId], foreignColumns: [depots.countyId, depots.id] }),
    index("rotations_status_idx").on(t.countyId, t.status, t.depotId),
    check("rotations_closed_consistently", sql`(${t.status} = 'CLOSED') = (${t.closedAt} is not null)`),
    check("rotations_quantity_positive", sql`${t.quantity} > 0`),
  ],
);
