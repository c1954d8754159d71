import { boolean, foreignKey, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { countyId, id, instant, ref } from "./columns.js";
import { role } from "./enums.js";
import { regions } from "./regions.js";

/**
 * People who sign in. A reference table: a username is unique across the whole installation because it is
 * the `sub` of every token; what a user may do lives in county-scoped grants.
 */
export const users = pgTable("users", {
  id: id().primaryKey(),
  username: text("username").notNull().unique(),
  displayName: text("display_name").notNull(),
  organisation: text("organisation").notNull().default(""),
  phone: text("phone").notNull().default(""),
  /**
   * The county whose administrator manages this person (a user "of" that county). Grants may still reach other
   * counties; null only for accounts made outside any county's administration.
   */
  homeCountyId: ref("home_county_id"),
  createdAt: instant("created_at").notNull().defaultNow(),
  /** scrypt hash (src/auth/passwords.ts); null for people who sign in through an identity provider (JWKS_URL). */
  passwordHash: text("password_hash"),
  /** Access tokens issued before this instant (to the second) are refused: a changed password ends old sessions. */
  passwordChangedAt: instant("password_changed_at"),
  /** The session that changed the password keeps its tokens; every other one ended with the change. */
  passwordSessionId: ref("password_session_id"),
  /** Set by createUser and resetPassword: only changePassword, signOut and me are allowed until it is changed. */
  mustChangePassword: boolean("must_change_password").notNull().default(false),
  /** A disabled user cannot sign in, and their tokens stop working at their next request. */
  disabledAt: instant("disabled_at"),
  disabledReason: text("disabled_reason"),
});

/** A role held over a region (and, for keepers, the depots assigned in depot_keepers). */
export const roleGrants = pgTable(
  "role_grants",
  {
    countyId: countyId(),
    userId: ref("user_id")
      .notNull()
      .references(() => users.id),
    role: role("role").notNull(),
    regionId: ref("region_id").notNull(),
    grantedAt: instant("granted_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.userId, t.role, t.regionId] }),
    foreignKey({ columns: [t.countyId, t.regionId], foreignColumns: [regions.countyId, regions.id] }),
    index("role_grants_user_idx").on(t.userId),
  ],
);

/** A column naming the user who did something (recorded, confirmed, counted). */
export const actor = (name: string) =>
  ref(name)
    .notNull()
    .references(() => users.id);
