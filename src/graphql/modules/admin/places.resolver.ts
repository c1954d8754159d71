import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { closeDepot, createDepot, updateDepot } from "../../../app/admin/depots.js";
import { assignKeeper, handOverDepot, unassignKeeper } from "../../../app/admin/keepers.js";
import { createRegion, removeMutualAid, setMutualAid, updateRegion } from "../../../app/admin/places.js";
import type { DepotRow } from "../../../db/repositories/depots.js";
import type { RegionRow } from "../../../db/repositories/regions.js";
import type { Context } from "../../context.js";
import { expectCountyKey, expectPlainId } from "../../ids.js";
import { payload } from "../../payload.js";
import { Depot } from "../depot/depot.type.js";
import { DepotHandover, HandOverPayload } from "../depot/keeper.type.js";
import { Region } from "../region/region.type.js";
import {
  AssignKeeperInput,
  CloseDepotInput,
  CreateDepotInput,
  CreateRegionInput,
  DepotPayload,
  HandOverDepotInput,
  MutualAidPayload,
  RegionPayload,
  RemoveMutualAidInput,
  SetMutualAidInput,
  UnassignKeeperInput,
  UpdateDepotInput,
  UpdateRegionInput,
} from "./places.inputs.js";

const region = (r: RegionRow) => ({ region: Region.from(r) });
const depot = (d: DepotRow) => ({ depot: Depot.from(d) });
const link = (r: { region: RegionRow; neighbour: RegionRow }) => ({
  region: Region.from(r.region),
  neighbour: Region.from(r.neighbour),
});

/** Places and keepers of a county (县级管理员): regions, mutual aid, depots, custody. Stock is not theirs to change. */
@Resolver()
export class PlacesResolver {
  @Authorized("COUNTY_ADMIN")
  @Mutation(() => RegionPayload, {
    description: "Add a township under the county or a village under a township.",
  })
  createRegion(@Arg("input", () => CreateRegionInput) input: CreateRegionInput, @Ctx() ctx: Context) {
    const parent = expectCountyKey(input.parentId, "Region", "input.parentId");
    return payload(() => createRegion(ctx.deps, ctx.actor!, { ...input, parent }), region, { region: null });
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => RegionPayload, { description: "Rename a region or change its population." })
  updateRegion(@Arg("input", () => UpdateRegionInput) input: UpdateRegionInput, @Ctx() ctx: Context) {
    const key = expectCountyKey(input.regionId, "Region", "input.regionId");
    return payload(() => updateRegion(ctx.deps, ctx.actor!, { ...input, region: key }), region, {
      region: null,
    });
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => MutualAidPayload, {
    description: "Link two townships for mutual aid (相邻乡镇互助), or change the travel time of their link.",
  })
  setMutualAid(@Arg("input", () => SetMutualAidInput) input: SetMutualAidInput, @Ctx() ctx: Context) {
    const keys = {
      region: expectCountyKey(input.regionId, "Region", "input.regionId"),
      neighbour: expectCountyKey(input.neighbourId, "Region", "input.neighbourId"),
    };
    return payload(() => setMutualAid(ctx.deps, ctx.actor!, { ...input, ...keys }), link, {
      region: null,
      neighbour: null,
    });
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => MutualAidPayload, { description: "Remove the mutual-aid link between two townships." })
  removeMutualAid(
    @Arg("input", () => RemoveMutualAidInput) input: RemoveMutualAidInput,
    @Ctx() ctx: Context,
  ) {
    const keys = {
      region: expectCountyKey(input.regionId, "Region", "input.regionId"),
      neighbour: expectCountyKey(input.neighbourId, "Region", "input.neighbourId"),
    };
    return payload(() => removeMutualAid(ctx.deps, ctx.actor!, { ...input, ...keys }), link, {
      region: null,
      neighbour: null,
    });
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => DepotPayload, { description: "Add a storage place (储备点) to a region." })
  createDepot(@Arg("input", () => CreateDepotInput) input: CreateDepotInput, @Ctx() ctx: Context) {
    const key = expectCountyKey(input.regionId, "Region", "input.regionId");
    return payload(() => createDepot(ctx.deps, ctx.actor!, { ...input, region: key }), depot, {
      depot: null,
    });
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => DepotPayload, {
    description: "Change a depot's names, address, custodian or map position.",
  })
  updateDepot(@Arg("input", () => UpdateDepotInput) input: UpdateDepotInput, @Ctx() ctx: Context) {
    const key = expectCountyKey(input.depotId, "Depot", "input.depotId");
    return payload(() => updateDepot(ctx.deps, ctx.actor!, { ...input, depot: key }), depot, { depot: null });
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => DepotPayload, {
    description:
      "Close a depot that holds no stock, no allocations, no open requisitions, loans or stock-take; it stays readable.",
  })
  closeDepot(@Arg("input", () => CloseDepotInput) input: CloseDepotInput, @Ctx() ctx: Context) {
    const key = expectCountyKey(input.depotId, "Depot", "input.depotId");
    return payload(() => closeDepot(ctx.deps, ctx.actor!, { ...input, depot: key }), depot, { depot: null });
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => DepotPayload, { description: "Give a user of the county custody of a depot (专人管理)." })
  assignKeeper(@Arg("input", () => AssignKeeperInput) input: AssignKeeperInput, @Ctx() ctx: Context) {
    const key = expectCountyKey(input.depotId, "Depot", "input.depotId");
    const userId = expectPlainId(input.userId, "User", "input.userId");
    return payload(() => assignKeeper(ctx.deps, ctx.actor!, { ...input, depot: key, userId }), depot, {
      depot: null,
    });
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => DepotPayload, { description: "End a keeper's custody of a depot; the history keeps it." })
  unassignKeeper(@Arg("input", () => UnassignKeeperInput) input: UnassignKeeperInput, @Ctx() ctx: Context) {
    const key = expectCountyKey(input.depotId, "Depot", "input.depotId");
    const userId = expectPlainId(input.userId, "User", "input.userId");
    return payload(() => unassignKeeper(ctx.deps, ctx.actor!, { ...input, depot: key, userId }), depot, {
      depot: null,
    });
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => HandOverPayload, {
    description:
      "Hand a depot over (交接) from one keeper to another, recording the stock on hand at that moment.",
  })
  handOverDepot(@Arg("input", () => HandOverDepotInput) input: HandOverDepotInput, @Ctx() ctx: Context) {
    const keys = {
      depot: expectCountyKey(input.depotId, "Depot", "input.depotId"),
      fromUserId: expectPlainId(input.fromUserId, "User", "input.fromUserId"),
      toUserId: expectPlainId(input.toUserId, "User", "input.toUserId"),
    };
    return payload(
      () => handOverDepot(ctx.deps, ctx.actor!, { ...input, ...keys }),
      (h) => ({ handover: DepotHandover.from(h) }),
      { handover: null },
    );
  }
}
