import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import * as regions from "../../../db/repositories/regions.js";
import type { RegionLevel } from "../../../domain/region/region.js";
import type { Context } from "../../context.js";
import { RegionLevelEnum } from "../../enums.js";
import { expectCountyKey } from "../../ids.js";
import { PageArgs, toConnection, toPageRequest } from "../../relay.js";
import { NeighbourLink, Region, RegionConnection } from "./region.type.js";

@Resolver(() => Region)
export class RegionResolver {
  @Authorized()
  @Query(() => RegionConnection, {
    description: "Regions of the counties the viewer works in, in a stable order.",
  })
  async regions(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("level", () => RegionLevelEnum, { nullable: true, description: "Only regions of this level." })
    level: RegionLevel | null,
    @Arg("parentId", () => ID, { nullable: true, description: "Only the direct children of this region." })
    parentId: string | null,
    @Ctx() ctx: Context,
  ): Promise<RegionConnection> {
    const parent = parentId ? expectCountyKey(parentId, "Region", "parentId") : undefined;
    const result = await regions.list(
      ctx.deps.database.db,
      { counties: ctx.scope.counties, level: level ?? undefined, parent },
      toPageRequest(page),
    );
    for (const row of result.rows) ctx.loaders.region.prime({ countyId: row.countyId, id: row.id }, row);
    return toConnection(result, Region.from);
  }

  @Authorized()
  @Query(() => Region, {
    nullable: true,
    description: "One region, or null when it does not exist or is out of reach.",
  })
  async region(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Region | null> {
    return loadRegion(ctx, expectCountyKey(id, "Region", "id"));
  }

  @FieldResolver(() => Region, { nullable: true, description: "The region above; null for a county." })
  async parent(@Root() region: Region, @Ctx() ctx: Context): Promise<Region | null> {
    if (region.parentId === null) return null;
    return loadRegion(ctx, { countyId: region.countyId, id: region.parentId });
  }

  @FieldResolver(() => [Region], {
    description: "Regions directly below (a county's townships, a township's villages).",
  })
  async children(@Root() region: Region, @Ctx() ctx: Context): Promise<Region[]> {
    const rows = await ctx.loaders.regionChildren.load({ countyId: region.countyId, id: region.regionId });
    return rows.map(Region.from);
  }

  @FieldResolver(() => [NeighbourLink], { description: "Mutual-aid neighbours, nearest first." })
  async neighbours(@Root() region: Region, @Ctx() ctx: Context): Promise<NeighbourLink[]> {
    const links = await ctx.loaders.regionNeighbours.load({ countyId: region.countyId, id: region.regionId });
    const neighbours = await ctx.loaders.region.loadMany(
      links.map((l) => ({ countyId: l.countyId, id: l.neighbourId })),
    );
    return links.map((l, i) => ({
      region: Region.from(neighbours[i] as regions.RegionRow),
      travelMinutes: l.travelMinutes,
    }));
  }
}

/** Regions are readable county-wide by anyone working in that county; others get null, as if it did not exist. */
export async function loadRegion(
  ctx: Context,
  key: { countyId: number; id: number },
): Promise<Region | null> {
  if (!ctx.scope.counties.includes(key.countyId)) return null;
  const row = await ctx.loaders.region.load(key);
  return row && Region.from(row);
}
