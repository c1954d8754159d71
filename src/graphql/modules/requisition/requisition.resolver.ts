import {
  Arg,
  Args,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { approveRequisition } from "../../../app/requisition/approve.js";
import { createRequisition } from "../../../app/requisition/create.js";
import { dispatchRequisition } from "../../../app/requisition/dispatch.js";
import { scopeKeys } from "../../../app/requisition/facts.js";
import {
  cancelRequisition,
  escalateRequisition,
  rejectRequisition,
  submitRequisition,
} from "../../../app/requisition/lifecycle.js";
import { receiveRequisition } from "../../../app/requisition/receive.js";
import { returnRequisition } from "../../../app/requisition/returnLoan.js";
import type { RequisitionRow } from "../../../db/repositories/requisitions.js";
import * as requisitions from "../../../db/repositories/requisitions.js";
import type { RequisitionStatus } from "../../../domain/requisition/requisition.js";
import type { Context } from "../../context.js";
import { UserError } from "../../errors.js";
import { expectCountyKey, expectPlainId } from "../../ids.js";
import { payload } from "../../payload.js";
import { PageArgs, toConnection, toPageRequest } from "../../relay.js";
import { Item } from "../catalogue/item.type.js";
import { Depot } from "../depot/depot.type.js";
import { Region } from "../region/region.type.js";
import { Lot } from "../stock/lot.type.js";
import { User } from "../viewer/user.type.js";
import {
  ApproveRequisitionInput,
  CreateRequisitionInput,
  DispatchRequisitionInput,
  ReceiveRequisitionInput,
  RequisitionReasonInput,
  RequisitionStepInput,
  ReturnRequisitionInput,
} from "./requisition.inputs.js";
import {
  Allocation,
  Approval,
  DirectionEnum,
  Discrepancy,
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

@ObjectType({ description: "The requisition after the step, or why the step was refused." })
export class RequisitionPayload {
  @Field(() => Requisition, {
    nullable: true,
    description: "The requisition as it stands now; null when refused.",
  })
  requisition!: Requisition | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success. Nothing changed then." })
  userErrors!: UserError[];
}

const OFFICES = ["TOWNSHIP_OFFICER", "COUNTY_OFFICER"] as const;
const CUSTODIANS = ["KEEPER", "TOWNSHIP_OFFICER", "COUNTY_OFFICER"] as const;
const req = (id: string) => expectCountyKey(id, "Requisition", "input.requisitionId");
const line = (id: string, path: string) => expectCountyKey(id, "RequisitionLine", path).id;
const shape = (row: RequisitionRow) => ({ requisition: Requisition.from(row) });
const refused = { requisition: null };

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
    const result = await requisitions.list(
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
    const result = await requisitions.inTransit(
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
        quantity: r.allocation.quantity,
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
    const result = await requisitions.listLoans(
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

  @Authorized(...OFFICES)
  @Mutation(() => RequisitionPayload, {
    description: "Draft a request to a neighbouring township or the county.",
  })
  createRequisition(
    @Arg("input", () => CreateRequisitionInput) input: CreateRequisitionInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () =>
        createRequisition(ctx.deps, ctx.actor!, {
          ...input,
          requestingRegion: expectCountyKey(input.requestingRegionId, "Region", "input.requestingRegionId"),
          supplyingRegion: expectCountyKey(input.supplyingRegionId, "Region", "input.supplyingRegionId"),
          destinationDepot: expectCountyKey(input.destinationDepotId, "Depot", "input.destinationDepotId"),
          lines: input.lines.map((l, i) => ({
            itemId: expectPlainId(l.itemId, "Item", `input.lines.${i}.itemId`),
            quantity: l.quantity,
          })),
        }),
      shape,
      refused,
    );
  }

  @Authorized(...OFFICES)
  @Mutation(() => RequisitionPayload, { description: "Send a draft to the supplier." })
  submitRequisition(
    @Arg("input", () => RequisitionStepInput) input: RequisitionStepInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () => submitRequisition(ctx.deps, ctx.actor!, { ...input, requisition: req(input.requisitionId) }),
      shape,
      refused,
    );
  }

  @Authorized(...OFFICES)
  @Mutation(() => RequisitionPayload, {
    description:
      "Approve in full or in part; lots are allocated here, first-expiry-first-out from the nearest depots. Never by the request's creator, never twice by one person.",
  })
  approveRequisition(
    @Arg("input", () => ApproveRequisitionInput) input: ApproveRequisitionInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () =>
        approveRequisition(ctx.deps, ctx.actor!, {
          ...input,
          requisition: req(input.requisitionId),
          lines: input.lines?.map((l, i) => ({
            lineId: line(l.lineId, `input.lines.${i}.lineId`),
            approvedQuantity: l.approvedQuantity,
          })),
        }),
      shape,
      refused,
    );
  }

  @Authorized(...OFFICES)
  @Mutation(() => RequisitionPayload, { description: "Refuse a submitted request, with a reason." })
  rejectRequisition(
    @Arg("input", () => RequisitionReasonInput) input: RequisitionReasonInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () => rejectRequisition(ctx.deps, ctx.actor!, { ...input, requisition: req(input.requisitionId) }),
      shape,
      refused,
    );
  }

  @Authorized(...OFFICES)
  @Mutation(() => RequisitionPayload, {
    description:
      "Withdraw a request before dispatch; every held lot goes back to the lender. Refused once dispatched.",
  })
  cancelRequisition(
    @Arg("input", () => RequisitionReasonInput) input: RequisitionReasonInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () => cancelRequisition(ctx.deps, ctx.actor!, { ...input, requisition: req(input.requisitionId) }),
      shape,
      refused,
    );
  }

  @Authorized(...OFFICES)
  @Mutation(() => RequisitionPayload, {
    description: "Send what a neighbour refused or approved only in part to the county, as a new request.",
  })
  escalateRequisition(
    @Arg("input", () => RequisitionReasonInput) input: RequisitionReasonInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () => escalateRequisition(ctx.deps, ctx.actor!, { ...input, requisition: req(input.requisitionId) }),
      shape,
      refused,
    );
  }

  @Authorized(...CUSTODIANS)
  @Mutation(() => RequisitionPayload, {
    description: "The allocated lots leave the lender as TRANSFER_OUT lines and are in transit.",
  })
  dispatchRequisition(
    @Arg("input", () => DispatchRequisitionInput) input: DispatchRequisitionInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () => dispatchRequisition(ctx.deps, ctx.actor!, { ...input, requisition: req(input.requisitionId) }),
      shape,
      refused,
    );
  }

  @Authorized(...CUSTODIANS)
  @Mutation(() => RequisitionPayload, {
    description:
      "Count what arrived: accepted stock enters the destination as TRANSFER_IN lots; rejected and missing stock become discrepancies. Not by whoever dispatched.",
  })
  receiveRequisition(
    @Arg("input", () => ReceiveRequisitionInput) input: ReceiveRequisitionInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () =>
        receiveRequisition(ctx.deps, ctx.actor!, {
          ...input,
          requisition: req(input.requisitionId),
          lines: input.lines.map((l, i) => ({ ...l, lineId: line(l.lineId, `input.lines.${i}.lineId`) })),
        }),
      shape,
      refused,
    );
  }

  @Authorized(...CUSTODIANS)
  @Mutation(() => RequisitionPayload, {
    description:
      "Send lent equipment back; damaged returns do not restore usable stock. Closes when all is back.",
  })
  returnRequisition(
    @Arg("input", () => ReturnRequisitionInput) input: ReturnRequisitionInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () =>
        returnRequisition(ctx.deps, ctx.actor!, {
          ...input,
          requisition: req(input.requisitionId),
          lines: input.lines.map((l, i) => ({
            lineId: line(l.lineId, `input.lines.${i}.lineId`),
            quantity: l.quantity,
            condition: l.damaged ? ("DAMAGED" as const) : ("SERVICEABLE" as const),
          })),
        }),
      shape,
      refused,
    );
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

  @FieldResolver(() => [RequisitionEvent], {
    description: "Every transition with actor, time and note, oldest first.",
  })
  async timeline(@Root() r: Requisition, @Ctx() ctx: Context): Promise<RequisitionEvent[]> {
    return (await ctx.loaders.requisitionEvents.load({ countyId: r.countyId, id: r.requisitionId })).map(
      RequisitionEvent.from,
    );
  }
}

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
    return (await ctx.loaders.lineDiscrepancies.load(lineKey(l))).map(Discrepancy.from);
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
