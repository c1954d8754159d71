/** Vehicles on call for relief transport (应急运力): trucks, buses and boats. */
export const VEHICLE_KINDS = ["TRUCK", "BUS", "BOAT"] as const;
export type VehicleKind = (typeof VEHICLE_KINDS)[number];

/** A vehicle on call can be named for a journey; one out of service cannot. */
export const VEHICLE_STATUSES = ["ON_CALL", "OUT_OF_SERVICE"] as const;
export type VehicleStatus = (typeof VEHICLE_STATUSES)[number];
