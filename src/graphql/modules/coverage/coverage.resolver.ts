import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { setReserveNorm } from "../../../app/coverage/setReserveNorm.js";
import { loadCountyCoverage } from "../../../app/coverage/report.js";
import {
  type CoverageLine as Line,
  nearestSurplus,
  neighbourOffers,
  regionLines,
} from "../../../domain/coverage/lending.js";
import { lineageIn, worstGapFirst } from "../../../domain/coverage/coverage.js";
import { coversRegion } from "../../../domain/custody/policy.js";
import { mayRead } from "./access.js";
import type { RegionLevel } from "../../../domain/region/region.js";
import { formatQuantity, sub, sum } from "../../../domain/shared/quantity.js";
import { asOfArg } from "../../asOf.js";
import type { Context } from "../../context.js";
import { RegionLevelEnum } from "../../enums.js";
import { expectCounty, expectCountyKey, expectIdIn, expectPlainId } from "../../ids.js";
import { payload } from "../../payload.js";
import { encodeKeyCursor, PageArgs, pageInMemory, toKeyConnection } from "../../relay.js";
import { decimal } from "../../scalars.js";
import { Item } from "../catalogue/item.type.js";
import { Region } from "../region/region.type.js";
import {
  CoverageGapConnection,
  CoverageLine,
  CoverageMapRowConnection,
  CoverageReport,
  CoverageMapRow,
  NeighbourOffer,
  ReserveNorm,
  SetReserveNormInput,
  SetReserveNormPayload,
} from "./coverage.type.js";

const DEFAULT_NEIGHBOUR_MINUTES = 60;

function shapeLine(countyId: number, l: Line, offers: NeighbourOffer[] = []): CoverageLine {
  return Object.assign(new CoverageLine(), {
    countyId,
    regionId: l.regionId,
    itemId: l.itemId,
    required: l.required === null ? null : formatQuantity(l.required),
    onHand: formatQuantity(l.onHand),
    usable: formatQuantity(l.usable),
    expiringWithin30Days: formatQuantity(l.expiringWithin30Days),
    ratio: l.ratio,
    status: l.status,
    agreementCallable: formatQuantity(l.callable),
    callUpLeadHours: l.callUpLeadHours,
    neighbours: offers,
    neighbourLendable: "0",
  });
}

const offerOrNull = (
  countyId: number,
  o: { regionId: number; travelMinutes: number; quantity: bigint } | null,
) => (o ? offer(countyId, o) : null);

const offer = (countyId: number, o: { regionId: number; travelMinutes: number; quantity: bigint }) =>
  Object.assign(new NeighbourOffer(), {
    countyId,
    regionId: o.regionId,
    travelMinutes: o.travelMinutes,
    quantity: formatQuantity(o.quantity as never),
  });

@Resolver()
export class CoverageResolver {
  @Authorized()
  @Query(() => CoverageReport, {
    nullable: true,
    description:
      "A region's usable stock against its norms, per item, rolled up over its subtree; null when out of reach.",
  })
  async coverage(
    @Arg("regionId", () => ID, { description: "County, township or village." }) regionId: string,
    @Arg("asOf", () => String, { nullable: true, description: "YYYY-MM-DD; default today in Asia/Shanghai." })
    asOfText: string | null,
    @Arg("includeNeighbours", () => Boolean, {
      nullable: true,
      description: "Add what neighbours could lend.",
    })
    includeNeighbours: boolean | null,
    @Arg("neighbourMinutes", () => Int, {
      nullable: true,
      description: `Neighbours within this many travel minutes (default ${DEFAULT_NEIGHBOUR_MINUTES}).`,
    })
    neighbourMinutes: number | null,
    @Ctx() ctx: Context,
  ): Promise<CoverageReport | null> {
    const key = expectCountyKey(regionId, "Region", "regionId");
    const asOf = asOfArg(ctx, asOfText);
    if (!(await mayRead(ctx, key))) return null;
    const minutes = neighbourMinutes ?? DEFAULT_NEIGHBOUR_MINUTES;
    const c = await loadCountyCoverage(
      ctx.deps,
      key.countyId,
      includeNeighbours ? { around: key.id, minutes } : [key.id],
      null,
      asOf,
    );
    const lines = regionLines(c, key.id).map((l) => {
      if (!includeNeighbours) return shapeLine(key.countyId, l);
      const offers = neighbourOffers(c, key.id, l.itemId, minutes);
      const line = shapeLine(
        key.countyId,
        l,
        offers.map((o) => offer(key.countyId, o)),
      );
      line.neighbourLendable = formatQuantity(sum(offers.map((o) => o.quantity)));
      return line;
    });
    return Object.assign(new CoverageReport(), { countyId: key.countyId, regionId: key.id, asOf, lines });
  }

  @Authorized()
  @Query(() => CoverageMapRowConnection, {
    description:
      "Coverage of every region of a level of the county (a township × item grid), limited to the regions the viewer may read.",
  })
  async coverageMap(
    @Arg("countyId", () => ID, { description: "The county." }) countyId: string,
    @Arg("level", () => RegionLevelEnum, { description: "Township or village." }) level: RegionLevel,
    @Arg("itemIds", () => [ID], { nullable: true, description: "Columns; default every item with a norm." })
    itemIds: string[] | null,
    @Arg("asOf", () => String, { nullable: true, description: "YYYY-MM-DD; default today in Asia/Shanghai." })
    asOfText: string | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<CoverageMapRowConnection> {
    const county = { countyId: expectCounty(countyId, "countyId") };
    const asOf = asOfArg(ctx, asOfText);
    const items = itemIds?.map((id, i) => expectPlainId(id, "Item", `itemIds.${i}`)) ?? null;
    // only the map's level is summed: a township map need not roll up every village as well
    const c = await loadCountyCoverage(ctx.deps, county.countyId, { level }, items, asOf);
    const rows = [...c.regions.values()]
      .filter((r) => r.level === level)
      .filter((r) =>
        coversRegion(ctx.actor!, { countyId: county.countyId, regionLineage: lineageIn(c.regions, r.id) }),
      );
    return toKeyConnection(
      pageInMemory(rows, page, 1, (r) => [r.id]),
      (r) => encodeKeyCursor([r.id]),
      (r) => ({
        countyId: county.countyId,
        regionId: r.id,
        id: r.id,
        cells: c.itemIds.map((i) => shapeLine(county.countyId, c.line(r.id, i))),
      }),
    );
  }

  @Authorized()
  @Query(() => CoverageGapConnection, {
    description:
      "Every (region, item) of the subtree below its norm, worst first, with the nearest surplus that could fill it.",
  })
  async coverageGaps(
    @Arg("regionId", () => ID, { description: "County or township." }) regionId: string,
    @Arg("asOf", () => String, { nullable: true, description: "YYYY-MM-DD; default today in Asia/Shanghai." })
    asOfText: string | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<CoverageGapConnection> {
    const key = expectCountyKey(regionId, "Region", "regionId");
    const asOf = asOfArg(ctx, asOfText);
    const empty = { rows: [], hasNextPage: false };
    if (!(await mayRead(ctx, key)))
      return toKeyConnection(
        empty,
        () => "",
        () => null as never,
      );
    const c = await loadCountyCoverage(ctx.deps, key.countyId, "ALL", null, asOf);
    const subtree = [...c.regions.values()].filter((r) => lineageIn(c.regions, r.id).includes(key.id));
    const gaps = subtree
      .flatMap((r) => regionLines(c, r.id))
      .filter((l) => l.required !== null && l.usable < l.required)
      .sort(worstGapFirst);
    return toKeyConnection(
      pageInMemory(gaps, page, 2, (g) => [g.regionId, g.itemId]),
      (g) => encodeKeyCursor([g.regionId, g.itemId]),
      (g) => ({
        line: shapeLine(key.countyId, g),
        shortfall: formatQuantity(sub(g.required!, g.usable)),
        nearestSurplus: offerOrNull(key.countyId, nearestSurplus(c, g.regionId, g.itemId)),
      }),
    );
  }

  @Authorized("COUNTY_OFFICER")
  @Mutation(() => SetReserveNormPayload, {
    description:
      "Set how much of an item a region (or every region of a level) must hold, and its reserve floor.",
  })
  setReserveNorm(@Arg("input", () => SetReserveNormInput) input: SetReserveNormInput, @Ctx() ctx: Context) {
    return payload(
      () => {
        const countyId = expectCounty(input.countyId, "input.countyId");
        return setReserveNorm(ctx.deps, ctx.actor!, {
          ...input,
          countyId,
          itemId: expectPlainId(input.itemId, "Item", "input.itemId"),
          regionId: input.regionId ? expectIdIn(countyId, input.regionId, "Region", "input.regionId") : null,
        });
      },
      (n) => ({
        norm: Object.assign(new ReserveNorm(), n, {
          quantity: decimal(n.quantity),
          reserveFloor: decimal(n.reserveFloor),
        }),
      }),
      { norm: null },
    );
  }
}

@Resolver(() => CoverageLine)
export class CoverageLineResolver {
  @FieldResolver(() => Region, { description: "The region." })
  async region(@Root() l: CoverageLine, @Ctx() ctx: Context): Promise<Region> {
    return Region.from((await ctx.loaders.region.load({ countyId: l.countyId, id: l.regionId }))!);
  }

  @FieldResolver(() => Item, { description: "The item." })
  async item(@Root() l: CoverageLine, @Ctx() ctx: Context): Promise<Item> {
    return Item.from((await ctx.loaders.item.load(l.itemId))!);
  }
}

@Resolver(() => NeighbourOffer)
export class NeighbourOfferResolver {
  @FieldResolver(() => Region, { description: "The region that could lend." })
  async region(@Root() o: NeighbourOffer, @Ctx() ctx: Context): Promise<Region> {
    return Region.from((await ctx.loaders.region.load({ countyId: o.countyId, id: o.regionId }))!);
  }
}

@Resolver(() => CoverageReport)
export class CoverageReportResolver {
  @FieldResolver(() => Region, { description: "The region reported on." })
  async region(@Root() r: CoverageReport, @Ctx() ctx: Context): Promise<Region> {
    return Region.from((await ctx.loaders.region.load({ countyId: r.countyId, id: r.regionId }))!);
  }
}

@Resolver(() => CoverageMapRow)
export class CoverageMapRowResolver {
  @FieldResolver(() => Region, { description: "The region of this row." })
  async region(@Root() r: CoverageMapRow, @Ctx() ctx: Context): Promise<Region> {
    return Region.from((await ctx.loaders.region.load({ countyId: r.countyId, id: r.regionId }))!);
  }
}

@Resolver(() => ReserveNorm)
export class ReserveNormResolver {
  @FieldResolver(() => Item, { description: "The item." })
  async item(@Root() n: ReserveNorm, @Ctx() ctx: Context): Promise<Item> {
    return Item.from((await ctx.loaders.item.load(n.itemId))!);
  }

  @FieldResolver(() => Region, { nullable: true, description: "The one region, when not a level norm." })
  async region(@Root() n: ReserveNorm, @Ctx() ctx: Context): Promise<Region | null> {
    if (n.regionId === null) return null;
    const row = await ctx.loaders.region.load({ countyId: n.countyId, id: n.regionId });
    return row && Region.from(row);
  }
}
