import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import type { ItemCategory, TrackingMode } from "../../../domain/catalogue/item.js";
import { ItemCategoryEnum, TrackingModeEnum } from "../../enums.js";
import { UserError } from "../../errors.js";
import { Item, Unit } from "../catalogue/item.type.js";
import { IDEMPOTENCY } from "./places.inputs.js";

const COUNTY =
  "The county the change is recorded under in the administration log; may be omitted by an administrator of one county.";
const CLASSIFICATION =
  "GB/T 38565-2020 classification code: 7 digits, the first 1, 2 or 3; checked for form only.";

@InputType({ description: "A new catalogue entry (物资品目), shared by every county." })
export class CreateItemInput {
  @Field(() => ID, { nullable: true, description: COUNTY })
  countyId?: string | null;

  @Field(() => String, { description: "Stable code, unique in the catalogue, e.g. `DRINKING_WATER_5L`." })
  code!: string;

  @Field(() => String, { description: "Chinese name (required), e.g. 桶装饮用水." })
  nameZh!: string;

  @Field(() => String, { nullable: true, description: "English name." })
  nameEn?: string | null;

  @Field(() => ItemCategoryEnum, { description: "What the item is for." })
  category!: ItemCategory;

  @Field(() => String, { nullable: true, description: CLASSIFICATION })
  classificationCode?: string | null;

  @Field(() => String, { description: "Code of its unit of measure, e.g. `piece`." })
  unitCode!: string;

  @Field(() => TrackingModeEnum, { description: "Bulk, lots with expiry, or serialised units." })
  trackingMode!: TrackingMode;

  @Field(() => Int, {
    nullable: true,
    description: "Days from receipt to expiry when a lot has none printed.",
  })
  shelfLifeDays?: number | null;

  @Field(() => Int, { nullable: true, description: "Days before expiry when a lot should be rotated out." })
  rotationLeadDays?: number | null;

  @Field(() => Int, { nullable: true, description: "Serialised equipment: days between test runs." })
  testRunIntervalDays?: number | null;

  @Field(() => Boolean, { description: "Lent equipment that comes back, unlike consumables." })
  returnable!: boolean;

  @Field(() => String, { nullable: true, description: "What the item is and how it is used." })
  description?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({
  description:
    "Changes to a catalogue entry; omitted fields stay, null clears an optional one. The unit and tracking mode stay as created.",
})
export class UpdateItemInput {
  @Field(() => ID, { nullable: true, description: COUNTY })
  countyId?: string | null;

  @Field(() => ID, { description: "The item." })
  itemId!: string;

  @Field(() => String, { nullable: true, description: "Chinese name." })
  nameZh?: string | null;

  @Field(() => String, { nullable: true, description: "English name." })
  nameEn?: string | null;

  @Field(() => ItemCategoryEnum, { nullable: true, description: "What the item is for." })
  category?: ItemCategory | null;

  @Field(() => String, { nullable: true, description: CLASSIFICATION })
  classificationCode?: string | null;

  @Field(() => Int, { nullable: true, description: "Days from receipt to expiry." })
  shelfLifeDays?: number | null;

  @Field(() => Int, { nullable: true, description: "Days before expiry when a lot should be rotated out." })
  rotationLeadDays?: number | null;

  @Field(() => Int, { nullable: true, description: "Serialised equipment: days between test runs." })
  testRunIntervalDays?: number | null;

  @Field(() => Boolean, { nullable: true, description: "Lent equipment that comes back." })
  returnable?: boolean | null;

  @Field(() => String, { nullable: true, description: "What the item is and how it is used." })
  description?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "Retiring a catalogue entry: no more receipts; its stock and history stay." })
export class RetireItemInput {
  @Field(() => ID, { nullable: true, description: COUNTY })
  countyId?: string | null;

  @Field(() => ID, { description: "The item." })
  itemId!: string;

  @Field(() => String, { description: "Why it is retired." })
  reason!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@ObjectType({ description: "The result of a catalogue change." })
export class ItemPayload {
  @Field(() => Item, { nullable: true, description: "The item as now stored; null when refused." })
  item!: Item | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}

@InputType({ description: "A new unit of measure (计量单位)." })
export class CreateUnitInput {
  @Field(() => ID, { nullable: true, description: COUNTY })
  countyId?: string | null;

  @Field(() => String, { description: "Stable code, e.g. `bag`." })
  code!: string;

  @Field(() => String, { description: "Chinese name, e.g. 袋." })
  nameZh!: string;

  @Field(() => String, { nullable: true, description: "English name." })
  nameEn?: string | null;

  @Field(() => Int, { description: "Decimals quantities in this unit may have, 0 to 3; fixed once created." })
  scale!: number;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@ObjectType({ description: "The result of adding a unit." })
export class UnitPayload {
  @Field(() => Unit, { nullable: true, description: "The unit; null when refused." })
  unit!: Unit | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}
