import { sql } from "drizzle-orm";
import { boolean, check, integer, pgTable, text } from "drizzle-orm/pg-core";
import { id, instant } from "./columns.js";
import { itemCategory, trackingMode } from "./enums.js";
import { units } from "./units.js";

/** Catalogue of items (物资品目). Reference table, shared by every county. */
export const items = pgTable(
  "items",
  {
    id: id().primaryKey(),
    code: text("code").notNull().unique(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    description: text("description").notNull().default(""),
    category: itemCategory("category").notNull(),
    unitCode: text("unit_code")
      .notNull()
      .references(() => units.code),
    trackingMode: trackingMode("tracking_mode").notNull(),
    shelfLifeDays: integer("shelf_life_days"),
    rotationLeadDays: integer("rotation_lead_days"),
    testRunIntervalDays: integer("test_run_interval_days"),
    returnable: boolean("returnable").notNull(),
    /** GB/T 38565-2020 seven-digit classification code (应急物资分类代码); optional. */
    classificationCode: text("classification_code"),
    createdAt: instant("created_at").notNull().defaultNow(),
    /** A retired item takes no receipts; its stock and history stay. */
    retiredAt: instant("retired_at"),
    retiredReason: text("retired_reason"),
  },
  (t) => [
    check("items_shelf_life_positive", sql`${t.shelfLifeDays} is null or ${t.shelfLifeDays} > 0`),
    check(
      "items_rotation_lead_nonnegative",
      sql`${t.rotationLeadDays} is null or ${t.rotationLeadDays} >= 0`,
    ),
    check(
      "items_test_interval_positive",
      sql`${t.testRunIntervalDays} is null or ${t.testRunIntervalDays} > 0`,
    ),
    check(
      "items_test_runs_only_serial",
      sql`${t.testRunIntervalDays} is null or ${t.trackingMode} = 'SERIAL'`,
    ),
    check(
      "items_classification_code_format",
      sql`${t.classificationCode} is null or ${t.classificationCode} ~ '^[123][0-9]{6}$'`,
    ),
    check("items_retired_with_reason", sql`(${t.retiredAt} is null) = (${t.retiredReason} is null)`),
  ],
);
