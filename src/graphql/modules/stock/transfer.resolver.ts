import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { transferStock } from "../../../app/stock/transfer.js";
import type { Context } from "../../context.js";
import { expectCountyKey, expectIdIn, expectPlainId, expectSameCounty } from "../../ids.js";
import { payload } from "../../payload.js";
import { Lot } from "./lot.type.js";
import { Movement } from "./movement.type.js";
import { TransferStockInput } from "./transfer.inputs.js";
import { StockChangePayload } from "./stock.resolver.js";

const CUSTODIANS = ["KEEPER", "TOWNSHIP_OFFICER", "COUNTY_OFFICER"] as const;

/** Transfers between one holder's depots: a ledger pair, no requisition. */
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
      () => {
        const from = expectCountyKey(input.fromDepotId, "Depot", "input.fromDepotId");
        return transferStock(ctx.deps, ctx.actor!, {
          ...input,
          from,
          to: expectSameCounty(
            from,
            expectCountyKey(input.toDepotId, "Depot", "input.toDepotId"),
            "input.toDepotId",
            "depot",
          ),
          itemId: expectPlainId(input.itemId, "Item", "input.itemId"),
          lotId: input.lotId ? expectIdIn(from.countyId, input.lotId, "Lot", "input.lotId") : null,
        });
      },
      (r) => ({ movements: r.movements.map(Movement.from), lots: r.lots.map(Lot.from) }),
      { movements: [], lots: [] },
    );
  }
}
