import { sql } from "drizzle-orm";
import { check, date, foreignKey, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { countyId, id, instant, quantity, ref, zeroQuantity } from "./columns.js";
import { depots } from "./depots.js";
import { emergencies } from "./emergencies.js";
import {
  approvalLevel,
  discrepancyDisposition,
  discrepancyKind,
  discrepancySettlement,
  loanStatus,
  priority,
  requisitionStatus,
} from "./enums.js";
import { items } from "./items.js";
import { lots } from "./lots.js";
import { regions } from "./regions.js";
import { users } from "./users.js";

/** A request from one region to another for supplies (调拨申请). */
export const requisitions = pgTable(
  "requisitions",
  {
    countyId: countyId(),
    id: id().notNull(),
    requestingRegionId: ref("requesting_region_id").notNull(),
    supplyingRegionId: ref("supplying_region_id").notNull(),
    destinationDepotId: ref("destination_depot_id").notNull(),
    priority: priority("priority").notNull(),
    status: requisitionStatus("status").notNull().default("DRAFT"),
    neededBy: instant("needed_by"),
    reason: text("reason").notNull(),
    incident: text("incident").notNull().default(""),
    /** The request this one escalates to the county, when it does. */
    escalatedFromId: ref("escalated_from_id"),
    /** A return leg: stock the receiver of that requisition rejected, on its way back to the lender. */
    returnOfId: ref("return_of_id"),
    releaseOrderNo: text("release_order_no"),
    /** Returnable equipment lent by this request is due back on this day. */
    returnDueOn: date("return_due_on", { mode: "string" }),
    carrier: text("carrier"),
    vehicle: text("vehicle"),
    driverContact: text("driver_contact"),
    /** The declared emergency it was raised under: dispatch may follow the supplier's approval alone. */
    emergencyId: ref("emergency_id"),
    createdBy: ref("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: instant("created_at").notNull().defaultNow(),
    dispatchedBy: ref("dispatched_by").references(() => users.id),
    dispatchedAt: instant("dispatched_at"),
    receivedBy: ref("received_by").references(() => users.id),
    receivedAt: instant("received_at"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({
      columns: [t.countyId, t.requestingRegionId],
      foreignColumns: [regions.countyId, regions.id],
    }),
    foreignKey({
      columns: [t.countyId, t.supplyingRegionId],
      foreignColumns: [regions.countyId, regions.id],
    }),
    foreignKey({ columns: [t.countyId, t.destinationDepotId], foreignColumns: [depots.countyId, depots.id] }),
    foreignKey({ columns: [t.countyId, t.escalatedFromId], foreignColumns: [t.countyId, t.id] }),
    foreignKey({ columns: [t.countyId, t.returnOfId], foreignColumns: [t.countyId, t.id] }),
    foreignKey({
      columns: [t.countyId, t.emergencyId],
      foreignColumns: [emergencies.countyId, emergencies.id],
    }),
    // one shortfall, one escalation: a second request to the county for the same one is refused by the database too
    uniqueIndex("requisitions_one_escalation_key")
      .on(t.countyId, t.escalatedFromId)
      .where(sql`${t.escalatedFromId} is not null`),
    index("requisitions_requesting_idx").on(t.countyId, t.requestingRegionId, t.status),
    index("requisitions_supplying_idx").on(t.countyId, t.supplyingRegionId, t.status),
    index("requisitions_destination_idx").on(t.countyId, t.destinationDepotId, t.status),
    check("requisitions_not_to_self", sql`${t.requestingRegionId} <> ${t.supplyingRegionId}`),
    check(
      "requisitions_receiver_not_dispatcher",
      sql`${t.receivedBy} is null or ${t.receivedBy} <> ${t.dispatchedBy}`,
    ),
  ],
);

export const requisitionLines = pgTable(
  "requisition_lines",
  {
    countyId: countyId(),
    id: id().notNull(),
    requisitionId: ref("requisition_id").notNull(),
    itemId: ref("item_id")
      .notNull()
      .references(() => items.id),
    requestedQuantity: quantity("requested_quantity").notNull(),
    approvedQuantity: quantity("approved_quantity"),
    dispatchedQuantity: quantity("dispatched_quantity"),
    acceptedQuantity: quantity("accepted_quantity"),
    returnedQuantity: quantity("returned_quantity"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({
      columns: [t.countyId, t.requisitionId],
      foreignColumns: [requisitions.countyId, requisitions.id],
    }),
    index("requisition_lines_requisition_idx").on(t.countyId, t.requisitionId),
    check("requisition_lines_requested_positive", sql`${t.requestedQuantity} > 0`),
    check(
      "requisition_lines_approved_within_requested",
      sql`${t.approvedQuantity} is null or (${t.approvedQuantity} >= 0 and ${t.approvedQuantity} <= ${t.requestedQuantity})`,
    ),
  ],
);

/** Specific lots held for an approved line, chosen first-expiry-first-out. */
export const allocations = pgTable(
  "allocations",
  {
    countyId: countyId(),
    id: id().notNull(),
    requisitionLineId: ref("requisition_line_id").notNull(),
    lotId: ref("lot_id").notNull(),
    quantity: quantity("quantity").notNull(),
    /** Dispatched allocations are in transit: off the lender's on-hand, not yet on the receiver's. */
    dispatchedAt: instant("dispatched_at"),
    /** Set when a cancelled request gives the stock back to the lender, or when it arrived. */
    releasedAt: instant("released_at"),
    /** What of this lot arrived and became a lot at the destination. */
    acceptedQuantity: quantity("accepted_quantity"),
    receivedLotId: ref("received_lot_id"),
    /** Lent equipment sent back to the lender. */
    returnedQuantity: quantity("returned_quantity").notNull().default(zeroQuantity),
    /** How much of this allocation a county-approved emergency took from below the depot's reserve floor (rule 3). */
    floorUsed: quantity("floor_used").notNull().default(zeroQuantity),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({
      columns: [t.countyId, t.requisitionLineId],
      foreignColumns: [requisitionLines.countyId, requisitionLines.id],
    }),
    foreignKey({ columns: [t.countyId, t.lotId], foreignColumns: [lots.countyId, lots.id] }),
    index("allocations_line_idx").on(t.countyId, t.requisitionLineId),
    index("allocations_lot_idx").on(t.countyId, t.lotId),
    check("allocations_quantity_positive", sql`${t.quantity} > 0`),
    check(
      "allocations_accepted_within_quantity",
      sql`${t.acceptedQuantity} is null or (${t.acceptedQuantity} >= 0 and ${t.acceptedQuantity} <= ${t.quantity})`,
    ),
    check(
      "allocations_returned_within_accepted",
      sql`${t.returnedQuantity} >= 0 and ${t.returnedQuantity} <= coalesce(${t.acceptedQuantity}, 0)`,
    ),
  ],
);

export const requisitionApprovals = pgTable(
  "requisition_approvals",
  {
    countyId: countyId(),
    id: id().notNull(),
    requisitionId: ref("requisition_id").notNull(),
    level: approvalLevel("level").notNull(),
    approverId: ref("approver_id")
      .notNull()
      .references(() => users.id),
    releaseOrderNo: text("release_order_no"),
    note: text("note").notNull().default(""),
    approvedAt: instant("approved_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({
      columns: [t.countyId, t.requisitionId],
      foreignColumns: [requisitions.countyId, requisitions.id],
    }),
    index("requisition_approvals_requisition_idx").on(t.countyId, t.requisitionId),
  ],
);

/** The timeline: every transition with actor, time and note. */
export const requisitionEvents = pgTable(
  "requisition_events",
  {
    countyId: countyId(),
    id: id().notNull(),
    requisitionId: ref("requisition_id").notNull(),
    fromStatus: requisitionStatus("from_status"),
    toStatus: requisitionStatus("to_status").notNull(),
    actorId: ref("actor_id")
      .notNull()
      .references(() => users.id),
    note: text("note").notNull().default(""),
    occurredAt: instant("occurred_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({
      columns: [t.countyId, t.requisitionId],
      foreignColumns: [requisitions.countyId, requisitions.id],
    }),
    index("requisition_events_requisition_idx").on(t.countyId, t.requisitionId, t.occurredAt),
  ],
);

/**
 * What was dispatched but not accepted on arrival: rejected or missing, never silently lost (custody rule 5, docs/custody-rules.md).
 */
export const discrepancies = pgTable(
  "discrepancies",
  {
    countyId: countyId(),
    id: id().notNull(),
    requisitionLineId: ref("requisition_line_id").notNull(),
    kind: discrepancyKind("kind").notNull(),
    /** The travelled allocation it is part of: names the lot the stock left, whose attributes it keeps. */
    allocationId: ref("allocation_id"),
    quantity: quantity("quantity").notNull(),
    reason: text("reason").notNull(),
    /** For rejected stock: sent back to the lender, or kept at the receiver as a quarantined lot. */
    disposition: discrepancyDisposition("disposition"),
    /** The quarantined lot at the receiver (KEEP_QUARANTINED). */
    lotId: ref("lot_id"),
    /** The return leg carrying it back (RETURN, or a RETURNED settlement). */
    returnRequisitionId: ref("return_requisition_id"),
    recordedBy: ref("recorded_by")
      .notNull()
      .references(() => users.id),
    recordedAt: instant("recorded_at").notNull().defaultNow(),
    /** Open until settled; a settlement is one ledger line (or a return leg). */
    settlement: discrepancySettlement("settlement"),
    settlementNote: text("settlement_note"),
    settledBy: ref("settled_by").references(() => users.id),
    settledAt: instant("settled_at"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({
      columns: [t.countyId, t.requisitionLineId],
      foreignColumns: [requisitionLines.countyId, requisitionLines.id],
    }),
    foreignKey({
      columns: [t.countyId, t.allocationId],
      foreignColumns: [allocations.countyId, allocations.id],
    }),
    foreignKey({ columns: [t.countyId, t.lotId], foreignColumns: [lots.countyId, lots.id] }),
    foreignKey({
      columns: [t.countyId, t.returnRequisitionId],
      foreignColumns: [requisitions.countyId, requisitions.id],
    }),
    index("discrepancies_open_idx").on(t.countyId, t.settledAt),
    check("discrepancies_quantity_positive", sql`${t.quantity} > 0`),
    check(
      "discrepancies_settled_fully",
      sql`(${t.settledAt} is null) = (${t.settlement} is null) and (${t.settledAt} is null) = (${t.settledBy} is null)`,
    ),
  ],
);

/** Lent equipment that must come back by a due date (custody rule 8, docs/custody-rules.md). */
export const loans = pgTable(
  "loans",
  {
    countyId: countyId(),
    id: id().notNull(),
    requisitionLineId: ref("requisition_line_id").notNull(),
    lenderDepotId: ref("lender_depot_id").notNull(),
    quantity: quantity("quantity").notNull(),
    dueOn: date("due_on", { mode: "string" }).notNull(),
    status: loanStatus("status").notNull().default("OPEN"),
    returnedQuantity: quantity("returned_quantity").notNull().default(zeroQuantity),
    returnedAt: instant("returned_at"),
    /** When both sides and the county were told the loan is overdue (live notifications); null until then. */
    overdueNoticedAt: instant("overdue_noticed_at"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({
      columns: [t.countyId, t.requisitionLineId],
      foreignColumns: [requisitionLines.countyId, requisitionLines.id],
    }),
    foreignKey({ columns: [t.countyId, t.lenderDepotId], foreignColumns: [depots.countyId, depots.id] }),
    index("loans_due_idx").on(t.countyId, t.status, t.dueOn),
    check("loans_quantity_positive", sql`${t.quantity} > 0 and ${t.returnedQuantity} >= 0`),
  ],
);
