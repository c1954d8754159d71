import { Field, ID, InputType } from "type-graphql";
import { IDEMPOTENCY } from "./stock.inputs.js";

@InputType({
  description: "Abandon an open stock-take; it wrote nothing on the ledger and writes nothing now.",
})
export class CancelStockTakeInput {
  @Field(() => ID, { description: "The open stock-take." })
  stockTakeId!: string;

  @Field(() => String, { description: "Why the count is abandoned; kept with the stock-take." })
  reason!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}
