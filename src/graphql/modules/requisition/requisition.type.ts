import { DateTimeResolver } from "graphql-scalars";
import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import type * as repo from "../../../db/repositories/requisitions.js";
import {
  ALLOCATION_STATUSES,
  type AllocationStatus,
  allocationStatusOf,
} from "../../../domain/requisition/allocation.js";
import {
  PRIORITIES,
  type Priority,
  REQUISITION_STATUSES,
  type RequisitionStatus,
} from "../../../domain/requisition/requisition.js";
import { enumObject } from "../../enums.js";
import { toGlobalId } from "../../ids.js";
import { Connection } from "../../relay.js";
import { decimal, decimalOrNull, DecimalScalar } from "../../scalars.js";
import { Node } from "../node/node.type.js";

export const PriorityEnum = enumObject(PRIORITIES);
registerEnumType(PriorityEnum, {
  name: "Priority",
  description: "Routine, urgent, or emergency (the only one that may dip into a reserve floor).",
});

export const RequisitionStatusEnum = enumObject(REQUISITION_STATUSES);
registerEnumType(RequisitionStatusEnum, {
  name: "RequisitionStatus",
  description: "Where a requisition stands in its lifecycle.",
});

export const ApprovalLevelEnum = enumObject(["SUPPLIER", "COUNTY"] as const);
registerEnumType(ApprovalLevelEnum, {
  name: "ApprovalLevel",
  description: "The supplying office, or the county.",
});

export const LoanStatusEnum = enumObject(["OPEN", "RETURNED"] as const);
registerEnumType(LoanStatusEnum, { name: "LoanStatus", description: "Lent equipment out, or back." });

export const AllocationStatusEnum = enumObject(ALLOCATION_STATUSES);
registerEnumType(AllocationStatusEnum, {
  name: "AllocationStatus",
  description:
    "Held at the lender, on the road, counted at the destination, given back by a cancellation, or put back on its lot by a recall.",
});

export const DirectionEnum = enumObject(["INCOMING", "OUTGOING"] as const);
registerEnumType(DirectionEnum, {
  name: "RequisitionDirection",
  description: "Requests to a region (it supplies) or from it (it asks).",
});

@ObjectType({
  implements: Node,
  description: "A request from one region to another for supplies (调拨申请).",
})
export class Requisition extends Node {
  countyId!: number;
  requisitionId!: number;
  requestingRegionId!: number;
  supplyingRegionId!: number;
  destinationDepotId!: number;
  escalatedFromId!: number | null;
  returnOfId!: number | null;
  createdBy!: number;
  dispatchedBy!: number | null;
  receivedBy!: number | null;
  emergencyId!: number | null;

  @Field(() => RequisitionStatusEnum, { description: "Where it stands." })
  status!: RequisitionStatus;

  @Field(() => PriorityEnum, { description: "How urgent." })
  priority!: Priority;

  @Field(() => DateTimeResolver, { nullable: true, description: "When the supplies are needed." })
  neededBy!: Date | null;

  @Field(() => String, { description: "Why they are needed." })
  reason!: string;

  @Field(() => String, { description: "The incident, e.g. a levee breach at a named place." })
  incident!: string;

  @Field(() => String, {
    nullable: true,
    description: "Release order number (动用指令) for agent-held county stock.",
  })
  releaseOrderNo!: string | null;

  @Field(() => String, { nullable: true, description: "Day lent equipment is due back, YYYY-MM-DD." })
  returnDueOn!: string | null;

  @Field(() => String, { nullable: true, description: "Carrier that took the stock." })
  carrier!: string | null;

  @Field(() => String, { nullable: true, description: "Vehicle, e.g. the plate number." })
  vehicle!: string | null;

  @Field(() => String, { nullable: true, description: "How to reach the driver." })
  driverContact!: string | null;

  @Field(() => DateTimeResolver, { description: "When it was created." })
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: "When the stock left." })
  dispatchedAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: "When the destination counted it." })
  receivedAt!: Date | null;

  static from(row: repo.RequisitionRow): Requisition {
    const { id, ...rest } = row;
    const date = (d: Date | string | null) => (d === null ? null : new Date(d));
    return Object.assign(new Requisition(), rest, {
      requisitionId: id,
      id: toGlobalId("Requisition", { countyId: row.countyId, id }),
      neededBy: date(row.neededBy),
      createdAt: new Date(row.createdAt),
      dispatchedAt: date(row.dispatchedAt),
      receivedAt: date(row.receivedAt),
    });
  }
}

@ObjectType({ description: "A page of requisitions, newest first." })
export class RequisitionConnection extends Connection(Requisition, "Requisition") {}

@ObjectType({ description: "One item of a requisition and how much of it moved at each step." })
export class RequisitionLine {
  countyId!: number;
  lineId!: number;
  requisitionId!: number;
  itemId!: number;

  @Field(() => ID, { description: "Names the line in approve, receive and return inputs." })
  id!: string;

  @Field(() => DecimalScalar, { description: "Asked for." })
  requestedQuantity!: string;

  @Field(() => DecimalScalar, { nullable: true, description: "Approved (may be less)." })
  approvedQuantity!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: "Sent." })
  dispatchedQuantity!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: "Accepted on arrival." })
  acceptedQuantity!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: "Lent equipment sent back." })
  returnedQuantity!: string | null;

  static from(row: repo.LineRow): RequisitionLine {
    const { id, ...rest } = row;
    return Object.assign(new RequisitionLine(), rest, {
      lineId: id,
      id: toGlobalId("RequisitionLine", { countyId: row.countyId, id }),
      requestedQuantity: decimal(row.requestedQuantity),
      approvedQuantity: decimalOrNull(row.approvedQuantity),
      dispatchedQuantity: decimalOrNull(row.dispatchedQuantity),
      acceptedQuantity: decimalOrNull(row.acceptedQuantity),
      returnedQuantity: decimalOrNull(row.returnedQuantity),
    });
  }
}

@ObjectType({ description: "A specific lot held for (and then sent with) a requisition line." })
export class Allocation {
  countyId!: number;
  lotId!: number;
  receivedLotId!: number | null;

  @Field(() => DecimalScalar, { description: "How much of the lot." })
  quantity!: string;

  @Field(() => AllocationStatusEnum, { description: "Held, in transit, received, released or recalled." })
  status!: AllocationStatus;

  @Field(() => DecimalScalar, {
    description:
      "Of the quantity, what a county-approved emergency took from below the depot's reserve floor (动用储备底线); 0 otherwise.",
  })
  floorUsed!: string;

  @Field(() => DecimalScalar, { nullable: true, description: "Accepted of it on arrival." })
  acceptedQuantity!: string | null;

  @Field(() => DecimalScalar, { description: "Sent back to the lender (lent equipment)." })
  returnedQuantity!: string;

  static from(row: repo.AllocationRow): Allocation {
    const status = allocationStatusOf({
      accepted: row.acceptedQuantity !== null,
      released: row.releasedAt !== null,
      dispatched: row.dispatchedAt !== null,
    });
    return Object.assign(new Allocation(), row, {
      status,
      quantity: decimal(row.quantity),
      floorUsed: decimal(row.floorUsed),
      acceptedQuantity: decimalOrNull(row.acceptedQuantity),
      returnedQuantity: decimal(row.returnedQuantity),
    });
  }
}

@ObjectType({ description: "An approval given, with who gave it." })
export class Approval {
  countyId!: number;
  approverId!: number;

  @Field(() => ApprovalLevelEnum, { description: "The supplying office or the county." })
  level!: "SUPPLIER" | "COUNTY";

  @Field(() => String, { nullable: true, description: "Release order number recorded with it." })
  releaseOrderNo!: string | null;

  @Field(() => String, { description: "Remark." })
  note!: string;

  @Field(() => DateTimeResolver, { description: "When." })
  approvedAt!: Date;

  static from(row: repo.ApprovalRow): Approval {
    return Object.assign(new Approval(), row, { approvedAt: new Date(row.approvedAt) });
  }
}

@ObjectType({
  description: "One step of a requisition's history: every transition with actor, time and note.",
})
export class RequisitionEvent {
  countyId!: number;
  actorId!: number;

  @Field(() => RequisitionStatusEnum, { nullable: true, description: "Status before; null at creation." })
  fromStatus!: RequisitionStatus | null;

  @Field(() => RequisitionStatusEnum, { description: "Status after." })
  toStatus!: RequisitionStatus;

  @Field(() => String, { description: "What was said." })
  note!: string;

  @Field(() => DateTimeResolver, { description: "When." })
  occurredAt!: Date;

  static from(row: repo.EventRow): RequisitionEvent {
    return Object.assign(new RequisitionEvent(), row, { occurredAt: new Date(row.occurredAt) });
  }
}

@ObjectType({ description: "Lent equipment that must come back by a due date." })
export class Loan {
  countyId!: number;
  lenderDepotId!: number;
  requisitionId!: number | null;
  destinationDepotId!: number | null;

  @Field(() => DecimalScalar, { description: "How much was lent." })
  quantity!: string;

  @Field(() => DecimalScalar, { description: "How much is back." })
  returnedQuantity!: string;

  @Field(() => String, { description: "Due back on, YYYY-MM-DD." })
  dueOn!: string;

  @Field(() => LoanStatusEnum, { description: "Open or returned." })
  status!: "OPEN" | "RETURNED";

  @Field(() => Boolean, { description: "Open and past its due date today (Asia/Shanghai)." })
  overdue!: boolean;

  static from(
    row: repo.LoanRow,
    today: string,
    extra: { requisitionId?: number; destinationDepotId?: number } = {},
  ): Loan {
    return Object.assign(new Loan(), row, {
      quantity: decimal(row.quantity),
      returnedQuantity: decimal(row.returnedQuantity),
      overdue: row.status === "OPEN" && row.dueOn < today,
      requisitionId: extra.requisitionId ?? null,
      destinationDepotId: extra.destinationDepotId ?? null,
    });
  }
}

@ObjectType({ description: "A page of loans." })
export class LoanConnection extends Connection(Loan, "Loan") {}

@ObjectType({ description: "Stock on the road: dispatched, not yet counted at its destination." })
export class InTransitShipment {
  countyId!: number;
  requisitionId!: number;
  lotId!: number;
  lenderDepotId!: number;
  destinationDepotId!: number;
  itemId!: number;

  @Field(() => DecimalScalar, { description: "How much is on the road." })
  quantity!: string;

  @Field(() => DateTimeResolver, { description: "When it left." })
  dispatchedAt!: Date;
}

@ObjectType({ description: "A page of shipments in transit." })
export class InTransitShipmentConnection extends Connection(InTransitShipment, "InTransitShipment") {}
