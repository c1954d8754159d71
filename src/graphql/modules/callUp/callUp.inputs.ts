import { Field, ID, InputType } from "type-graphql";
import { DecimalScalar } from "../../scalars.js";
import { IDEMPOTENCY } from "../admin/places.inputs.js";

@InputType({ description: "One item to call up and how much." })
export class CallUpLineInput {
  @Field(() => ID, { description: "An item of the agreement." })
  itemId!: string;

  @Field(() => DecimalScalar, { description: "How much, in the item's unit." })
  quantity!: string;
}

@InputType({ description: "Calling on an agreement reserve (协议储备调用)." })
export class CallUpAgreementInput {
  @Field(() => ID, { description: "The agreement, in force today." })
  agreementId!: string;

  @Field(() => [CallUpLineInput], { description: "What to deliver, each item once." })
  lines!: CallUpLineInput[];

  @Field(() => ID, { description: "The open depot of the county the goods go to." })
  destinationDepotId!: string;

  @Field(() => String, { description: "Why it is called up." })
  reason!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "Cancelling what a call-up will no longer bring." })
export class CancelCallUpInput {
  @Field(() => ID, { description: "The open call-up." })
  callUpId!: string;

  @Field(() => String, { description: "Why it will not come." })
  reason!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "One item of a delivery, as it arrived." })
export class CallUpDeliveryLineInput {
  @Field(() => ID, { description: "An item of the call-up." })
  itemId!: string;

  @Field(() => DecimalScalar, { description: "How much arrived; at most what is outstanding." })
  quantity!: string;

  @Field(() => String, {
    nullable: true,
    description: "The distributor's batch code; the call-up's number if none.",
  })
  lotCode?: string | null;

  @Field(() => String, { nullable: true, description: "The day it arrived, YYYY-MM-DD; today if none." })
  receivedOn?: string | null;

  @Field(() => String, { nullable: true, description: "Printed expiry date, YYYY-MM-DD." })
  expiresOn?: string | null;

  @Field(() => [String], { nullable: true, description: "Serialised equipment: one serial number per unit." })
  serialNumbers?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Must be true to book a lot already past its expiry (it arrives EXPIRED).",
  })
  acceptExpired?: boolean | null;
}

@InputType({ description: "Goods of a call-up arriving at its destination depot." })
export class ReceiveCallUpDeliveryInput {
  @Field(() => ID, { description: "The open call-up." })
  callUpId!: string;

  @Field(() => [CallUpDeliveryLineInput], { description: "What arrived, each item once." })
  lines!: CallUpDeliveryLineInput[];

  @Field(() => String, { description: "The distributor's delivery note number." })
  reference!: string;

  @Field(() => String, { nullable: true, description: "The receiver's note; the ledger's reason." })
  note?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}
