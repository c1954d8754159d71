import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  type AgreementResult,
  createAgreement,
  endAgreement,
  updateAgreement,
} from "../../../app/admin/agreements.js";
import * as agreements from "../../../db/repositories/agreements.js";
import { asOfArg } from "../../asOf.js";
import type { Context } from "../../context.js";
import { expectCountyKey, expectPlainId } from "../../ids.js";
import { payload } from "../../payload.js";
import { PageArgs, toConnection, toPageRequest } from "../../relay.js";
import { Item } from "../catalogue/item.type.js";
import { Depot } from "../depot/depot.type.js";
import { loadRegion } from "../region/region.resolver.js";
import { Region } from "../region/region.type.js";
import {
  Agreement,
  AgreementConnection,
  AgreementLine,
  type AgreementLineInput,
  AgreementPayload,
  CreateAgreementInput,
  EndAgreementInput,
  UpdateAgreementInput,
} from "./agreement.type.js";

const lines = (input: readonly AgreementLineInput[]) =>
  input.map((l, i) => ({
    itemId: expectPlainId(l.itemId, "Item", `input.lines.${i}.itemId`),
    quantity: l.quantity,
  }));
const shaped = (r: AgreementResult) => ({ agreement: Agreement.from(r.agreement) });

/** Counties whose agreements the viewer reads: wherever they work other than as a keeper. */
export const agreementCounties = (ctx: Context): number[] => [
  ...new Set(ctx.actor!.grants.filter((g) => g.role !== "KEEPER").map((g) => g.countyId)),
];

@Resolver(() => Agreement)
export class AgreementResolver {
  @Authorized()
  @Query(() => AgreementConnection, {
    description:
      "Agreement reserves of the counties the viewer works in (not as a keeper), in a stable order.",
  })
  async agreements(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("regionId", () => ID, { nullable: true, description: "Only agreements of this region's subtree." })
    regionId: string | null,
    @Arg("validOn", () => String, {
      nullable: true,
      description: "Only agreements in force on this day, YYYY-MM-DD (begun, not past, not ended).",
    })
    validOn: string | null,
    @Ctx() ctx: Context,
  ): Promise<AgreementConnection> {
    const result = await agreements.list(
      ctx.deps.database.db,
      {
        counties: agreementCounties(ctx),
        region: regionId ? expectCountyKey(regionId, "Region", "regionId") : undefined,
        // an argument left out arrives as undefined, one sent as null as null: both mean "whatever the day"
        validOn: validOn == null ? undefined : asOfArg(ctx, validOn),
      },
      toPageRequest(page),
    );
    return toConnection(result, Agreement.from);
  }

  @FieldResolver(() => Region, { description: "The region whose reserve this is." })
  async region(@Root() a: Agreement, @Ctx() ctx: Context): Promise<Region> {
    return (await loadRegion(ctx, { countyId: a.countyId, id: a.regionId }))!;
  }

  @FieldResolver(() => Depot, {
    nullable: true,
    description: "The agreement-reserve depot, when one books it.",
  })
  async depot(@Root() a: Agreement, @Ctx() ctx: Context): Promise<Depot | null> {
    if (a.depotId === null) return null;
    const row = await ctx.loaders.depot.load({ countyId: a.countyId, id: a.depotId });
    return row && Depot.from(row);
  }

  @FieldResolver(() => [AgreementLine], { description: "The agreed items and quantities." })
  async lines(@Root() a: Agreement, @Ctx() ctx: Context): Promise<AgreementLine[]> {
    const rows = await ctx.loaders.agreementLines.load({ countyId: a.countyId, id: a.agreementId });
    return rows.map(AgreementLine.from);
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => AgreementPayload, { description: "Record an agreement reserve contract (协议储备合同)." })
  createAgreement(
    @Arg("input", () => CreateAgreementInput) input: CreateAgreementInput,
    @Ctx() ctx: Context,
  ) {
    const keys = {
      region: expectCountyKey(input.regionId, "Region", "input.regionId"),
      depot: input.depotId ? expectCountyKey(input.depotId, "Depot", "input.depotId") : null,
      lines: lines(input.lines),
    };
    return payload(() => createAgreement(ctx.deps, ctx.actor!, { ...input, ...keys }), shaped, {
      agreement: null,
    });
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => AgreementPayload, { description: "Change the terms of an agreement in force (a renewal)." })
  updateAgreement(
    @Arg("input", () => UpdateAgreementInput) input: UpdateAgreementInput,
    @Ctx() ctx: Context,
  ) {
    const keys = {
      agreement: expectCountyKey(input.agreementId, "Agreement", "input.agreementId"),
      depot:
        input.depotId === undefined
          ? undefined
          : input.depotId === null
            ? null
            : expectCountyKey(input.depotId, "Depot", "input.depotId"),
      lines: input.lines ? lines(input.lines) : null,
    };
    return payload(() => updateAgreement(ctx.deps, ctx.actor!, { ...input, ...keys }), shaped, {
      agreement: null,
    });
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => AgreementPayload, { description: "End an agreement early; coverage stops counting it." })
  endAgreement(@Arg("input", () => EndAgreementInput) input: EndAgreementInput, @Ctx() ctx: Context) {
    const agreement = expectCountyKey(input.agreementId, "Agreement", "input.agreementId");
    return payload(() => endAgreement(ctx.deps, ctx.actor!, { ...input, agreement }), shaped, {
      agreement: null,
    });
  }
}

@Resolver(() => AgreementLine)
export class AgreementLineResolver {
  @FieldResolver(() => Item, { description: "The item." })
  async item(@Root() line: AgreementLine, @Ctx() ctx: Context): Promise<Item> {
    return Item.from((await ctx.loaders.item.load(line.itemId))!);
  }
}
