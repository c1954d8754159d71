import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  Mutation,
  ObjectType,
  Resolver,
  Root,
} from "type-graphql";
import { receiveStock } from "../../../app/stock/receiveStock.js";
import type { Context } from "../../context.js";
import { toUserErrors, UserError } from "../../errors.js";
import { expectCountyKey, expectPlainId } from "../../ids.js";
import { Item } from "../catalogue/item.type.js";
import { Depot } from "../depot/depot.type.js";
import { Lot } from "./lot.type.js";
import { ReceiveStockInput } from "./stock.inputs.js";

@ObjectType({ description: "What receiveStock did: the new lots, or why nothing was received." })
export class ReceiveStockPayload {
  @Field(() => [Lot], { description: "Lots created: one, or one per serial number." })
  lots!: Lot[];

  @Field(() => [UserError], { description: "Why the receipt was refused; empty on success." })
  userErrors!: UserError[];
}

@Resolver()
export class StockResolver {
  @Authorized("KEEPER", "TOWNSHIP_OFFICER", "COUNTY_OFFICER")
  @Mutation(() => ReceiveStockPayload, {
    description: "Record stock arriving at a depot in the caller's custody, as a RECEIPT line on the ledger.",
  })
  async receiveStock(
    @Arg("input", () => ReceiveStockInput) input: ReceiveStockInput,
    @Ctx() ctx: Context,
  ): Promise<ReceiveStockPayload> {
    try {
      const result = await receiveStock(ctx.deps, ctx.actor!, {
        ...input,
        depot: expectCountyKey(input.depotId, "Depot", "input.depotId"),
        itemId: expectPlainId(input.itemId, "Item", "input.itemId"),
        reference: input.reference ?? "",
      });
      return { lots: result.lots.map(Lot.from), userErrors: [] };
    } catch (e) {
      return { lots: [], userErrors: toUserErrors(e) };
    }
  }
}

@Resolver(() => Lot)
export class LotResolver {
  @FieldResolver(() => Depot, { description: "Where the lot is stored." })
  async depot(@Root() lot: Lot, @Ctx() ctx: Context): Promise<Depot> {
    return Depot.from((await ctx.loaders.depot.load({ countyId: lot.countyId, id: lot.depotId }))!);
  }

  @FieldResolver(() => Item, { description: "What the lot is of." })
  async item(@Root() lot: Lot, @Ctx() ctx: Context): Promise<Item> {
    return Item.from((await ctx.loaders.item.load(lot.itemId))!);
  }
}
