import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { Context } from "../../context.js";
import { Item } from "../catalogue/item.type.js";
import { Depot } from "../depot/depot.type.js";
import { Lot } from "../stock/lot.type.js";
import { User } from "../viewer/user.type.js";
import {
  Allocation,
  Approval,
  InTransitShipment,
  Loan,
  Requisition,
  RequisitionEvent,
  RequisitionLine,
} from "./requisition.type.js";
import { Discrepancy } from "./discrepancy.type.js";

const lineKey = (l: RequisitionLine) => ({ countyId: l.countyId, id: l.lineId });

@Resolver(() => RequisitionLine)
export class RequisitionLineResolver {
  @FieldResolver(() => Item, { description: "The item." })
  async item(@Root() l: RequisitionLine, @Ctx() ctx: Context): Promise<Item> {
    return Item.from((await ctx.loaders.item.load(l.itemId))!);
  }

  @FieldResolver(() => [Allocation], { description: "The lots held for or sent with this line." })
  async allocations(@Root() l: RequisitionLine, @Ctx() ctx: Context): Promise<Allocation[]> {
    return (await ctx.loaders.lineAllocations.load(lineKey(l))).map(Allocation.from);
  }

  @FieldResolver(() => [Discrepancy], { description: "What was rejected or went missing." })
  async discrepancies(@Root() l: RequisitionLine, @Ctx() ctx: Context): Promise<Discrepancy[]> {
    return (await ctx.loaders.lineDiscrepancies.load(lineKey(l))).map((d) =>
      Discrepancy.from(d, l.requisitionId),
    );
  }

  @FieldResolver(() => [Loan], { description: "Loans of returnable equipment opened on receipt." })
  async loans(@Root() l: RequisitionLine, @Ctx() ctx: Context): Promise<Loan[]> {
    return (await ctx.loaders.lineLoans.load(lineKey(l))).map((row) => Loan.from(row, ctx.today));
  }
}

@Resolver(() => Allocation)
export class AllocationResolver {
  @FieldResolver(() => Lot, { description: "The lot at the lender." })
  async lot(@Root() a: Allocation, @Ctx() ctx: Context): Promise<Lot> {
    return Lot.from((await ctx.loaders.anyLot.load({ countyId: a.countyId, id: a.lotId }))!);
  }

  @FieldResolver(() => Lot, { nullable: true, description: "The lot it became at the destination." })
  async receivedLot(@Root() a: Allocation, @Ctx() ctx: Context): Promise<Lot | null> {
    if (a.receivedLotId === null) return null;
    const row = await ctx.loaders.anyLot.load({ countyId: a.countyId, id: a.receivedLotId });
    return row && Lot.from(row);
  }
}

@Resolver(() => Approval)
export class ApprovalResolver {
  @FieldResolver(() => User, { description: "Who approved." })
  async approver(@Root() a: Approval, @Ctx() ctx: Context): Promise<User> {
    return User.from((await ctx.loaders.user.load(a.approverId))!);
  }
}

@Resolver(() => RequisitionEvent)
export class RequisitionEventResolver {
  @FieldResolver(() => User, { description: "Who did it." })
  async actor(@Root() e: RequisitionEvent, @Ctx() ctx: Context): Promise<User> {
    return User.from((await ctx.loaders.user.load(e.actorId))!);
  }
}

@Resolver(() => Discrepancy)
export class DiscrepancyResolver {
  @FieldResolver(() => User, { description: "Who recorded it." })
  async recordedBy(@Root() d: Discrepancy, @Ctx() ctx: Context): Promise<User> {
    return User.from((await ctx.loaders.user.load(d.recordedBy))!);
  }

  @FieldResolver(() => Requisition, { nullable: true, description: "The requisition it belongs to." })
  async requisition(@Root() d: Discrepancy, @Ctx() ctx: Context): Promise<Requisition | null> {
    const row = await ctx.loaders.requisition.load({ countyId: d.countyId, id: d.requisitionId });
    return row && Requisition.from(row);
  }

  @FieldResolver(() => User, { nullable: true, description: "Who settled it; null while open." })
  async settledBy(@Root() d: Discrepancy, @Ctx() ctx: Context): Promise<User | null> {
    if (d.settledBy === null) return null;
    return User.from((await ctx.loaders.user.load(d.settledBy))!);
  }

  @FieldResolver(() => Lot, {
    nullable: true,
    description: "Rejected stock kept at the receiver: the quarantined lot that holds it.",
  })
  async quarantinedLot(@Root() d: Discrepancy, @Ctx() ctx: Context): Promise<Lot | null> {
    if (d.lotId === null) return null;
    const row = await ctx.loaders.anyLot.load({ countyId: d.countyId, id: d.lotId });
    return row && Lot.from(row);
  }

  @FieldResolver(() => Requisition, {
    nullable: true,
    description: "The return leg carrying it back to the lender, when it was sent back.",
  })
  async returnLeg(@Root() d: Discrepancy, @Ctx() ctx: Context): Promise<Requisition | null> {
    if (d.returnRequisitionId === null) return null;
    const row = await ctx.loaders.requisition.load({ countyId: d.countyId, id: d.returnRequisitionId });
    return row && Requisition.from(row);
  }
}

@Resolver(() => Loan)
export class LoanResolver {
  @FieldResolver(() => Depot, {
    nullable: true,
    description: "The lending depot; null when outside the viewer's scope.",
  })
  async lenderDepot(@Root() l: Loan, @Ctx() ctx: Context): Promise<Depot | null> {
    const row = await ctx.loaders.depot.load({ countyId: l.countyId, id: l.lenderDepotId });
    return row && Depot.from(row);
  }

  @FieldResolver(() => Requisition, {
    nullable: true,
    description: "The requisition that lent it (in lists of loans).",
  })
  async requisition(@Root() l: Loan, @Ctx() ctx: Context): Promise<Requisition | null> {
    if (l.requisitionId === null) return null;
    const row = await ctx.loaders.requisition.load({ countyId: l.countyId, id: l.requisitionId });
    return row && Requisition.from(row);
  }
}

@Resolver(() => InTransitShipment)
export class InTransitShipmentResolver {
  @FieldResolver(() => Requisition, { nullable: true, description: "The requisition." })
  async requisition(@Root() s: InTransitShipment, @Ctx() ctx: Context): Promise<Requisition | null> {
    const row = await ctx.loaders.requisition.load({ countyId: s.countyId, id: s.requisitionId });
    return row && Requisition.from(row);
  }

  @FieldResolver(() => Item, { description: "The item." })
  async item(@Root() s: InTransitShipment, @Ctx() ctx: Context): Promise<Item> {
    return Item.from((await ctx.loaders.item.load(s.itemId))!);
  }

  @FieldResolver(() => Lot, { description: "The lot it left from." })
  async lot(@Root() s: InTransitShipment, @Ctx() ctx: Context): Promise<Lot> {
    return Lot.from((await ctx.loaders.anyLot.load({ countyId: s.countyId, id: s.lotId }))!);
  }
}
