import { index, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { countyId, id, instant, ref } from "./columns.js";
import { users } from "./users.js";

/**
 * The administration log (管理日志): one row per change to people, grants, places, keepers, catalogue, agreements
 * or norms, with the row as it was and as it became. Append-only like the ledger: the database refuses UPDATE,
 * DELETE and TRUNCATE (migration 0004), so "who changed this, and from what" is always answerable.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    countyId: countyId(),
    id: id().notNull(),
    actorId: ref("actor_id")
      .notNull()
      .references(() => users.id),
    occurredAt: instant("occurred_at").notNull(),
    /** The mutation that made the change, e.g. `createDepot`. */
    action: text("action").notNull(),
    /** What kind of thing changed: `User`, `Region`, `Depot`, `Item`, `Agreement`, … (GraphQL type names). */
    targetType: text("target_type").notNull(),
    /** The changed row's id (for composite keys, its own id within the county). */
    targetId: ref("target_id").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    index("audit_events_target_idx").on(t.countyId, t.targetType, t.targetId),
    index("audit_events_actor_idx").on(t.countyId, t.actorId),
  ],
);
