import { index, pgTable, text } from "drizzle-orm/pg-core";
import { id, instant, ref } from "./columns.js";
import { users } from "./users.js";

/**
 * Sign-in sessions (会话): one row per refresh token ever issued, holding only its SHA-256 hash. Every refresh
 * replaces the row by a new one of the same family; presenting a replaced token again means it was copied, and
 * the whole family is revoked. A reference table like users: a session is a person's, not a county's.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: id().primaryKey(),
    userId: ref("user_id")
      .notNull()
      .references(() => users.id),
    /** The id of the first session of the chain of rotations this one belongs to. */
    familyId: ref("family_id").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: instant("created_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
    /** When refreshSession exchanged this token for the next one. */
    replacedAt: instant("replaced_at"),
    /** When it was ended: sign-out, password change, disabled user or reuse of a replaced token. */
    revokedAt: instant("revoked_at"),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_family_idx").on(t.familyId)],
);

/**
 * Failed sign-ins per (username, client address), kept in the database so every process counts the same
 * failures: five within a minute lock that pair (TOO_MANY_ATTEMPTS).
 */
export const signInFailures = pgTable(
  "sign_in_failures",
  {
    id: id().primaryKey(),
    username: text("username").notNull(),
    clientAddress: text("client_address").notNull(),
    failedAt: instant("failed_at").notNull(),
  },
  (t) => [index("sign_in_failures_pair_idx").on(t.username, t.clientAddress, t.failedAt)],
);
