import { Field, ID, InputType } from "type-graphql";
import { DecimalScalar } from "../../scalars.js";
import { CHANGE_FROM, IDEMPOTENCY, RELEASE_ORDER } from "./stock.inputs.js";

@InputType({
  description:
    "Move stock between depots of one holder without a requisition: among a township's own depots (镇库 → 村存放点, or back) or among the county's.",
})
export class TransferStockInput {
  @Field(() => ID, { description: "Where the stock leaves; it must be in the caller's custody." })
  fromDepotId!: string;

  @Field(() => ID, { description: "Where it arrives; it must be in the caller's custody too." })
  toDepotId!: string;

  @Field(() => ID, { description: "The item moved." })
  itemId!: string;

  @Field(() => ID, {
    nullable: true,
    description: "Move from this lot; omitted, first-expiry-first-out across the source's usable lots.",
  })
  lotId?: string | null;

  @Field(() => DecimalScalar, {
    description:
      "How much; only usable, unallocated stock above the source's reserve floor moves, in the item's precision.",
  })
  quantity!: string;

  @Field(() => String, { description: "Why; shown on both ledger lines." })
  reason!: string;

  @Field(() => String, { nullable: true, description: "Outside document, e.g. a handover note." })
  reference?: string | null;

  @Field(() => String, { nullable: true, description: RELEASE_ORDER })
  releaseOrderNo?: string | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: `${CHANGE_FROM} With lotId, the lot's on-hand; without, the source depot's on-hand of the item.`,
  })
  changeFromQuantity?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}
