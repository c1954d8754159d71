import { foreignKey, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { countyId, id, instant, ref } from "./columns.js";
import { lotCondition } from "./enums.js";
import { lots } from "./lots.js";
import { actor } from "./users.js";

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
