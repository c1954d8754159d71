import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import type { JourneyRow, VehicleRow } from "./vehicles.js";
import { vehicleJourneys, vehicles } from "../schema/index.js";

export type NewVehicle = Omit<typeof vehicles.$inferInsert, "id" | "createdAt" | "status">;

export type VehiclePatch = Partial<
  Pick<VehicleRow, "owner" | "driverContact" | "capacityTonnes" | "seats" | "homeDepotId" | "status">
>;

export async function insert(db: Executor, v: NewVehicle): Promise<VehicleRow> {
  const [row] = await db.insert(vehicles).values(v).returning();
  return row!;
}

export async function update(db: Executor, key: CountyKey, patch: VehiclePatch): Promise<VehicleRow> {
  const [row] = await db
    .update(vehicles)
    .set(patch)
    .where(inKeys(vehicles.countyId, vehicles.id, [key]))
    .returning();
  return row!;
}

/**
 * Vehicles of one county locked in id order: every transaction that names vehicles (dispatches, status changes)
 * takes their rows in the same order, so two dispatches naming the same trucks queue instead of deadlocking.
 */
export function lockMany(db: Executor, countyId: number, ids: readonly number[]): Promise<VehicleRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(vehicles)
    .where(and(eq(vehicles.countyId, countyId), inArray(vehicles.id, [...ids])))
    .orderBy(asc(vehicles.id))
    .for("update");
}

export async function startJourneys(
  db: Executor,
  countyId: number,
  vehicleIds: readonly number[],
  requisitionId: number,
  at: Date,
): Promise<JourneyRow[]> {
  if (vehicleIds.length === 0) return [];
  return db
    .insert(vehicleJourneys)
    .values(vehicleIds.map((vehicleId) => ({ countyId, vehicleId, requisitionId, startedAt: at })))
    .returning();
}

/** Ends the requisition's open journeys: its vehicles are free again. */
export async function endJourneysOf(db: Executor, requisition: CountyKey, at: Date): Promise<void> {
  await db
    .update(vehicleJourneys)
    .set({ endedAt: at })
    .where(
      and(
        eq(vehicleJourneys.countyId, requisition.countyId),
        eq(vehicleJourneys.requisitionId, requisition.id),
        isNull(vehicleJourneys.endedAt),
      ),
    );
}
