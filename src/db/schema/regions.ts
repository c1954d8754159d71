import { sql } from "drizzle-orm";
import { check, foreignKey, index, integer, pgTable, primaryKey, text, unique } from "drizzle-orm/pg-core";
import { countyId, id, instant, ref } from "./columns.js";
import { regionLevel } from "./enums.js";

/** Administrative regions (行政区划). A county's own row has county_id = id. */
export const regions = pgTable(
  "regions",
  {
    countyId: countyId(),
    id: id().notNull(),
    parentId: ref("parent_id"),
    level: regionLevel("level").notNull(),
    divisionCode: text("division_code").notNull(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    population: integer("population").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    unique("regions_division_code_key").on(t.countyId, t.divisionCode),
    foreignKey({ columns: [t.countyId, t.parentId], foreignColumns: [t.countyId, t.id] }),
    index("regions_id_idx").on(t.id),
    check("regions_division_code_format", sql`${t.divisionCode} ~ '^[0-9]{12}$'`),
    check("regions_population_nonnegative", sql`${t.population} >= 0`),
    check(
      "regions_county_is_root",
      sql`(${t.level} = 'COUNTY') = (${t.parentId} is null) and (${t.level} <> 'COUNTY' or ${t.id} = ${t.countyId})`,
    ),
  ],
);

/**
 * Closure of the region tree: one row per (ancestor, descendant), including each region with itself at depth 0,
 * so subtree roll-ups are a join, never a recursive query.
 */
export const regionPaths = pgTable(
  "region_paths",
  {
    countyId: countyId(),
    ancestorId: ref("ancestor_id").notNull(),
    descendantId: ref("descendant_id").notNull(),
    depth: integer("depth").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.ancestorId, t.descendantId] }),
    foreignKey({ columns: [t.countyId, t.ancestorId], foreignColumns: [regions.countyId, regions.id] }),
    foreignKey({ columns: [t.countyId, t.descendantId], foreignColumns: [regions.countyId, regions.id] }),
    index("region_paths_descendant_idx").on(t.countyId, t.descendantId),
    check("region_paths_depth_nonnegative", sql`${t.depth} >= 0`),
  ],
);

/** Mutual-aid links between townships (相邻乡镇互助), stored in both directions. */
export const regionNeighbours = pgTable(
  "region_neighbours",
  {
    countyId: countyId(),
    regionId: ref("region_id").notNull(),
    neighbourId: ref("neighbour_id").notNull(),
    travelMinutes: integer("travel_minutes").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.regionId, t.neighbourId] }),
    foreignKey({ columns: [t.countyId, t.regionId], foreignColumns: [regions.countyId, regions.id] }),
    foreignKey({ columns: [t.countyId, t.neighbourId], foreignColumns: [regions.countyId, regions.id] }),
    check("region_neighbours_not_self", sql`${t.regionId} <> ${t.neighbourId}`),
    check("region_neighbours_travel_positive", sql`${t.travelMinutes} > 0`),
  ],
);
