import { Agreement } from "../agreement/agreement.type.js";
import { agreementCounties } from "../agreement/agreement.resolver.js";
import { Arg, Authorized, Ctx, ID, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import { fromGlobalId } from "../../ids.js";
import { Item } from "../catalogue/item.type.js";
import { Depot } from "../depot/depot.type.js";
import { loadRegion } from "../region/region.resolver.js";
import { User } from "../viewer/user.type.js";
import { Rotation } from "../readiness/readiness.type.js";
import { Requisition } from "../requisition/requisition.type.js";
import { Lot } from "../stock/lot.type.js";
import { Movement } from "../stock/movement.type.js";
import { StockTake, WriteOffRequest } from "../stock/stockTake.type.js";
import { Node } from "./node.type.js";

@Resolver()
export class NodeResolver {
  @Authorized()
  @Query(() => Node, {
    nullable: true,
    description: "Any object by its global ID; null when it does not exist or is out of the viewer's scope.",
  })
  async node(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Node | null> {
    const decoded = fromGlobalId(id);
    if (!decoded) return null;
    const key = decoded.countyId === null ? null : { countyId: decoded.countyId, id: decoded.id };
    switch (decoded.type) {
      case "Region":
        return key && loadRegion(ctx, key);
      case "Depot": {
        const row = key && (await ctx.loaders.depot.load(key));
        return row ? Depot.from(row) : null;
      }
      case "Lot": {
        const row = key && (await ctx.loaders.lot.load(key));
        return row ? Lot.from(row) : null;
      }
      case "Movement": {
        const row = key && (await ctx.loaders.movement.load(key));
        return row ? Movement.from(row) : null;
      }
      case "StockTake": {
        const row = key && (await ctx.loaders.stockTake.load(key));
        return row ? StockTake.from(row) : null;
      }
      case "WriteOffRequest": {
        const row = key && (await ctx.loaders.writeOffRequest.load(key));
        return row ? WriteOffRequest.from(row) : null;
      }
      case "Rotation": {
        const row = key && (await ctx.loaders.rotation.load(key));
        return row ? Rotation.from(row) : null;
      }
      case "Requisition": {
        const row = key && (await ctx.loaders.requisition.load(key));
        return row ? Requisition.from(row) : null;
      }
      case "RequisitionLine":
      case "Discrepancy":
        // lines and their discrepancies are reached through their requisition
        return null;
      case "Agreement": {
        if (!key || !agreementCounties(ctx).includes(key.countyId)) return null;
        const row = await ctx.loaders.agreement.load(key);
        return row ? Agreement.from(row) : null;
      }
      case "Item": {
        const row = key ? null : await ctx.loaders.item.load(decoded.id);
        return row && Item.from(row);
      }
      case "User": {
        // people are visible to colleagues only through what they did or keep; a user may fetch themselves
        if (key || decoded.id !== ctx.actor!.userId) return null;
        const row = await ctx.loaders.user.load(decoded.id);
        return row && User.from(row);
      }
    }
  }
}
