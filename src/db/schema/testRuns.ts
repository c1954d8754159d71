import { date, foreignKey, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { countyId, id, instant, ref } from "./columns.js";
import { testRunKind, testRunOutcome } from "./enums.js";
import { lots } from "./lots.js";
import { actor } from "./users.js";

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
