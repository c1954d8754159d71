import { sql } from "drizzle-orm";
import { check, foreignKey, index, integer, pgTable, primaryKey, text, unique } from "drizzle-orm/pg-core";
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
    createdAt: instant("created_at").notNull().defaultNow(),
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
  ],
);

/** Keepers assigned to a depot (专人管理): they, and only they among keepers, change its stock. */
export const depotKeepers = pgTable(
  "depot_keepers",
  {
    countyId: countyId(),
    depotId: ref("depot_id").notNull(),
    userId: ref("user_id")
      .notNull()
      .references(() => users.id),
    assignedAt: instant("assigned_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.depotId, t.userId] }),
    foreignKey({ columns: [t.countyId, t.depotId], foreignColumns: [depots.countyId, depots.id] }),
    index("depot_keepers_user_idx").on(t.userId),
  ],
);
