import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";
import type { DepotKind } from "../../../domain/region/region.js";
import { DepotKindEnum } from "../../enums.js";
import { UserError } from "../../errors.js";
import { Depot } from "../depot/depot.type.js";
import { Region } from "../region/region.type.js";

export const IDEMPOTENCY =
  "Retry-safe key chosen by the client: a retry with the same key and input returns the original answer and writes nothing; the same key with other input is refused.";

@InputType({ description: "A new township under the county, or a village under a township." })
export class CreateRegionInput {
  @Field(() => ID, { description: "The region above: the county for a township, a township for a village." })
  parentId!: string;

  @Field(() => String, {
    description:
      "Statistical division code (统计用区划代码): 9 digits for a township, 12 for a village, or all 12 digits; it must extend the parent's.",
  })
  divisionCode!: string;

  @Field(() => String, { description: "Chinese name, e.g. 城关镇." })
  nameZh!: string;

  @Field(() => String, { nullable: true, description: "English (pinyin) name." })
  nameEn?: string | null;

  @Field(() => Int, { description: "Residents; per-1,000-residents norms are computed from it." })
  population!: number;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "New names or population of a region; omitted fields stay as they are." })
export class UpdateRegionInput {
  @Field(() => ID, { description: "The region." })
  regionId!: string;

  @Field(() => String, { nullable: true, description: "Chinese name." })
  nameZh?: string | null;

  @Field(() => String, { nullable: true, description: "English (pinyin) name." })
  nameEn?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: "Residents; coverage per 1,000 residents follows it at once.",
  })
  population?: number | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@ObjectType({ description: "The result of a region change." })
export class RegionPayload {
  @Field(() => Region, { nullable: true, description: "The region as now stored; null when refused." })
  region!: Region | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}

@InputType({ description: "A mutual-aid link between two townships (相邻乡镇互助), with the travel time." })
export class SetMutualAidInput {
  @Field(() => ID, { description: "One township." })
  regionId!: string;

  @Field(() => ID, { description: "The other township." })
  neighbourId!: string;

  @Field(() => Int, { description: "Travel time by road, in minutes (1 to 1440)." })
  travelMinutes!: number;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "The mutual-aid link to remove." })
export class RemoveMutualAidInput {
  @Field(() => ID, { description: "One township." })
  regionId!: string;

  @Field(() => ID, { description: "The other township." })
  neighbourId!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@ObjectType({ description: "The result of a mutual-aid change." })
export class MutualAidPayload {
  @Field(() => Region, { nullable: true, description: "One township; null when refused." })
  region!: Region | null;

  @Field(() => Region, { nullable: true, description: "The other township; null when refused." })
  neighbour!: Region | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}

@InputType({ description: "A new storage place (储备点)." })
export class CreateDepotInput {
  @Field(() => ID, { description: "The region that owns it." })
  regionId!: string;

  @Field(() => String, { description: "Stable code, unique in the county, e.g. `TD-01`." })
  code!: string;

  @Field(() => DepotKindEnum, {
    description:
      "What kind of place: a county warehouse stands in the county, a township depot in a township, a village point in a village.",
  })
  kind!: DepotKind;

  @Field(() => String, { description: "Chinese name." })
  nameZh!: string;

  @Field(() => String, { nullable: true, description: "English name." })
  nameEn?: string | null;

  @Field(() => String, { nullable: true, description: "Where it is." })
  address?: string | null;

  @Field(() => String, {
    description: "Who physically holds the stock (the office, the agent or the distributor).",
  })
  custodianOrg!: string;

  @Field(() => Float, { nullable: true, description: "Latitude (WGS-84), -90 to 90." })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: "Longitude (WGS-84), -180 to 180." })
  longitude?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Agreement reserves only: hours from a call-up until the distributor delivers.",
  })
  callUpLeadHours?: number | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "Changes to a depot; omitted fields stay, null clears an optional one." })
export class UpdateDepotInput {
  @Field(() => ID, { description: "The depot." })
  depotId!: string;

  @Field(() => String, { nullable: true, description: "Chinese name." })
  nameZh?: string | null;

  @Field(() => String, { nullable: true, description: "English name." })
  nameEn?: string | null;

  @Field(() => String, { nullable: true, description: "Where it is." })
  address?: string | null;

  @Field(() => String, { nullable: true, description: "Who physically holds the stock." })
  custodianOrg?: string | null;

  @Field(() => Float, { nullable: true, description: "Latitude (WGS-84); null clears it." })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: "Longitude (WGS-84); null clears it." })
  longitude?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Agreement reserves only: call-up lead hours; null clears.",
  })
  callUpLeadHours?: number | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "Closing a depot that holds nothing and owes nothing." })
export class CloseDepotInput {
  @Field(() => ID, { description: "The depot." })
  depotId!: string;

  @Field(() => String, { description: "Why it closes." })
  reason!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@ObjectType({ description: "The result of a depot or keeper change." })
export class DepotPayload {
  @Field(() => Depot, { nullable: true, description: "The depot as now stored; null when refused." })
  depot!: Depot | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}

@InputType({ description: "Giving a user of the county custody of a depot." })
export class AssignKeeperInput {
  @Field(() => ID, { description: "The depot." })
  depotId!: string;

  @Field(() => ID, { description: "The keeper: a user of the depot's county." })
  userId!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "Ending a keeper's custody of a depot; the assignment stays in its history." })
export class UnassignKeeperInput {
  @Field(() => ID, { description: "The depot." })
  depotId!: string;

  @Field(() => ID, { description: "The keeper." })
  userId!: string;

  @Field(() => String, { nullable: true, description: "Why, for the administration log." })
  reason?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "A handover (交接) of a depot from one keeper to another." })
export class HandOverDepotInput {
  @Field(() => ID, { description: "The depot." })
  depotId!: string;

  @Field(() => ID, { description: "The keeper handing over; loses custody at once." })
  fromUserId!: string;

  @Field(() => ID, { description: "The keeper taking over: a user of the depot's county." })
  toUserId!: string;

  @Field(() => String, { description: "What the two keepers noted at the handover." })
  note!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}
