import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { kindsWithSign } from "../../domain/stock/movement.js";
import { callUps } from "./callUps.js";
import { countyId, id, instant, quantity, ref } from "./columns.js";
import { depots } from "./depots.js";
import { emergencies } from "./emergencies.js";
import { issuePurpose, movementKind, receiptSource, writeOffCause } from "./enums.js";
import { users } from "./users.js";
import { items } from "./items.js";
import { lots } from "./lots.js";

const inList = (kinds: readonly string[]) => sql.raw(kinds.map((k) => `'${k}'`).join(", "));

/**
 * The ledger (出入库流水): one append-only line per change of stock. Balances equal the sum of these lines;
 * a mistake is corrected by a REVERSAL line pointing at the original. A trigger refuses UPDATE and DELETE.
 */
export const movements = pgTable(
  "movements",
  {
    countyId: countyId(),
    id: id().notNull(),
    depotId: ref("depot_id").notNull(),
    lotId: ref("lot_id").notNull(),
    itemId: ref("item_id")
      .notNull()
      .references(() => items.id),
    kind: movementKind("kind").notNull(),
    /** Signed change of the lot's on-hand quantity. */
    quantity: quantity("quantity").notNull(),
    actorId: ref("actor_id")
      .notNull()
      .references(() => users.id),
    occurredAt: instant("occurred_at").notNull(),
    recordedAt: instant("recorded_at").notNull().defaultNow(),
    reason: text("reason").notNull(),
    /** Outside document or counterpart: delivery note, recipient, incident number. */
    reference: text("reference").notNull().default(""),
    source: receiptSource("source"),
    /** ISSUE lines: who received the stock, and for what. */
    recipient: text("recipient"),
    purpose: issuePurpose("purpose"),
    /** WRITE_OFF lines: damaged, expired or lost. */
    writeOffCause: writeOffCause("write_off_cause"),
    reversesId: ref("reverses_id"),
    requisitionId: ref("requisition_id"),
    stockTakeId: ref("stock_take_id"),
    /** Lines out of agent storage: the release order (动用指令) that allowed them (rule 1). */
    releaseOrderNo: text("release_order_no"),
    /** Lines done first under a declared emergency (先处置后补手续): its paperwork follows. */
    emergencyId: ref("emergency_id"),
    /** RECEIPT lines delivering an agreement call-up. */
    callUpId: ref("call_up_id"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({ columns: [t.countyId, t.lotId], foreignColumns: [lots.countyId, lots.id] }),
    foreignKey({ columns: [t.countyId, t.depotId], foreignColumns: [depots.countyId, depots.id] }),
    foreignKey({ columns: [t.countyId, t.reversesId], foreignColumns: [t.countyId, t.id] }),
    foreignKey({
      columns: [t.countyId, t.emergencyId],
      foreignColumns: [emergencies.countyId, emergencies.id],
    }),
    foreignKey({ columns: [t.countyId, t.callUpId], foreignColumns: [callUps.countyId, callUps.id] }),
    index("movements_lot_idx").on(t.countyId, t.lotId, t.occurredAt),
    index("movements_depot_idx").on(t.countyId, t.depotId, t.recordedAt),
    index("movements_reverses_idx").on(t.countyId, t.reversesId),
    // most lines belong to no requisition: only the few that do are indexed
    index("movements_requisition_idx")
      .on(t.countyId, t.requisitionId)
      .where(sql`${t.requisitionId} is not null`),
    check(
      "movements_sign_matches_kind",
      sql`case
        when ${t.kind} in (${inList(kindsWithSign("POSITIVE"))}) then ${t.quantity} > 0
        when ${t.kind} in (${inList(kindsWithSign("NEGATIVE"))}) then ${t.quantity} < 0
        else ${t.quantity} <> 0 end`,
    ),
    check("movements_reversal_points_back", sql`(${t.kind} = 'REVERSAL') = (${t.reversesId} is not null)`),
    check("movements_receipt_has_source", sql`(${t.kind} = 'RECEIPT') = (${t.source} is not null)`),
    check("movements_reason_given", sql`length(trim(${t.reason})) > 0`),
    check(
      "movements_issue_has_recipient",
      sql`(${t.kind} = 'ISSUE') = (${t.recipient} is not null and ${t.purpose} is not null)`,
    ),
    check(
      "movements_call_up_is_agreement_receipt",
      sql`${t.callUpId} is null or (${t.kind} = 'RECEIPT' and ${t.source} = 'AGREEMENT_CALL_UP')`,
    ),
    index("movements_call_up_idx")
      .on(t.countyId, t.callUpId)
      .where(sql`${t.callUpId} is not null`),
    check("movements_write_off_has_cause", sql`(${t.kind} = 'WRITE_OFF') = (${t.writeOffCause} is not null)`),
  ],
);
