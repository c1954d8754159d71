import { jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { countyId, instant, ref } from "./columns.js";
import { users } from "./users.js";

/**
 * Idempotency records: written in the same transaction as the change they guard, so a retried mutation
 * returns the stored response and writes nothing twice.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    countyId: countyId(),
    userId: ref("user_id")
      .notNull()
      .references(() => users.id),
    key: text("key").notNull(),
    operation: text("operation").notNull(),
    requestHash: text("request_hash").notNull(),
    response: jsonb("response").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.countyId, t.userId, t.key] })],
);
