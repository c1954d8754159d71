import { bigint, numeric, timestamp } from "drizzle-orm/pg-core";

/**
 * Every county-scoped table starts with `county_id`, which is part of its primary key, of every foreign key
 * to another county-scoped table and of every unique constraint. That makes `county_id` a valid Citus
 * distribution column: one county's rows, and every transaction about them, live on one shard.
 */
export const countyId = () => bigint("county_id", { mode: "number" }).notNull();
export const id = () => bigint("id", { mode: "number" }).generatedByDefaultAsIdentity();
export const ref = (name: string) => bigint(name, { mode: "number" });
/** Exact decimal: every unit's precision is at most three decimals (domain/shared/quantity.ts). */
export const quantity = (name: string) => numeric(name, { precision: 18, scale: 3 });
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
