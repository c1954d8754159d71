import { Arg, Authorized, Ctx, Field, Mutation, ObjectType, Resolver } from "type-graphql";
import { cancelStockTake } from "../../../app/stock/stockTake.js";
import { transferStock } from "../../../app/stock/transfer.js";
import type { Context } from "../../context.js";
import { UserError } from "../../errors.js";
import { expectCountyKey, expectPlainId } from "../../ids.js";
import { payload } from "../../payload.js";
import { Lot } from "./lot.type.js";
import { Movement } from "./movement.type.js";
import { CancelStockTakeInput, TransferStockInput } from "./stock.inputs.js";
import { StockChangePayload } from "./stock.resolver.js";
import { StockTake } from "./stockTake.type.js";

const CUSTODIANS = ["KEEPER", "TOWNSHIP_OFFICER", "COUNTY_OFFICER"] as const;

@ObjectType({ description: "A cancelled stock-take, or why it was not cancelled." })
export class CancelStockTakePayload {
  @Field(() => StockTake, { nullable: true, description: "The stock-take, now cancelled." })
  stockTake!: StockTake | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}

/** Stock commands added for custody on every path: transfers between one holder's depots, abandoned counts. */
@Resolver()
export class TransferResolver {
  @Authorized(...CUSTODIANS)
  @Mutation(() => StockChangePayload, {
    description:
      "Move stock between depots of one holder without a requisition: a TRANSFER_OUT line at the source and a " +
      "TRANSFER_IN line on a copy of each lot at the destination. Needs custody of both depots; out of agent " +
      "storage a release order; never unusable, allocated or reserve-floor stock.",
  })
  transferStock(@Arg("input", () => TransferStockInput) input: TransferStockInput, @Ctx() ctx: Context) {
    return payload(
      () =>
        transferStock(ctx.deps, ctx.actor!, {
          ...input,
          from: expectCountyKey(input.fromDepotId, "Depot", "input.fromDepotId"),
          to: expectCountyKey(input.toDepotId, "Depot", "input.toDepotId"),
          itemId: expectPlainId(input.itemId, "Item", "input.itemId"),
          lotId: input.lotId ? expectCountyKey(input.lotId, "Lot", "input.lotId").id : null,
        }),
      (r) => ({ movements: r.movements.map(Movement.from), lots: r.lots.map(Lot.from) }),
      { movements: [], lots: [] },
    );
  }

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
