import { Agreement } from "../agreement/agreement.type.js";
import { agreementCounties } from "../agreement/agreement.resolver.js";
import { Arg, Authorized, Ctx, ID, Query, Resolver } from "type-graphql";
import type { Context } from "../../context.js";
import type { CountyKey } from "../../../db/keys.js";
import { fromGlobalId, type NodeType } from "../../ids.js";
import { CallUp } from "../callUp/callUp.type.js";
import { Item } from "../catalogue/item.type.js";
import { Emergency, EmergencyPaperwork } from "../emergency/emergency.type.js";
import { Depot } from "../depot/depot.type.js";
import { loadRegion } from "../region/region.resolver.js";
import { User } from "../viewer/user.type.js";
import { Rotation } from "../readiness/readiness.type.js";
import { Requisition } from "../requisition/requisition.type.js";
import { Lot } from "../stock/lot.type.js";
import { Movement } from "../stock/movement.type.js";
import { StockTake, WriteOffRequest } from "../stock/stockTake.type.js";
import { loadVehicle } from "../transport/vehicle.resolver.js";
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
    if (decoded.countyId === null) return globalNode(ctx, decoded.type, decoded.id);
    return countyNode(ctx, decoded.type, { countyId: decoded.countyId, id: decoded.id });
  }
}

const orNull = <R, N>(row: R | null, make: (row: R) => N): N | null => (row ? make(row) : null);

/** "Type:countyId:id": rows of a county, each through its loader, which sees only the viewer's scope. */
async function countyNode(ctx: Context, type: NodeType, key: CountyKey): Promise<Node | null> {
  const { loaders } = ctx;
  switch (type) {
    case "Region":
      return loadRegion(ctx, key);
    case "Depot":
      return orNull(await loaders.depot.load(key), (r) => Depot.from(r));
    case "Lot":
      return orNull(await loaders.lot.load(key), (r) => Lot.from(r));
    case "Movement":
      return orNull(await loaders.movement.load(key), (r) => Movement.from(r));
    case "StockTake":
      return orNull(await loaders.stockTake.load(key), (r) => StockTake.from(r));
    case "WriteOffRequest":
      return orNull(await loaders.writeOffRequest.load(key), (r) => WriteOffRequest.from(r));
    case "Rotation":
      return orNull(await loaders.rotation.load(key), (r) => Rotation.from(r));
    case "Requisition":
      return orNull(await loaders.requisition.load(key), (r) => Requisition.from(r));
    case "Agreement":
      if (!agreementCounties(ctx).includes(key.countyId)) return null;
      return orNull(await loaders.agreement.load(key), (r) => Agreement.from(r));
    case "Vehicle":
      return loadVehicle(ctx, key);
    case "CallUp":
      return orNull(await loaders.callUp.load(key), (r) => CallUp.from(r));
    case "Emergency":
      return orNull(await loaders.emergency.load(key), (r) => Emergency.from(r));
    case "EmergencyPaperwork":
      return orNull(await loaders.paperwork.load(key), (r) => EmergencyPaperwork.from(r));
    case "RequisitionLine":
    case "Discrepancy":
      // lines and their discrepancies are reached through their requisition
      return null;
    case "Item":
    case "User":
      // the catalogue and people are addressed without a county
      return null;
  }
}

/** "Type:id": the catalogue, and the viewer themselves; any other type needs its county. */
async function globalNode(ctx: Context, type: NodeType, id: number): Promise<Node | null> {
  switch (type) {
    case "Item":
      return orNull(await ctx.loaders.item.load(id), (r) => Item.from(r));
    case "User":
      // people are visible to colleagues only through what they did or keep; a user may fetch themselves
      if (id !== ctx.actor!.userId) return null;
      return orNull(await ctx.loaders.user.load(id), (r) => User.from(r));
    default:
      return null;
  }
}
