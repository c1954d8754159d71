import { DomainError } from "../shared/errors.js";

/** Vehicles on call for relief transport (应急运力): trucks, buses and boats. */
export const VEHICLE_KINDS = ["TRUCK", "BUS", "BOAT"] as const;
export type VehicleKind = (typeof VEHICLE_KINDS)[number];

/** A vehicle on call can be named for a journey; one out of service cannot. */
export const VEHICLE_STATUSES = ["ON_CALL", "OUT_OF_SERVICE"] as const;
export type VehicleStatus = (typeof VEHICLE_STATUSES)[number];

/**
 * A plate as the county's register keeps it: upper case, no spaces or the middle dot some write between the
 * province and the number (豫Q·C2301, 豫q c2301 and 豫QC2301 are one truck), so one plate is registered once.
 */
export function normalisePlate(text: string): string {
  return text.replace(/[\s·・•]/gu, "").toUpperCase();
}

/** What dispatching needs to know of a named vehicle: its status and the requisition it is on, if any. */
export interface VehicleOnCall {
  plate: string;
  status: VehicleStatus;
  /** The requisition of its open journey; null when it stands free. */
  onRequisition: number | null;
}

/**
 * Each vehicle named for a dispatch must be on call and free (one open journey at a time). Answers nothing; the
 * first vehicle that cannot go is refused, naming its plate (and the requisition it is on).
 */
export function assertAllFree(named: readonly VehicleOnCall[]): void {
  for (const v of named) {
    if (v.status !== "ON_CALL")
      throw new DomainError("VEHICLE_OUT_OF_SERVICE", `vehicle ${v.plate} is out of service`, ["vehicles"]);
    if (v.onRequisition !== null)
      throw new DomainError(
        "VEHICLE_BUSY",
        `vehicle ${v.plate} is already on the road with requisition ${v.onRequisition}`,
        ["vehicles"],
      );
  }
}

/** A vehicle carries goods (tonnes) or people (seats), or both: one with neither is no transport. */
export function assertHasCapacity(capacityTonnes: bigint | null, seats: number | null): void {
  if (capacityTonnes === null && seats === null)
    throw new DomainError("INVALID_INPUT", "give the capacity in tonnes, the seats, or both", [
      "capacityTonnes",
    ]);
}
