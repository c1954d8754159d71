import { Field, ID, InputType, ObjectType } from "type-graphql";
import type { DisposalKind } from "../../../domain/rotation/rotation.js";
import { UserError } from "../../errors.js";
import { DecimalScalar } from "../../scalars.js";
import { Lot } from "../stock/lot.type.js";
import { Movement } from "../stock/movement.type.js";
import { RELEASE_ORDER } from "../stock/stock.inputs.js";
import { DisposalKindEnum, Rotation } from "./readiness.type.js";

@InputType({ description: "Rotate stock out before it expires." })
export class RotateOutInput {
  @Field(() => ID, { description: "A serviceable, unexpired lot." })
  lotId!: string;

  @Field(() => DecimalScalar, { description: "How much; never more than the lot's unallocated stock." })
  quantity!: string;

  @Field(() => DisposalKindEnum, { description: "Donate, sell or return to the supplier." })
  disposal!: DisposalKind;

  @Field(() => String, { description: "Why, e.g. the recipient of a donation." })
  reason!: string;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "Default true: the rotation stays open until a receipt replaces it. False reduces the reserve.",
  })
  replacementRequired?: boolean | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: "Compare-and-swap: the lot's on-hand quantity the client saw.",
  })
  changeFromQuantity?: string | null;

  @Field(() => String, { nullable: true, description: RELEASE_ORDER })
  releaseOrderNo?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Retry-safe key: a retry with the same key and input writes nothing.",
  })
  idempotencyKey?: string | null;
}

@ObjectType({
  description: "The rotation opened, its ledger line and the lot after it, or why nothing was done.",
})
export class RotateOutPayload {
  @Field(() => Rotation, { nullable: true, description: "The open rotation." })
  rotation!: Rotation | null;

  @Field(() => [Movement], { description: "The ROTATION_OUT line." })
  movements!: Movement[];

  @Field(() => [Lot], { description: "The lot as it stands now." })
  lots!: Lot[];

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}
