import { sql } from "drizzle-orm";
import { bigint, customType, timestamp } from "drizzle-orm/pg-core";
import { fromDb, formatQuantity, type Quantity } from "../../domain/shared/quantity.js";

/**
 * Every county-scoped table starts with `county_id`, which is part of its primary key, of every foreign key
 * to another county-scoped table and of every unique constraint. That makes `county_id` a valid Citus
 * distribution column: one county's rows, and every transaction about them, live on one shard.
 */
export const countyId = () => bigint("county_id", { mode: "number" }).notNull();
export const id = () => bigint("id", { mode: "number" }).generatedByDefaultAsIdentity();
export const ref = (name: string) => bigint(name, { mode: "number" });

/**
 * Exact decimal: every unit's precision is at most three decimals (domain/shared/quantity.ts). Both drivers
 * hand numeric over as its decimal text (neither PGlite nor postgres.js parses type 1700), so rows carry the
 * domain's Quantity and nothing above db/ converts.
 */
const numericQuantity = customType<{ data: Quantity; driverData: string }>({
  dataType: () => "numeric(18, 3)",
  fromDriver: fromDb,
  toDriver: formatQuantity,
});
export const quantity = (name: string) => numericQuantity(name);
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
/**
 * A quantity column's default as SQL: the column takes Quantity values, and the literal keeps the default the
 * migrations already hold ('0').
 */
export const zeroQuantity = sql`'0'`;
/** A quantity bound inside hand-written SQL, where no column encodes it: the decimal text, typed numeric. */
export const quantityParam = (q: Quantity) => sql`${formatQuantity(q)}::numeric`;
