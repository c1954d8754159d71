import { sql } from "drizzle-orm";
import {
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { countyId, id, instant, quantity, ref } from "./columns.js";
import { depots } from "./depots.js";
import { vehicleKind, vehicleStatus } from "./enums.js";
import { regions } from "./regions.js";
import { requisitions } from "./requisitions.js";
import { users } from "./users.js";

/** Vehicles on call for relief transport (应急运力), registered by the county administrator. */
export const vehicles = pgTable(
  "vehicles",
  {
    countyId: countyId(),
    id: id().notNull(),
    plate: text("plate").notNull(),
    kind: vehicleKind("kind").notNull(),
    capacityTonnes: quantity("capacity_tonnes"),
    seats: integer("seats"),
    owner: text("owner").notNull(),
    driverContact: text("driver_contact").notNull(),
    /** Where it stands by: a region (township or county), and the depot it loads at when it has one. */
    regionId: ref("region_id").notNull(),
    homeDepotId: ref("home_depot_id"),
    status: vehicleStatus("status").notNull().default("ON_CALL"),
    createdBy: ref("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    unique("vehicles_plate_key").on(t.countyId, t.plate),
    foreignKey({ columns: [t.countyId, t.regionId], foreignColumns: [regions.countyId, regions.id] }),
    foreignKey({ columns: [t.countyId, t.homeDepotId], foreignColumns: [depots.countyId, depots.id] }),
    index("vehicles_region_idx").on(t.countyId, t.regionId, t.status),
    check("vehicles_has_capacity", sql`${t.capacityTonnes} is not null or ${t.seats} is not null`),
    check(
      "vehicles_capacity_positive",
      sql`(${t.capacityTonnes} is null or ${t.capacityTonnes} > 0) and (${t.seats} is null or ${t.seats} > 0)`,
    ),
    check("vehicles_plate_given", sql`length(trim(${t.plate})) > 0`),
  ],
);

/**
 * A vehicle carrying a dispatched requisition. Open (ended_at null) from dispatch until the receipt is
 * confirmed or the journey recalled; the partial unique index keeps a vehicle on one open journey at a time.
 */
export const vehicleJourneys = pgTable(
  "vehicle_journeys",
  {
    countyId: countyId(),
    id: id().notNull(),
    vehicleId: ref("vehicle_id").notNull(),
    requisitionId: ref("requisition_id").notNull(),
    startedAt: instant("started_at").notNull(),
    endedAt: instant("ended_at"),
  },
  (t) => [
    primaryKey({ columns: [t.countyId, t.id] }),
    foreignKey({ columns: [t.countyId, t.vehicleId], foreignColumns: [vehicles.countyId, vehicles.id] }),
    foreignKey({
      columns: [t.countyId, t.requisitionId],
      foreignColumns: [requisitions.countyId, requisitions.id],
    }),
    uniqueIndex("vehicle_journeys_one_open_key")
      .on(t.countyId, t.vehicleId)
      .where(sql`${t.endedAt} is null`),
    index("vehicle_journeys_requisition_idx").on(t.countyId, t.requisitionId),
    check("vehicle_journeys_ends_after_start", sql`${t.endedAt} is null or ${t.endedAt} >= ${t.startedAt}`),
  ],
);
