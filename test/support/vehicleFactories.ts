import { type County, mutation, type Region, unique } from "./factories.js";

/**
 * Vehicles on call (应急运力), registered by the county's administrator over the API, as it does. Each call makes a
 * plate of its own; `extra` overrides any field of the input.
 */
export interface Vehicle {
  id: string;
  plate: string;
}

export async function aVehicle(
  county: County,
  region: Region | County,
  extra: Record<string, unknown> = {},
): Promise<Vehicle> {
  const plate = `豫Q${String(unique()).padStart(5, "0")}`;
  const res = await mutation<{ vehicle: Vehicle }>(
    county.svc,
    county.admin,
    "registerVehicle",
    "RegisterVehicleInput",
    {
      plate,
      kind: "TRUCK",
      capacityTonnes: "10",
      owner: "县应急运输队",
      driverContact: "王师傅 13900002222",
      regionId: region.id,
      ...extra,
    },
    "vehicle { id plate }",
  );
  return res.vehicle;
}

/** A vehicle's standing as a reader sees it: status, whether it can be named, and the requisition it is on. */
export async function standing(county: County, vehicle: Vehicle, as = county.officer) {
  const res = await county.svc.gql<{
    node: {
      status: string;
      available: boolean;
      currentJourney: { requisition: { id: string } | null } | null;
    };
  }>(
    `query($id: ID!) { node(id: $id) { ... on Vehicle { status available currentJourney { requisition { id } } } } }`,
    { id: vehicle.id },
    as,
  );
  const v = res.data!.node;
  return { status: v.status, available: v.available, on: v.currentJourney?.requisition?.id ?? null };
}
