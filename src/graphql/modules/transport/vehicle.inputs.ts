import { Field, ID, InputType, Int } from "type-graphql";
import type { VehicleKind, VehicleStatus } from "../../../domain/transport/vehicle.js";
import { DecimalScalar } from "../../scalars.js";
import { IDEMPOTENCY } from "../admin/places.inputs.js";
import { VehicleKindEnum, VehicleStatusEnum } from "./vehicle.type.js";

@InputType({ description: "A vehicle put on call for relief transport (应急运力)." })
export class RegisterVehicleInput {
  @Field(() => String, {
    description:
      "Plate number, unique in the county; case, spaces and the middle dot do not count (豫Q·C2301).",
  })
  plate!: string;

  @Field(() => VehicleKindEnum, { description: "Truck, bus or boat." })
  kind!: VehicleKind;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: "What it carries, in tonnes; give this, seats, or both.",
  })
  capacityTonnes?: string | null;

  @Field(() => Int, { nullable: true, description: "Seats for people; give this, capacityTonnes, or both." })
  seats?: number | null;

  @Field(() => String, { description: "Who owns it." })
  owner!: string;

  @Field(() => String, { description: "How to reach its driver." })
  driverContact!: string;

  @Field(() => ID, { description: "Where it stands by: the county or a township." })
  regionId!: string;

  @Field(() => ID, {
    nullable: true,
    description: "The depot it loads at, in the region or under it.",
  })
  homeDepotId?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "Changes to a vehicle; omitted fields stay as they are." })
export class UpdateVehicleInput {
  @Field(() => ID, { description: "The vehicle." })
  vehicleId!: string;

  @Field(() => String, { nullable: true, description: "How to reach its driver." })
  driverContact?: string | null;

  @Field(() => String, { nullable: true, description: "Who owns it." })
  owner?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: "What it carries, in tonnes." })
  capacityTonnes?: string | null;

  @Field(() => Int, { nullable: true, description: "Seats for people." })
  seats?: number | null;

  @Field(() => ID, {
    nullable: true,
    description: "The depot it loads at, in its region or under it; null detaches it.",
  })
  homeDepotId?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "Putting a vehicle on call or taking it out of service." })
export class SetVehicleStatusInput {
  @Field(() => ID, { description: "The vehicle." })
  vehicleId!: string;

  @Field(() => VehicleStatusEnum, { description: "ON_CALL or OUT_OF_SERVICE." })
  status!: VehicleStatus;

  @Field(() => String, { description: "Why, kept in the administration log." })
  note!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}
