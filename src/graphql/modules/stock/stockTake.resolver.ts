import { Arg, Authorized, Ctx, Field, Mutation, ObjectType, Resolver } from "type-graphql";
import { cancelStockTake } from "../../../app/stock/stockTake.js";
import type { Context } from "../../context.js";
import { UserError } from "../../errors.js";
import { expectCountyKey } from "../../ids.js";
import { payload } from "../../payload.js";
import { CancelStockTakeInput } from "./stockTake.inputs.js";
import { StockTake } from "./stockTake.type.js";

const CUSTODIANS = ["KEEPER", "TOWNSHIP_OFFICER", "COUNTY_OFFICER"] as const;

@ObjectType({ description: "A cancelled stock-take, or why it was not cancelled." })
export class CancelStockTakePayload {
  @Field(() => StockTake, { nullable: true, description: "The stock-take, now cancelled." })
  stockTake!: StockTake | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}

/** Stock-take commands beyond opening and submitting a count. */
@Resolver()
export class StockTakeCommandResolver {
  @Authorized(...CUSTODIANS)
  @Mutation(() => CancelStockTakePayload, {
    description: "Cancel an open stock-take with a reason; no ledger line is written.",
  })
  cancelStockTake(
    @Arg("input", () => CancelStockTakeInput) input: CancelStockTakeInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () =>
        cancelStockTake(ctx.deps, ctx.actor!, {
          ...input,
          stockTake: expectCountyKey(input.stockTakeId, "StockTake", "input.stockTakeId"),
        }),
      (take) => ({ stockTake: StockTake.from(take) }),
      { stockTake: null },
    );
  }
}
