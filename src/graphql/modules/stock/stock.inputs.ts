import { Field, ID, InputType, registerEnumType } from "type-graphql";
import { RECEIPT_SOURCES, type ReceiptSource } from "../../../domain/stock/movement.js";
import { enumObject } from "../../enums.js";
import { DecimalScalar } from "../../scalars.js";

export const ReceiptSourceEnum = enumObject(RECEIPT_SOURCES);
registerEnumType(ReceiptSourceEnum, {
  name: "ReceiptSource",
  description:
    "Where received stock came from: purchase, donation, transfer, agreement call-up or opening balance.",
});

@InputType({ description: "Stock arriving at a depot as a new lot." })
export class ReceiveStockInput {
  @Field(() => ID, { description: "The receiving depot; it must be in the caller's custody." })
  depotId!: string;

  @Field(() => ID, { description: "The catalogue item received." })
  itemId!: string;

  @Field(() => DecimalScalar, {
    description: "How much, in the item's unit and precision (pieces whole, tonnes to 3 decimals).",
  })
  quantity!: string;

  @Field(() => String, { description: "The supplier's or the depot's lot code." })
  lotCode!: string;

  @Field(() => String, { description: "Day received, YYYY-MM-DD; not in the future." })
  receivedOn!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Printed expiry date, YYYY-MM-DD; omitted, the item's shelf life from the received date applies.",
  })
  expiresOn?: string | null;

  @Field(() => [String], { nullable: true, description: "Serialised equipment: one serial number per unit." })
  serialNumbers?: string[] | null;

  @Field(() => ReceiptSourceEnum, { description: "Where the stock came from." })
  source!: ReceiptSource;

  @Field(() => String, { description: "Why it was received; shown on the ledger line." })
  reason!: string;

  @Field(() => String, { nullable: true, description: "Delivery note or other outside document." })
  reference?: string | null;
}
