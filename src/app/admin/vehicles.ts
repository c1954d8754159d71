import type { Actor } from "../../domain/custody/actor.js";
import { DomainError } from "../../domain/shared/errors.js";
import { parseQuantity, type Quantity } from "../../domain/shared/quantity.js";
import {
  assertHasCapacity,
  normalisePlate,
  type VehicleKind,
  type VehicleStatus,
} from "../../domain/transport/vehicle.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import * as depotWrites from "../../db/repositories/depots.writes.js";
import * as regionReads from "../../db/repositories/regions.js";
import * as regionWrites from "../../db/repositories/regions.writes.js";
import * as vehicleWrites from "../../db/repositories/vehicles.writes.js";
import * as vehicles from "../../db/repositories/vehicles.js";
import type { AppDeps } from "../deps.js";
import { requireText } from "../stock/facts.js";
import { adminCommand } from "./command.js";
import { definedOnly, requiredName, wholeNumber } from "./fields.js";

export interface VehicleFields {
  capacityTonnes?: string | null;
  seats?: number | null;
  owner?: string | null;
  driverContact?: string | null;
  /** The depot it loads at; it must stand in the vehicle's region or under it. */
  homeDepot?: CountyKey | null;
}

export interface RegisterVehicleInput extends VehicleFields {
  plate: string;
  kind: VehicleKind;
  owner: string;
  driverContact: string;
  region: CountyKey;
  idempotencyKey?: string | null;
}

const plateOf = (text: string): string => {
  const plate = normalisePlate(requiredName(text, "plate", "the plate"));
  if (plate.length === 0 || plate.length > 20)
    throw new DomainError("INVALID_INPUT", "a plate has 1 to 20 characters besides spaces", ["plate"]);
  return plate;
};

const tonnes = (text: string | null | undefined): Quantity | null | undefined =>
  text == null ? text : parseQuantity(text, 3, ["capacityTonnes"]);

const seatsOf = (n: number | null | undefined) => (n == null ? n : wholeNumber(n, "seats", 1, 500));

/** Two administrators registering one plate at once: the unique constraint decides, the loser hears DUPLICATE. */
function duplicatePlate(plate: string) {
  return (e: unknown): never => {
    const err = e as { code?: string; cause?: { code?: string } };
    if (err.code === "23505" || err.cause?.code === "23505")
      throw new DomainError("DUPLICATE", `plate ${plate} is already registered in this county`, ["plate"]);
    throw e;
  };
}

/** A vehicle stands by at the county or a township: the places whose offices call transport up. */
async function standbyRegion(tx: Executor, key: CountyKey) {
  const region = await regionWrites.lock(tx, key);
  if (!region) throw new DomainError("NOT_FOUND", "region not found", ["regionId"]);
  if (region.level === "VILLAGE")
    throw new DomainError("INVALID_INPUT", "a vehicle stands by at the county or a township", ["regionId"]);
  return region;
}

/** The home depot: open, of the county, in the vehicle's region or under it. */
async function homeDepotIn(tx: Executor, region: CountyKey, key: CountyKey | null | undefined) {
  if (!key) return key === null ? null : undefined;
  const depot = key.countyId === region.countyId ? await depotWrites.lock(tx, key) : null;
  if (!depot) throw new DomainError("NOT_FOUND", "depot not found", ["homeDepotId"]);
  if (depot.closedAt !== null) throw new DomainError("DEPOT_CLOSED", "the depot is closed", ["homeDepotId"]);
  const lineage = await regionReads.findLineages(tx, [{ countyId: depot.countyId, id: depot.regionId }]);
  if (!(lineage.get(`${depot.countyId}:${depot.regionId}`) ?? []).includes(region.id))
    throw new DomainError("INVALID_INPUT", "the home depot is not in the vehicle's region or under it", [
      "homeDepotId",
    ]);
  return depot.id;
}

/** A vehicle on call for relief transport (应急运力), registered by the county's administrator. */
export function registerVehicle(deps: AppDeps, actor: Actor, input: RegisterVehicleInput) {
  const { region } = input;
  return adminCommand(deps, actor, "registerVehicle", region.countyId, input, {}, async (tx, _now, audit) => {
    await standbyRegion(tx, region);
    const plate = plateOf(input.plate);
    if (await vehicles.findByPlate(tx, region.countyId, plate))
      throw new DomainError("DUPLICATE", `plate ${plate} is already registered in this county`, ["plate"]);
    const capacityTonnes = tonnes(input.capacityTonnes) ?? null;
    const seats = seatsOf(input.seats) ?? null;
    assertHasCapacity(capacityTonnes, seats);
    const row = await vehicleWrites
      .insert(tx, {
        countyId: region.countyId,
        plate,
        kind: input.kind,
        capacityTonnes,
        seats,
        owner: requiredName(input.owner, "owner", "the owner"),
        driverContact: requiredName(input.driverContact, "driverContact", "the driver's contact"),
        regionId: region.id,
        homeDepotId: (await homeDepotIn(tx, region, input.homeDepot)) ?? null,
        createdBy: actor.userId,
      })
      .catch(duplicatePlate(plate));
    await audit({ targetType: "Vehicle", targetId: row.id, before: null, after: row });
    return row;
  });
}

export interface UpdateVehicleInput extends VehicleFields {
  vehicle: CountyKey;
  idempotencyKey?: string | null;
}

/** Driver contact, owner, capacity and home depot; plate, kind and region stay as registered. */
export function updateVehicle(deps: AppDeps, actor: Actor, input: UpdateVehicleInput) {
  const key = input.vehicle;
  return adminCommand(deps, actor, "updateVehicle", key.countyId, input, {}, async (tx, _now, audit) => {
    const [before] = await vehicleWrites.lockMany(tx, key.countyId, [key.id]);
    if (!before) throw new DomainError("NOT_FOUND", "vehicle not found", ["vehicleId"]);
    const patch = definedOnly({
      owner: input.owner == null ? undefined : requiredName(input.owner, "owner", "the owner"),
      driverContact:
        input.driverContact == null
          ? undefined
          : requiredName(input.driverContact, "driverContact", "the driver's contact"),
      capacityTonnes: input.capacityTonnes == null ? undefined : tonnes(input.capacityTonnes),
      seats: input.seats == null ? undefined : seatsOf(input.seats),
      homeDepotId: await homeDepotIn(tx, { countyId: key.countyId, id: before.regionId }, input.homeDepot),
    });
    assertHasCapacity(
      patch.capacityTonnes === undefined ? before.capacityTonnes : patch.capacityTonnes,
      patch.seats === undefined ? before.seats : patch.seats,
    );
    if (Object.keys(patch).length === 0) return before;
    const after = await vehicleWrites.update(tx, key, patch);
    await audit({ targetType: "Vehicle", targetId: after.id, before, after });
    return after;
  });
}

export interface SetVehicleStatusInput {
  vehicle: CountyKey;
  status: VehicleStatus;
  note: string;
  idempotencyKey?: string | null;
}

/**
 * On call, or out of service (repairs, driver away). A vehicle on the road may be taken out of service: its
 * journey ends as usual at the receipt or the recall, and it is not named again until it is back on call.
 */
export function setVehicleStatus(deps: AppDeps, actor: Actor, input: SetVehicleStatusInput) {
  const key = input.vehicle;
  return adminCommand(deps, actor, "setVehicleStatus", key.countyId, input, {}, async (tx, _now, audit) => {
    const note = requireText(input.note, "note", "a note");
    const [before] = await vehicleWrites.lockMany(tx, key.countyId, [key.id]);
    if (!before) throw new DomainError("NOT_FOUND", "vehicle not found", ["vehicleId"]);
    if (before.status === input.status)
      throw new DomainError("INVALID_TRANSITION", `the vehicle is already ${input.status}`, ["status"]);
    const after = await vehicleWrites.update(tx, key, { status: input.status });
    await audit({ targetType: "Vehicle", targetId: after.id, before, after: { ...after, note } });
    return after;
  });
}
