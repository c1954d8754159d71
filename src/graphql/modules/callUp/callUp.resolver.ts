import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { callUpAgreement, type CallUpResult, cancelCallUp } from "../../../app/agreement/callUp.js";
import { receiveCallUpDelivery } from "../../../app/agreement/callUpDelivery.js";
import * as callUps from "../../../db/repositories/callUps.js";
import { isLate } from "../../../domain/agreement/callUp.js";
import type { Context } from "../../context.js";
import { expectCountyKey, expectPlainId } from "../../ids.js";
import { payload } from "../../payload.js";
import { PageArgs, toConnection, toPageRequest } from "../../relay.js";
import { agreementCounties } from "../agreement/agreement.resolver.js";
import { Agreement } from "../agreement/agreement.type.js";
import { Item } from "../catalogue/item.type.js";
import { Depot } from "../depot/depot.type.js";
import { Lot } from "../stock/lot.type.js";
import { Movement } from "../stock/movement.type.js";
import { CallUpAgreementInput, CancelCallUpInput, ReceiveCallUpDeliveryInput } from "./callUp.inputs.js";
import { CallUp, CallUpConnection, CallUpDeliveryPayload, CallUpLine, CallUpPayload } from "./callUp.type.js";

const CUSTODIANS = ["KEEPER", "TOWNSHIP_OFFICER", "COUNTY_OFFICER"] as const;
const shaped = (r: CallUpResult) => ({ callUp: CallUp.from(r.callUp) });
const itemsOf = <L extends { itemId: string }>(lines: readonly L[]) =>
  lines.map((l, i) => ({ ...l, itemId: expectPlainId(l.itemId, "Item", `input.lines.${i}.itemId`) }));

@Resolver(() => CallUp)
export class CallUpResolver {
  @Authorized()
  @Query(() => CallUpConnection, {
    description:
      "Agreement call-ups the viewer may read (the county and its auditors all of them, a township office and a keeper those to their depots), oldest first.",
  })
  async agreementCallUps(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("agreementId", () => ID, { nullable: true, description: "Only call-ups of this agreement." })
    agreementId: string | null,
    @Arg("openOnly", () => Boolean, { nullable: true, description: "Only call-ups still waiting for goods." })
    openOnly: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<CallUpConnection> {
    const result = await callUps.list(
      ctx.deps.database.db,
      ctx.scope,
      {
        agreement: agreementId ? expectCountyKey(agreementId, "Agreement", "agreementId") : undefined,
        openOnly: openOnly ?? false,
      },
      toPageRequest(page),
    );
    return toConnection(result, CallUp.from);
  }

  @FieldResolver(() => Boolean, { description: "Still open and past its due time, now." })
  late(@Root() c: CallUp, @Ctx() ctx: Context): boolean {
    return isLate(c, ctx.deps.clock());
  }

  @FieldResolver(() => Agreement, {
    nullable: true,
    description:
      "The agreement called on: the distributor who delivers. Null for a keeper, who reads no agreements.",
  })
  async agreement(@Root() c: CallUp, @Ctx() ctx: Context): Promise<Agreement | null> {
    if (!agreementCounties(ctx).includes(c.countyId)) return null;
    const row = await ctx.loaders.agreement.load({ countyId: c.countyId, id: c.agreementId });
    return row && Agreement.from(row);
  }

  @FieldResolver(() => Depot, { description: "Where the goods go." })
  async destinationDepot(@Root() c: CallUp, @Ctx() ctx: Context): Promise<Depot> {
    // a call-up is visible through its destination, so the depot is too
    const row = await ctx.loaders.depot.load({ countyId: c.countyId, id: c.destinationDepotId });
    return Depot.from(row!);
  }

  @FieldResolver(() => [CallUpLine], { description: "Each item: called, delivered, outstanding." })
  async lines(@Root() c: CallUp, @Ctx() ctx: Context): Promise<CallUpLine[]> {
    const rows = await ctx.loaders.callUpLines.load({ countyId: c.countyId, id: c.callUpId });
    return rows.map(CallUpLine.from);
  }

  @FieldResolver(() => [Movement], {
    description:
      "The deliveries: RECEIPT lines with source AGREEMENT_CALL_UP, in the order they were booked.",
  })
  async receipts(@Root() c: CallUp, @Ctx() ctx: Context): Promise<Movement[]> {
    const rows = await ctx.loaders.callUpReceipts.load({ countyId: c.countyId, id: c.callUpId });
    return rows.map(Movement.from);
  }

  @Authorized("COUNTY_OFFICER")
  @Mutation(() => CallUpPayload, {
    description:
      "Call on an agreement reserve (协议储备调用): a numbered order to the distributor, due within the agreement's lead hours; never beyond what the agreement has left.",
  })
  callUpAgreement(
    @Arg("input", () => CallUpAgreementInput) input: CallUpAgreementInput,
    @Ctx() ctx: Context,
  ) {
    const keys = {
      agreement: expectCountyKey(input.agreementId, "Agreement", "input.agreementId"),
      destinationDepot: expectCountyKey(input.destinationDepotId, "Depot", "input.destinationDepotId"),
      lines: itemsOf(input.lines),
    };
    return payload(() => callUpAgreement(ctx.deps, ctx.actor!, { ...input, ...keys }), shaped, {
      callUp: null,
    });
  }

  @Authorized("COUNTY_OFFICER")
  @Mutation(() => CallUpPayload, {
    description: "Cancel what an open call-up will not bring; its outstanding quantity is on call again.",
  })
  cancelCallUp(@Arg("input", () => CancelCallUpInput) input: CancelCallUpInput, @Ctx() ctx: Context) {
    const callUp = expectCountyKey(input.callUpId, "CallUp", "input.callUpId");
    return payload(() => cancelCallUp(ctx.deps, ctx.actor!, { ...input, callUp }), shaped, { callUp: null });
  }

  @Authorized(...CUSTODIANS)
  @Mutation(() => CallUpDeliveryPayload, {
    description:
      "Book goods of a call-up arriving at its destination depot, by whoever may receive stock there: RECEIPT lines linked to the call-up; partial deliveries allowed, never more than outstanding.",
  })
  receiveCallUpDelivery(
    @Arg("input", () => ReceiveCallUpDeliveryInput) input: ReceiveCallUpDeliveryInput,
    @Ctx() ctx: Context,
  ) {
    const callUp = expectCountyKey(input.callUpId, "CallUp", "input.callUpId");
    return payload(
      () => receiveCallUpDelivery(ctx.deps, ctx.actor!, { ...input, callUp, lines: itemsOf(input.lines) }),
      (r) => ({
        callUp: CallUp.from(r.callUp),
        movements: r.movements.map(Movement.from),
        lots: r.lots.map(Lot.from),
      }),
      { callUp: null, movements: [], lots: [] },
    );
  }
}

@Resolver(() => CallUpLine)
export class CallUpLineResolver {
  @FieldResolver(() => Item, { description: "The item." })
  async item(@Root() line: CallUpLine, @Ctx() ctx: Context): Promise<Item> {
    return Item.from((await ctx.loaders.item.load(line.itemId))!);
  }
}

@Resolver(() => Agreement)
export class AgreementCallUpsResolver {
  @FieldResolver(() => [CallUp], {
    description: "Its call-ups the viewer may read, newest first.",
  })
  async callUps(@Root() a: Agreement, @Ctx() ctx: Context): Promise<CallUp[]> {
    const rows = await ctx.loaders.agreementCallUps.load({ countyId: a.countyId, id: a.agreementId });
    return rows.map(CallUp.from);
  }
}
