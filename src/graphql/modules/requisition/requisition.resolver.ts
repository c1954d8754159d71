import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { scopeKeys } from "../../../app/requisition/facts.js";
import * as requisitionLists from "../../../db/repositories/requisitions.lists.js";
import type { RequisitionStatus } from "../../../domain/requisition/requisition.js";
import type { Context } from "../../context.js";
import { expectCountyKey } from "../../ids.js";
import { PageArgs, toConnection, toPageRequest } from "../../relay.js";
import { decimal } from "../../scalars.js";
import { Depot } from "../depot/depot.type.js";
import { Region } from "../region/region.type.js";
import { Movement } from "../stock/movement.type.js";
import { User } from "../viewer/user.type.js";
import {
  Approval,
  DirectionEnum,
  InTransitShipment,
  InTransitShipmentConnection,
  Loan,
  LoanConnection,
  Requisition,
  RequisitionConnection,
  RequisitionEvent,
  RequisitionLine,
  RequisitionStatusEnum,
} from "./requisition.type.js";

@Resolver(() => Requisition)
export class RequisitionResolver {
  @Authorized()
  @Query(() => RequisitionConnection, { description: "Requisitions the viewer may see, newest first." })
  async requisitions(
    @Arg("regionId", () => ID, {
      nullable: true,
      description: "Only requests made by or to this region's subtree.",
    })
    regionId: string | null,
    @Arg("direction", () => DirectionEnum, {
      nullable: true,
      description: "With regionId: only incoming or outgoing.",
    })
    direction: "INCOMING" | "OUTGOING" | null,
    @Arg("status", () => RequisitionStatusEnum, { nullable: true, description: "Only in this status." })
    status: RequisitionStatus | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<RequisitionConnection> {
    const result = await requisitionLists.list(
      ctx.deps.database.db,
      scopeKeys(ctx.actor!),
      {
        region: regionId ? expectCountyKey(regionId, "Region", "regionId") : undefined,
        direction: direction ?? undefined,
        status: status ?? undefined,
      },
      toPageRequest(page),
    );
    return toConnection(result, Requisition.from);
  }

  @Authorized()
  @Query(() => Requisition, {
    nullable: true,
    description: "One requisition with its lines and timeline, or null.",
  })
  async requisition(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Requisition | null> {
    const row = await ctx.loaders.requisition.load(expectCountyKey(id, "Requisition", "id"));
    return row && Requisition.from(row);
  }

  @Authorized()
  @Query(() => InTransitShipmentConnection, {
    description: "Stock on the road to or from a depot or a region's subtree.",
  })
  async inTransit(
    @Arg("regionId", () => ID, { nullable: true, description: "Sent from or to this region's subtree." })
    regionId: string | null,
    @Arg("depotId", () => ID, { nullable: true, description: "Sent from or to this depot." })
    depotId: string | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<InTransitShipmentConnection> {
    const result = await requisitionLists.inTransit(
      ctx.deps.database.db,
      scopeKeys(ctx.actor!),
      {
        region: regionId ? expectCountyKey(regionId, "Region", "regionId") : undefined,
        depot: depotId ? expectCountyKey(depotId, "Depot", "depotId") : undefined,
      },
      toPageRequest(page),
    );
    return toConnection(result, (r) =>
      Object.assign(new InTransitShipment(), {
        countyId: r.allocation.countyId,
        requisitionId: r.requisitionId,
        lotId: r.allocation.lotId,
        lenderDepotId: r.lenderDepotId,
        destinationDepotId: r.destinationDepotId,
        itemId: r.itemId,
        quantity: decimal(r.allocation.quantity),
        dispatchedAt: new Date(r.allocation.dispatchedAt!),
      }),
    );
  }

  @Authorized()
  @Query(() => LoanConnection, {
    description:
      "Open loans of equipment, seen from both sides: lent from or borrowed into a region's subtree.",
  })
  async loans(
    @Arg("regionId", () => ID, {
      nullable: true,
      description: "Lent from or borrowed into this region's subtree.",
    })
    regionId: string | null,
    @Arg("overdueOnly", () => Boolean, {
      nullable: true,
      description: "Only loans past their due date today.",
    })
    overdueOnly: boolean | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ): Promise<LoanConnection> {
    const result = await requisitionLists.listLoans(
      ctx.deps.database.db,
      scopeKeys(ctx.actor!),
      {
        region: regionId ? expectCountyKey(regionId, "Region", "regionId") : undefined,
        overdueOn: overdueOnly ? ctx.today : undefined,
      },
      toPageRequest(page),
    );
    return toConnection(result, (r) => Loan.from(r.loan, ctx.today, r));
  }

  @FieldResolver(() => Region, { description: "The region asking." })
  async requestingRegion(@Root() r: Requisition, @Ctx() ctx: Context): Promise<Region> {
    return Region.from((await ctx.loaders.region.load({ countyId: r.countyId, id: r.requestingRegionId }))!);
  }

  @FieldResolver(() => Region, { description: "The region asked." })
  async supplyingRegion(@Root() r: Requisition, @Ctx() ctx: Context): Promise<Region> {
    return Region.from((await ctx.loaders.region.load({ countyId: r.countyId, id: r.supplyingRegionId }))!);
  }

  @FieldResolver(() => Depot, {
    nullable: true,
    description: "Where the supplies go; null when outside the viewer's scope.",
  })
  async destinationDepot(@Root() r: Requisition, @Ctx() ctx: Context): Promise<Depot | null> {
    const row = await ctx.loaders.depot.load({ countyId: r.countyId, id: r.destinationDepotId });
    return row && Depot.from(row);
  }

  @FieldResolver(() => Requisition, { nullable: true, description: "The request this one escalates." })
  async escalatedFrom(@Root() r: Requisition, @Ctx() ctx: Context): Promise<Requisition | null> {
    if (r.escalatedFromId === null) return null;
    const row = await ctx.loaders.requisition.load({ countyId: r.countyId, id: r.escalatedFromId });
    return row && Requisition.from(row);
  }

  @FieldResolver(() => Requisition, {
    nullable: true,
    description:
      "The county request this one's shortfall became when it was escalated (one shortfall, one escalation).",
  })
  async escalatedTo(@Root() r: Requisition, @Ctx() ctx: Context): Promise<Requisition | null> {
    const [to] = await ctx.loaders.requisitionEscalations.load({ countyId: r.countyId, id: r.requisitionId });
    const row = to && (await ctx.loaders.requisition.load({ countyId: to.countyId, id: to.id }));
    return row ? Requisition.from(row) : null;
  }

  @FieldResolver(() => Requisition, {
    nullable: true,
    description: "For a return leg: the requisition whose rejected stock it carries back to the lender.",
  })
  async returnOf(@Root() r: Requisition, @Ctx() ctx: Context): Promise<Requisition | null> {
    if (r.returnOfId === null) return null;
    const row = await ctx.loaders.requisition.load({ countyId: r.countyId, id: r.returnOfId });
    return row && Requisition.from(row);
  }

  @FieldResolver(() => [Requisition], {
    description: "Return legs carrying stock rejected on arrival back to its lender, oldest first.",
  })
  async returnLegs(@Root() r: Requisition, @Ctx() ctx: Context): Promise<Requisition[]> {
    const legs = await ctx.loaders.requisitionReturnLegs.load({ countyId: r.countyId, id: r.requisitionId });
    const rows = await ctx.loaders.requisition.loadMany(
      legs.map((l) => ({ countyId: l.countyId, id: l.id })),
    );
    return rows.flatMap((row) => (row && !(row instanceof Error) ? [Requisition.from(row)] : []));
  }

  @FieldResolver(() => User, { description: "Who created it." })
  async createdBy(@Root() r: Requisition, @Ctx() ctx: Context): Promise<User> {
    return User.from((await ctx.loaders.user.load(r.createdBy))!);
  }

  @FieldResolver(() => [RequisitionLine], {
    description: "What is asked for, and how much moved at each step.",
  })
  async lines(@Root() r: Requisition, @Ctx() ctx: Context): Promise<RequisitionLine[]> {
    return (await ctx.loaders.requisitionLines.load({ countyId: r.countyId, id: r.requisitionId })).map(
      RequisitionLine.from,
    );
  }

  @FieldResolver(() => [Approval], { description: "Approvals given." })
  async approvals(@Root() r: Requisition, @Ctx() ctx: Context): Promise<Approval[]> {
    return (await ctx.loaders.requisitionApprovals.load({ countyId: r.countyId, id: r.requisitionId })).map(
      Approval.from,
    );
  }

  @FieldResolver(() => Boolean, {
    description:
      "The supplier approved an emergency that reaches into its reserve floor; the county must approve too.",
  })
  async awaitingCountyApproval(@Root() r: Requisition, @Ctx() ctx: Context): Promise<boolean> {
    if (r.status !== "SUBMITTED") return false;
    const approvals = await ctx.loaders.requisitionApprovals.load({
      countyId: r.countyId,
      id: r.requisitionId,
    });
    return approvals.some((a) => a.level === "SUPPLIER") && !approvals.some((a) => a.level === "COUNTY");
  }

  @FieldResolver(() => [Movement], {
    description:
      "Ledger lines the requisition wrote at depots the viewer may read: dispatch (TRANSFER_OUT) and returns on " +
      "the lender's books, receipt (TRANSFER_IN) on the receiver's; the county and auditors see both sides.",
  })
  async movements(@Root() r: Requisition, @Ctx() ctx: Context): Promise<Movement[]> {
    return (await ctx.loaders.requisitionMovements.load({ countyId: r.countyId, id: r.requisitionId })).map(
      Movement.from,
    );
  }

  @FieldResolver(() => [RequisitionEvent], {
    description: "Every transition with actor, time and note, oldest first.",
  })
  async timeline(@Root() r: Requisition, @Ctx() ctx: Context): Promise<RequisitionEvent[]> {
    return (await ctx.loaders.requisitionEvents.load({ countyId: r.countyId, id: r.requisitionId })).map(
      RequisitionEvent.from,
    );
  }
}
