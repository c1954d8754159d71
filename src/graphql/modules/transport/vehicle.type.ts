import { DateTimeResolver } from "graphql-scalars";
import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import type { JourneyRow, VehicleRow } from "../../../db/repositories/vehicles.js";
import {
  VEHICLE_KINDS,
  VEHICLE_STATUSES,
  type VehicleKind,
  type VehicleStatus,
} from "../../../domain/transport/vehicle.js";
import { enumObject } from "../../enums.js";
import { UserError } from "../../errors.js";
import { toGlobalId } from "../../ids.js";
import { Connection } from "../../relay.js";
import { decimalOrNull, DecimalScalar } from "../../scalars.js";
import { Node } from "../node/node.type.js";

export const VehicleKindEnum = enumObject(VEHICLE_KINDS);
registerEnumType(VehicleKindEnum, {
  name: "VehicleKind",
  description: "Truck (货车), bus (客车) or boat (船).",
});

export const VehicleStatusEnum = enumObject(VEHICLE_STATUSES);
registerEnumType(VehicleStatusEnum, {
  name: "VehicleStatus",
  description: "On call for relief transport (待命), or out of service (停用: repairs, driver away).",
});

@ObjectType({
  implements: Node,
  description:
    "A vehicle on call for relief transport (应急运力), registered by the county; a dispatch may name it while it is on call and free.",
})
export class Vehicle extends Node {
  countyId!: number;
  vehicleId!: number;
  regionId!: number;
  homeDepotId!: number | null;

  @Field(() => String, { description: "Plate number as registered: upper case, without spaces or dots." })
  plate!: string;

  @Field(() => VehicleKindEnum, { description: "Truck, bus or boat." })
  kind!: VehicleKind;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: "What it carries, in tonnes; null for none given.",
  })
  capacityTonnes!: string | null;

  @Field(() => Int, { nullable: true, description: "Seats for people; null for none given." })
  seats!: number | null;

  @Field(() => String, { description: "Who owns it: a unit of the county, a company, a person." })
  owner!: string;

  @Field(() => String, { description: "How to reach its driver." })
  driverContact!: string;

  @Field(() => VehicleStatusEnum, { description: "On call or out of service." })
  status!: VehicleStatus;

  @Field(() => DateTimeResolver, { description: "When it was registered." })
  createdAt!: Date;

  static from(row: VehicleRow): Vehicle {
    const { id, capacityTonnes, ...rest } = row;
    return Object.assign(new Vehicle(), rest, {
      vehicleId: id,
      capacityTonnes: decimalOrNull(capacityTonnes),
      id: toGlobalId("Vehicle", { countyId: row.countyId, id }),
    });
  }
}

@ObjectType({
  description: "A vehicle's trip with a dispatched requisition, from dispatch to receipt or recall.",
})
export class VehicleJourney {
  countyId!: number;
  vehicleId!: number;
  requisitionId!: number;

  @Field(() => DateTimeResolver, { description: "When it set off (the dispatch)." })
  startedAt!: Date;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: "When it came free (receipt confirmed or recall); null while on the road.",
  })
  endedAt!: Date | null;

  static from(row: JourneyRow): VehicleJourney {
    return Object.assign(new VehicleJourney(), row);
  }
}

@ObjectType({ description: "A page of vehicles." })
export class VehicleConnection extends Connection(Vehicle, "Vehicle") {}

@ObjectType({ description: "The result of a vehicle change." })
export class VehiclePayload {
  @Field(() => Vehicle, { nullable: true, description: "The vehicle as now stored; null when refused." })
  vehicle!: Vehicle | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}
