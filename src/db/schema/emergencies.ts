import { sql } from "drizzle-orm";
import { check, foreignKey, index, integer, pgTable, primaryKey, text, unique } from "drizzle-orm/pg-core";
import { countyId, id, instant, ref } from "./columns.js";
import { emergencyLevel } from "./enums.js";
import { regions } from "./regions.js";
import { users } from "./users.js";

/**
 * A declared emergency (应急响应): while it covers a region (the region and everything under it) and has not
 * ended, that region's keepers and office may issue now and do the paperwork afterwards (先处置后补手续).
 * `number` is the county's own running number, the one ledger lines and exports quote.
 */
export const emergencies = pgTable(
  "emergencies",
  {
    countyId: countyId(),
    id: id().notNull(),
    number: integer("number").notNull(),
    regionId: ref("region_id").notNull(),
    level: emergencyLevel("level").notNull(),
    reason: text("reason").notNull(),
    declaredBy: ref("declared_by")
      .notNull()
      .references(() => users.id),
    declaredAt: instant("declared_at").notNull(),
    /** Ends by itself at this instant unless ended earlier; open-ended when null. */
    until: instant("until"),
    endedBy: ref("ended_by").references(() => users.id),
    endedAt: instant("ended_at"),
    endNote: text("end_note"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    unique("emergencies_number_key").on(t.countyId, t.number),
    foreignKey({ columns: [t.countyId, t.regionId], foreignColumns: [regions.countyId, regions.id] }),
    index("emergencies_region_idx").on(t.countyId, t.regionId, t.endedAt),
    check("emergencies_number_positive", sql`${t.number} > 0`),
    check("emergencies_reason_given", sql`length(trim(${t.reason})) > 0`),
    check("emergencies_until_after_declared", sql`${t.until} is null or ${t.until} > ${t.declaredAt}`),
    check(
      "emergencies_ended_fully",
      sql`(${t.endedAt} is null) = (${t.endedBy} is null) and (${t.endedAt} is null) = (${t.endNote} is null)`,
    ),
  ],
);
