import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { countyId, id, instant, ref } from "./columns.js";
import { emergencies } from "./emergencies.js";
import { paperworkStatus } from "./enums.js";
import { movements } from "./movements.js";
import { regions } from "./regions.js";
import { requisitions } from "./requisitions.js";
import { users } from "./users.js";

/**
 * Paperwork owed for what was done first under an emergency (补办手续): an ISSUE line that went out without
 * prior approval (owed by the depot's township office), or a requisition dispatched on the supplier's approval
 * alone (owed by the county). Open until approved after the fact with a note, or contested.
 */
export const emergencyPaperwork = pgTable(
  "emergency_paperwork",
  {
    countyId: countyId(),
    id: id().notNull(),
    emergencyId: ref("emergency_id").notNull(),
    /** The region whose office owes the paperwork. */
    owedByRegionId: ref("owed_by_region_id").notNull(),
    movementId: ref("movement_id"),
    requisitionId: ref("requisition_id"),
    status: paperworkStatus("status").notNull().default("OPEN"),
    openedAt: instant("opened_at").notNull(),
    resolvedBy: ref("resolved_by").references(() => users.id),
    resolvedAt: instant("resolved_at"),
    note: text("note"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({
      columns: [t.countyId, t.emergencyId],
      foreignColumns: [emergencies.countyId, emergencies.id],
    }),
    foreignKey({ columns: [t.countyId, t.owedByRegionId], foreignColumns: [regions.countyId, regions.id] }),
    foreignKey({ columns: [t.countyId, t.movementId], foreignColumns: [movements.countyId, movements.id] }),
    foreignKey({
      columns: [t.countyId, t.requisitionId],
      foreignColumns: [requisitions.countyId, requisitions.id],
    }),
    // one item per ledger line and one per requisition: a retried command cannot open a second
    uniqueIndex("emergency_paperwork_movement_key")
      .on(t.countyId, t.movementId)
      .where(sql`${t.movementId} is not null`),
    uniqueIndex("emergency_paperwork_requisition_key")
      .on(t.countyId, t.requisitionId)
      .where(sql`${t.requisitionId} is not null`),
    index("emergency_paperwork_owed_idx").on(t.countyId, t.owedByRegionId, t.status, t.openedAt),
    index("emergency_paperwork_emergency_idx").on(t.countyId, t.emergencyId),
    check("emergency_paperwork_one_subject", sql`(${t.movementId} is null) <> (${t.requisitionId} is null)`),
    check(
      "emergency_paperwork_resolved_fully",
      sql`(${t.status} = 'OPEN') = (${t.resolvedAt} is null) and (${t.resolvedAt} is null) = (${t.resolvedBy} is null) and (${t.status} = 'OPEN' or length(trim(coalesce(${t.note}, ''))) > 0)`,
    ),
  ],
);
