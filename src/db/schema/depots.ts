import { sql } from "drizzle-orm";
import {
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { countyId, id, instant, ref } from "./columns.js";
import { depotKind } from "./enums.js";
import { regions } from "./regions.js";
import { users } from "./users.js";

/** Storage places (储备点): county warehouse, township depot, village point, agent storage, agreement reserve. */
export const depots = pgTable(
  "depots",
  {
    countyId: countyId(),
    id: id().notNull(),
    regionId: ref("region_id").notNull(),
    code: text("code").notNull(),
    kind: depotKind("kind").notNull(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    address: text("address").notNull().default(""),
    /** Who physically holds the stock: the owning office, or the agent/distributor for 代储点 and 协议储备. */
    custodianOrg: text("custodian_org").notNull(),
    /** Agreement reserves: hours from a call-up until the distributor delivers. */
    callUpLeadHours: integer("call_up_lead_hours"),
    /** WGS-84, for a map; optional. */
    latitude: doublePrecision("latitude"),
    longitude: doublePrecision("longitude"),
    createdAt: instant("created_at").notNull().defaultNow(),
    /** A closed depot keeps its ledger for the record and takes no new movement. */
    closedAt: instant("closed_at"),
    closedReason: text("closed_reason"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    unique("depots_code_key").on(t.countyId, t.code),
    foreignKey({ columns: [t.countyId, t.regionId], foreignColumns: [regions.countyId, regions.id] }),
    index("depots_region_idx").on(t.countyId, t.regionId),
    index("depots_id_idx").on(t.id),
    check(
      "depots_call_up_only_for_agreements",
      sql`${t.callUpLeadHours} is null or (${t.kind} = 'AGREEMENT_RESERVE' and ${t.callUpLeadHours} > 0)`,
    ),
    check(
      "depots_coordinates_range",
      sql`(${t.latitude} is null or ${t.latitude} between -90 and 90) and (${t.longitude} is null or ${t.longitude} between -180 and 180)`,
    ),
    check("depots_closed_with_reason", sql`(${t.closedAt} is null) = (${t.closedReason} is null)`),
  ],
);

/**
 * Keeper assignments (专人管理), kept with their history: a row is never deleted, an unassignment or a handover
 * sets `until`. Only assignments without `until` give custody; "who kept this depot on a day" reads the rest.
 */
export const depotKeepers = pgTable(
  "depot_keepers",
  {
    countyId: countyId(),
    id: id().notNull(),
    depotId: ref("depot_id").notNull(),
    userId: ref("user_id")
      .notNull()
      .references(() => users.id),
    assignedAt: instant("assigned_at").notNull().defaultNow(),
    until: instant("until"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({ columns: [t.countyId, t.depotId], foreignColumns: [depots.countyId, depots.id] }),
    index("depot_keepers_user_idx").on(t.userId),
    index("depot_keepers_depot_idx").on(t.countyId, t.depotId, t.assignedAt),
    // one current assignment per keeper and depot, however many past ones
    uniqueIndex("depot_keepers_one_current")
      .on(t.countyId, t.depotId, t.userId)
      .where(sql`${t.until} is null`),
    check("depot_keepers_until_after_from", sql`${t.until} is null or ${t.until} >= ${t.assignedAt}`),
  ],
);

/** A handover (交接): one keeper gives a depot to another, with the stock on hand per item at that moment. */
export const depotHandovers = pgTable(
  "depot_handovers",
  {
    countyId: countyId(),
    id: id().notNull(),
    depotId: ref("depot_id").notNull(),
    fromUserId: ref("from_user_id")
      .notNull()
      .references(() => users.id),
    toUserId: ref("to_user_id")
      .notNull()
      .references(() => users.id),
    at: instant("at").notNull(),
    note: text("note").notNull(),
    /** [{ itemId, onHand }] as counted by the books at the handover; a snapshot, never recomputed. */
    stock: jsonb("stock").$type<{ itemId: number; onHand: string }[]>().notNull(),
    recordedBy: ref("recorded_by")
      .notNull()
      .references(() => users.id),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({ columns: [t.countyId, t.depotId], foreignColumns: [depots.countyId, depots.id] }),
    index("depot_handovers_depot_idx").on(t.countyId, t.depotId, t.at),
    check("depot_handovers_two_people", sql`${t.fromUserId} <> ${t.toUserId}`),
  ],
);
