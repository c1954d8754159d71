import type { Executor } from "../client.js";
import { auditEvents } from "../schema/index.js";

export type NewAuditEvent = Omit<typeof auditEvents.$inferInsert, "id">;

/** Appends one row; there is no update and no delete here, and the database refuses them too. */
export async function append(db: Executor, event: NewAuditEvent): Promise<void> {
  await db.insert(auditEvents).values(event);
}
