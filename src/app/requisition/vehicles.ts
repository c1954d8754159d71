import { DomainError } from "../../domain/shared/errors.js";
import { assertAllFree } from "../../domain/transport/vehicle.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import * as vehicleWrites from "../../db/repositories/vehicles.writes.js";
import * as vehicles from "../../db/repositories/vehicles.js";

/**
 * The vehicles a dispatch names (应急运力) set off with the requisition: their rows locked in id order, after the
 * requisition and its lots, so two dispatches naming the same truck queue and the second sees it on the road.
 * Each must be on call and on no open journey; then each gets an open journey for this requisition.
 */
export async function setOff(
  tx: Executor,
  requisition: CountyKey,
  vehicleIds: readonly number[],
  now: Date,
): Promise<void> {
  if (vehicleIds.length === 0) return;
  const ids = [...new Set(vehicleIds)].sort((a, b) => a - b);
  if (ids.length !== vehicleIds.length)
    throw new DomainError("INVALID_INPUT", "name each vehicle once", ["vehicles"]);
  const { countyId } = requisition;
  const rows = await vehicleWrites.lockMany(tx, countyId, ids);
  if (rows.length !== ids.length) throw new DomainError("NOT_FOUND", "vehicle not found", ["vehicles"]);
  const open = await vehicles.openJourneysOf(
    tx,
    ids.map((id) => ({ countyId, id })),
  );
  const onTrip = new Map(open.map((j) => [j.vehicleId, j.requisitionId]));
  assertAllFree(
    rows.map((v) => ({ plate: v.plate, status: v.status, onRequisition: onTrip.get(v.id) ?? null })),
  );
  await vehicleWrites.startJourneys(tx, countyId, ids, requisition.id, now);
}

/** The requisition's journeys end (received, or called back): its vehicles are free to be named again. */
export const cameBack = (tx: Executor, requisition: CountyKey, now: Date): Promise<void> =>
  vehicleWrites.endJourneysOf(tx, requisition, now);
