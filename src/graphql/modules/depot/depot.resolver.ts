import { DateTimeResolver } from "graphql-scalars";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import * as depots from "../../../db/repositories/depots.js";
import type { DepotKind } from "../../../domain/region/region.js";
import { asOfArg } from "../../asOf.js";
import type { Context } from "../../context.js";
import { DepotKindEnum } from "../../enums.js";
import { expectCountyKey } from "../../ids.js";
import { PageArgs, toConnection, toPageRequest } from "../../relay.js";
import { Item } from "../catalogue/item.type.js";
import { loadRegion } from "../region/region.resolver.js";
import { Region } from "../region/region.type.js";
import { User } from "../viewer/user.type.js";
import { Depot, DepotConnection, StockLevel } from "./depot.type.js";
import { DepotHandover, HandoverStockLine, KeeperAssignment } from "./keeper.type.js";

/** The `depots` question's filter from its arguments. */
export const depotFilterOf = (args: {
  regionId?: string | null;
  kind?: DepotKind | null;
}): depots.DepotFilter => ({
  region: args.regionId ? expectCountyKey(args.regionId, "Region", "regionId") : undefined,
  kind: args.kind ?? undefined,
});

@Resolver(() => Depot)
export class DepotResolver {
  @Authorized()
  @Query(() => DepotConnection, { description: "Depots the viewer may see, in a stable order." })
  async depots(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("regionId", () => ID, { nullable: true, description: "Only depots in this region's subtree." })
    regionId: string | null,
    @Arg("kind", () => DepotKindEnum, { nullable: true, description: "Only depots of this kind." })
    kind: DepotKind | null,
    @Ctx() ctx: Context,
  ): Promise<DepotConnection> {
    const result = await depots.list(
      ctx.deps.database.db,
      ctx.scope,
      depotFilterOf({ regionId, kind }),
      toPageRequest(page),
    );
    for (const row of result.rows) ctx.loaders.depot.prime({ countyId: row.countyId, id: row.id }, row);
    return toConnection(result, Depot.from);
  }

  @Authorized()
  @Query(() => Depot, {
    nullable: true,
    description: "One depot, or null when it does not exist or is out of scope.",
  })
  async depot(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Depot | null> {
    const row = await ctx.loaders.depot.load(expectCountyKey(id, "Depot", "id"));
    return row && Depot.from(row);
  }

  @FieldResolver(() => Region, { description: "The region that owns the depot." })
  async region(@Root() depot: Depot, @Ctx() ctx: Context): Promise<Region> {
    return (await loadRegion(ctx, { countyId: depot.countyId, id: depot.regionId }))!;
  }

  @FieldResolver(() => [KeeperAssignment], {
    description:
      "Keepers assigned to this depot (专人管理): current ones, every assignment ever (includePast), or those keeping it at an instant (asOf). Oldest first.",
  })
  async keepers(
    @Root() depot: Depot,
    @Arg("includePast", () => Boolean, {
      defaultValue: false,
      description: "Also assignments that have ended (unassigned or handed over).",
    })
    includePast: boolean,
    @Arg("asOf", () => DateTimeResolver, {
      nullable: true,
      description: "Only the keepers in charge at this instant: who kept this depot then.",
    })
    asOf: Date | null,
    @Ctx() ctx: Context,
  ): Promise<KeeperAssignment[]> {
    const rows = await ctx.loaders
      .depotKeepers({ includePast, asOf })
      .load({ countyId: depot.countyId, id: depot.depotId });
    return rows.map(KeeperAssignment.from);
  }

  @FieldResolver(() => [DepotHandover], { description: "Handovers (交接) of this depot, oldest first." })
  async handovers(@Root() depot: Depot, @Ctx() ctx: Context): Promise<DepotHandover[]> {
    const rows = await ctx.loaders.depotHandovers.load({ countyId: depot.countyId, id: depot.depotId });
    return rows.map(DepotHandover.from);
  }

  @FieldResolver(() => [StockLevel], {
    description: "Per item held here, its named quantities on a day (expiry is judged against that day).",
  })
  async stock(
    @Root() depot: Depot,
    @Arg("asOf", () => String, { nullable: true, description: "YYYY-MM-DD; default today in Asia/Shanghai." })
    asOf: string | null,
    @Ctx() ctx: Context,
  ): Promise<StockLevel[]> {
    const day = asOfArg(ctx, asOf);
    const rows = await ctx.loaders.stockLevelsOn(day).load({ countyId: depot.countyId, id: depot.depotId });
    return rows.map(StockLevel.from);
  }
}

@Resolver(() => DepotHandover)
export class DepotHandoverResolver {
  @FieldResolver(() => Depot, { description: "The depot handed over." })
  async depot(@Root() h: DepotHandover, @Ctx() ctx: Context): Promise<Depot> {
    const row = await ctx.loaders.anyDepot.load({ countyId: h.countyId, id: h.depotId });
    return Depot.from(row!);
  }

  @FieldResolver(() => User, { description: "The keeper who handed over and lost custody." })
  async from(@Root() h: DepotHandover, @Ctx() ctx: Context): Promise<User> {
    return User.from((await ctx.loaders.user.load(h.fromUserId))!);
  }

  @FieldResolver(() => User, { description: "The keeper who took over." })
  async to(@Root() h: DepotHandover, @Ctx() ctx: Context): Promise<User> {
    return User.from((await ctx.loaders.user.load(h.toUserId))!);
  }

  @FieldResolver(() => [HandoverStockLine], {
    description: "Stock on hand per item at that moment, by the books.",
  })
  stock(@Root() h: DepotHandover): HandoverStockLine[] {
    return h.stockLines.map((l) => Object.assign(new HandoverStockLine(), l));
  }
}

@Resolver(() => HandoverStockLine)
export class HandoverStockLineResolver {
  @FieldResolver(() => Item, { description: "The item." })
  async item(@Root() line: HandoverStockLine, @Ctx() ctx: Context): Promise<Item> {
    return Item.from((await ctx.loaders.item.load(line.itemId))!);
  }
}

@Resolver(() => StockLevel)
export class StockLevelResolver {
  @FieldResolver(() => Item, { description: "The item these quantities are of." })
  async item(@Root() level: StockLevel, @Ctx() ctx: Context): Promise<Item> {
    return Item.from((await ctx.loaders.item.load(level.itemId))!);
  }
}
