import { DateTimeResolver } from "graphql-scalars";
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import * as lotReads from "../../../db/repositories/lots.js";
import * as movementReads from "../../../db/repositories/movements.js";
import * as stockTakes from "../../../db/repositories/stockTakes.js";
import { parseCalendarDate } from "../../../domain/shared/calendar.js";
import type { LotCondition } from "../../../domain/stock/lot.js";
import type { MovementKind } from "../../../domain/stock/movement.js";
import type { Context } from "../../context.js";
import { badInput } from "../../errors.js";
import { expectCountyKey, expectPlainId } from "../../ids.js";
import { PageArgs, toConnection, toPageRequest } from "../../relay.js";
import { decimal, decimalOrNull } from "../../scalars.js";
import { Item } from "../catalogue/item.type.js";
import { Depot } from "../depot/depot.type.js";
import { User } from "../viewer/user.type.js";
import { Lot, LotConditionEnum, LotConnection } from "./lot.type.js";
import { Movement, MovementConnection, MovementKindEnum } from "./movement.type.js";
import {
  StockTake,
  StockTakeConnection,
  StockTakeLine,
  StockTakeStatusEnum,
  WriteOffRequest,
} from "./stockTake.type.js";

const optionalDepot = (id: string | null | undefined) =>
  id ? expectCountyKey(id, "Depot", "depotId") : undefined;
const optionalItem = (id: string | null | undefined) =>
  id ? expectPlainId(id, "Item", "itemId") : undefined;

/** The `lots` question's filter from its arguments; a malformed one is the client's mistake, said plainly. */
export function lotFilterOf(args: {
  depotId?: string | null;
  itemId?: string | null;
  condition?: LotCondition | null;
  expiringBefore?: string | null;
  serialNumber?: string | null;
}): lotReads.LotFilter {
  if (args.expiringBefore != null && !parseCalendarDate(args.expiringBefore)) {
    throw badInput("expiringBefore must be a date YYYY-MM-DD", "expiringBefore");
  }
  return {
    depot: optionalDepot(args.depotId),
    itemId: optionalItem(args.itemId),
    condition: args.condition ?? undefined,
    expiringBefore: args.expiringBefore ?? undefined,
    serialNumber: args.serialNumber ?? undefined,
  };
}

/** The ledger question's filter from its arguments. */
export function movementFilterOf(args: {
  depotId?: string | null;
  lotId?: string | null;
  itemId?: string | null;
  kind?: MovementKind | null;
  actorId?: string | null;
  from?: Date | null;
  to?: Date | null;
}): movementReads.MovementFilter {
  return {
    depot: optionalDepot(args.depotId),
    lot: args.lotId ? expectCountyKey(args.lotId, "Lot", "lotId") : undefined,
    itemId: optionalItem(args.itemId),
    kind: args.kind ?? undefined,
    actorId: args.actorId ? expectPlainId(args.actorId, "User", "actorId") : undefined,
    from: args.from ?? undefined,
    to: args.to ?? undefined,
  };
}

@Resolver()
export class LedgerResolver {
  @Authorized()
  @Query(() => LotConnection, { description: "Lots in the viewer's scope, in a stable order." })
  async lots(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("depotId", () => ID, { nullable: true, description: "Only lots at this depot." })
    depotId: string | null,
    @Arg("itemId", () => ID, { nullable: true, description: "Only lots of this item." })
    itemId: string | null,
    @Arg("condition", () => LotConditionEnum, { nullable: true, description: "Only lots in this condition." })
    condition: LotCondition | null,
    @Arg("expiringBefore", () => String, {
      nullable: true,
      description: "Only lots whose expiry date is before this day (YYYY-MM-DD).",
    })
    expiringBefore: string | null,
    @Arg("serialNumber", () => String, { nullable: true, description: "The unit with this serial number." })
    serialNumber: string | null,
    @Ctx() ctx: Context,
  ): Promise<LotConnection> {
    const result = await lotReads.listLots(
      ctx.deps.database.db,
      ctx.scope,
      lotFilterOf({ depotId, itemId, condition, expiringBefore, serialNumber }),
      toPageRequest(page),
    );
    for (const { lot, depot } of result.rows) {
      ctx.loaders.lot.prime({ countyId: lot.countyId, id: lot.id }, lot);
      ctx.loaders.depot.prime({ countyId: depot.countyId, id: depot.id }, depot);
    }
    return toConnection({ rows: result.rows.map((r) => r.lot), hasNextPage: result.hasNextPage }, Lot.from);
  }

  @Authorized()
  @Query(() => MovementConnection, { description: "The ledger in the viewer's scope, newest line first." })
  async movements(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("depotId", () => ID, { nullable: true, description: "Only lines of this depot." })
    depotId: string | null,
    @Arg("lotId", () => ID, { nullable: true, description: "Only lines of this lot." }) lotId: string | null,
    @Arg("itemId", () => ID, { nullable: true, description: "Only lines of this item." })
    itemId: string | null,
    @Arg("kind", () => MovementKindEnum, { nullable: true, description: "Only lines of this kind." })
    kind: MovementKind | null,
    @Arg("actorId", () => ID, { nullable: true, description: "Only lines recorded by this user." })
    actorId: string | null,
    @Arg("from", () => DateTimeResolver, {
      nullable: true,
      description: "Only lines that occurred at or after.",
    })
    from: Date | null,
    @Arg("to", () => DateTimeResolver, {
      nullable: true,
      description: "Only lines that occurred at or before.",
    })
    to: Date | null,
    @Ctx() ctx: Context,
  ): Promise<MovementConnection> {
    const result = await movementReads.listMovements(
      ctx.deps.database.db,
      ctx.scope,
      movementFilterOf({ depotId, lotId, itemId, kind, actorId, from, to }),
      toPageRequest(page),
    );
    return toConnection(result, Movement.from);
  }

  @Authorized()
  @Query(() => StockTakeConnection, { description: "Stock-takes in the viewer's scope, newest first." })
  async stockTakes(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("depotId", () => ID, { nullable: true, description: "Only stock-takes of this depot." })
    depotId: string | null,
    @Arg("status", () => StockTakeStatusEnum, {
      nullable: true,
      description: "Only stock-takes in this status.",
    })
    status: "OPEN" | "SUBMITTED" | "CANCELLED" | null,
    @Ctx() ctx: Context,
  ): Promise<StockTakeConnection> {
    const result = await stockTakes.list(
      ctx.deps.database.db,
      ctx.scope,
      { depot: optionalDepot(depotId), status: status ?? undefined },
      toPageRequest(page),
    );
    return toConnection(result, StockTake.from);
  }
}

const depotOf = async (ctx: Context, countyId: number, depotId: number) =>
  Depot.from((await ctx.loaders.depot.load({ countyId, id: depotId }))!);

const userOf = async (ctx: Context, userId: number) => User.from((await ctx.loaders.user.load(userId))!);

@Resolver(() => Movement)
export class MovementResolver {
  @FieldResolver(() => Lot, { description: "The lot whose balance the line changes." })
  async lot(@Root() m: Movement, @Ctx() ctx: Context): Promise<Lot> {
    return Lot.from((await ctx.loaders.lot.load({ countyId: m.countyId, id: m.lotId }))!);
  }

  @FieldResolver(() => Depot, { description: "The depot of the lot." })
  depot(@Root() m: Movement, @Ctx() ctx: Context): Promise<Depot> {
    return depotOf(ctx, m.countyId, m.depotId);
  }

  @FieldResolver(() => Item, { description: "The item moved." })
  async item(@Root() m: Movement, @Ctx() ctx: Context): Promise<Item> {
    return Item.from((await ctx.loaders.item.load(m.itemId))!);
  }

  @FieldResolver(() => User, { description: "Who recorded the line, accountable for it." })
  actor(@Root() m: Movement, @Ctx() ctx: Context): Promise<User> {
    return userOf(ctx, m.actorId);
  }

  @FieldResolver(() => Movement, { nullable: true, description: "REVERSAL lines: the line this one undoes." })
  async reverses(@Root() m: Movement, @Ctx() ctx: Context): Promise<Movement | null> {
    if (m.reversesId === null) return null;
    const row = await ctx.loaders.movement.load({ countyId: m.countyId, id: m.reversesId });
    return row && Movement.from(row);
  }
}

@Resolver(() => StockTake)
export class StockTakeResolver {
  @FieldResolver(() => Depot, { description: "The depot counted." })
  depot(@Root() t: StockTake, @Ctx() ctx: Context): Promise<Depot> {
    return depotOf(ctx, t.countyId, t.depotId);
  }

  @FieldResolver(() => [StockTakeLine], {
    description: "Every lot of the count, with book and counted quantity.",
  })
  async lines(@Root() t: StockTake, @Ctx() ctx: Context): Promise<StockTakeLine[]> {
    const rows = await ctx.loaders.stockTakeLines.load({ countyId: t.countyId, id: t.stockTakeId });
    return rows.map((r) =>
      Object.assign(new StockTakeLine(), r, {
        bookQuantity: decimal(r.bookQuantity),
        countedQuantity: decimalOrNull(r.countedQuantity),
        countedAt: r.countedAt ? new Date(r.countedAt) : null,
      }),
    );
  }

  @FieldResolver(() => [Movement], {
    description:
      "Ledger lines of the depot dated while the count was open (issues, receipts, dispatches, write-offs), oldest " +
      "first, its own adjustments excepted: each is on the book once, before or after the lot was counted.",
  })
  async movementsDuring(@Root() t: StockTake, @Ctx() ctx: Context): Promise<Movement[]> {
    const rows = await ctx.loaders.movementsDuringStockTake.load({ countyId: t.countyId, id: t.stockTakeId });
    return rows.map(Movement.from);
  }

  @FieldResolver(() => User, { nullable: true, description: "Who cancelled the count." })
  async cancelledBy(@Root() t: StockTake, @Ctx() ctx: Context): Promise<User | null> {
    return t.cancelledBy === null ? null : userOf(ctx, t.cancelledBy);
  }

  @FieldResolver(() => User, { description: "Who opened the count." })
  startedBy(@Root() t: StockTake, @Ctx() ctx: Context): Promise<User> {
    return userOf(ctx, t.startedBy);
  }

  @FieldResolver(() => User, { nullable: true, description: "Who submitted the counts." })
  async submittedBy(@Root() t: StockTake, @Ctx() ctx: Context): Promise<User | null> {
    return t.submittedBy === null ? null : userOf(ctx, t.submittedBy);
  }
}

@Resolver(() => StockTakeLine)
export class StockTakeLineResolver {
  @FieldResolver(() => Lot, { description: "The lot counted." })
  async lot(@Root() l: StockTakeLine, @Ctx() ctx: Context): Promise<Lot> {
    return Lot.from((await ctx.loaders.lot.load({ countyId: l.countyId, id: l.lotId }))!);
  }
}

@Resolver(() => WriteOffRequest)
export class WriteOffRequestResolver {
  @FieldResolver(() => Lot, { description: "The lot to write off." })
  async lot(@Root() w: WriteOffRequest, @Ctx() ctx: Context): Promise<Lot> {
    return Lot.from((await ctx.loaders.lot.load({ countyId: w.countyId, id: w.lotId }))!);
  }

  @FieldResolver(() => User, { description: "Who asked for the write-off." })
  requestedBy(@Root() w: WriteOffRequest, @Ctx() ctx: Context): Promise<User> {
    return userOf(ctx, w.requestedBy);
  }

  @FieldResolver(() => User, { nullable: true, description: "Who confirmed or rejected it." })
  async decidedBy(@Root() w: WriteOffRequest, @Ctx() ctx: Context): Promise<User | null> {
    return w.decidedBy === null ? null : userOf(ctx, w.decidedBy);
  }
}
