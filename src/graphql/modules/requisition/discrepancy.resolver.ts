import { Arg, Args, Authorized, Ctx, ID, Query, Resolver } from "type-graphql";
import { scopeKeys } from "../../../app/requisition/facts.js";
import * as requisitionLists from "../../../db/repositories/requisitions.lists.js";
import type { Context } from "../../context.js";
import { expectCountyKey } from "../../ids.js";
import { PageArgs, toConnection, toPageRequest } from "../../relay.js";
import { Discrepancy, DiscrepancyConnection } from "./discrepancy.type.js";

@Resolver(() => Discrepancy)
export class DiscrepancyQueryResolver {
  @Authorized()
  @Query(() => DiscrepancyConnection, {
    description:
      "Discrepancies not yet settled (rejected stock kept in quarantine, missing stock), seen by both regions and the county, oldest first.",
  })
  async openDiscrepancies(
    @Arg("regionId", () => ID, {
      nullable: true,
      description: "Only on requests made by or to this region's subtree.",
    })
    regionId: string | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<DiscrepancyConnection> {
    const result = await requisitionLists.openDiscrepancies(
      ctx.deps.database.db,
      scopeKeys(ctx.actor!),
      { region: regionId ? expectCountyKey(regionId, "Region", "regionId") : undefined },
      toPageRequest(page),
    );
    return toConnection(result, (r) => Discrepancy.from(r.discrepancy, r.requisitionId));
  }
}
