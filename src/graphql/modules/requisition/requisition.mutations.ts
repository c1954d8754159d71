import { Arg, Authorized, Ctx, Field, Mutation, ObjectType, Resolver } from "type-graphql";
import { approveRequisition } from "../../../app/requisition/approve.js";
import { createRequisition } from "../../../app/requisition/create.js";
import { dispatchRequisition } from "../../../app/requisition/dispatch.js";
import {
  cancelRequisition,
  escalateRequisition,
  rejectRequisition,
  submitRequisition,
} from "../../../app/requisition/lifecycle.js";
import { receiveRequisition } from "../../../app/requisition/receive.js";
import { recallRequisition } from "../../../app/requisition/recall.js";
import { settleDiscrepancy } from "../../../app/requisition/settle.js";
import { returnRequisition } from "../../../app/requisition/returnLoan.js";
import type { RequisitionRow } from "../../../db/repositories/requisitions.js";
import type { Context } from "../../context.js";
import { UserError } from "../../errors.js";
import { expectCountyKey, expectIdIn, expectPlainId } from "../../ids.js";
import type { CountyKey } from "../../../db/keys.js";
import { payload } from "../../payload.js";
import {
  ApproveRequisitionInput,
  CreateRequisitionInput,
  DispatchRequisitionInput,
  ReceiveRequisitionInput,
  RequisitionReasonInput,
  RequisitionStepInput,
  ReturnRequisitionInput,
  SettleDiscrepancyInput,
} from "./requisition.inputs.js";
import { Requisition } from "./requisition.type.js";

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
/** A line of the requisition named beside it: a line ID of another county is NOT_FOUND. */
const line = (requisition: CountyKey, id: string, path: string) =>
  expectIdIn(requisition.countyId, id, "RequisitionLine", path);
const shape = (row: RequisitionRow) => ({ requisition: Requisition.from(row) });
const refused = { requisition: null };

@Resolver()
export class RequisitionMutationResolver {
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
            lineId: line(req(input.requisitionId), l.lineId, `input.lines.${i}.lineId`),
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
      () => {
        const requisition = req(input.requisitionId);
        const vehicles = input.vehicles?.map((id, i) =>
          expectIdIn(requisition.countyId, id, "Vehicle", `input.vehicles.${i}`),
        );
        return dispatchRequisition(ctx.deps, ctx.actor!, { ...input, requisition, vehicles });
      },
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
          lines: input.lines.map((l, i) => ({
            ...l,
            lineId: line(req(input.requisitionId), l.lineId, `input.lines.${i}.lineId`),
          })),
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
            lineId: line(req(input.requisitionId), l.lineId, `input.lines.${i}.lineId`),
            quantity: l.quantity,
            condition: l.damaged ? ("DAMAGED" as const) : ("SERVICEABLE" as const),
          })),
        }),
      shape,
      refused,
    );
  }

  @Authorized(...CUSTODIANS)
  @Mutation(() => RequisitionPayload, {
    description:
      "The sender calls a dispatched requisition back (车辆返回) before the receiver counts it: every travelled lot is put back on the lot it left by a RETURN line; the requisition ends RECALLED. Needs custody of every depot the stock left.",
  })
  recallRequisition(
    @Arg("input", () => RequisitionReasonInput) input: RequisitionReasonInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () => recallRequisition(ctx.deps, ctx.actor!, { ...input, requisition: req(input.requisitionId) }),
      shape,
      refused,
    );
  }

  @Authorized(...OFFICES)
  @Mutation(() => RequisitionPayload, {
    description:
      "Settle an open discrepancy (the county or the lender's township office): found, written off with a cause, or returned; each a ledger line. Answers the requisition it belongs to.",
  })
  settleDiscrepancy(
    @Arg("input", () => SettleDiscrepancyInput) input: SettleDiscrepancyInput,
    @Ctx() ctx: Context,
  ) {
    return payload(
      () =>
        settleDiscrepancy(ctx.deps, ctx.actor!, {
          ...input,
          discrepancy: expectCountyKey(input.discrepancyId, "Discrepancy", "input.discrepancyId"),
          foundAt: input.foundAtDepotId
            ? expectCountyKey(input.foundAtDepotId, "Depot", "input.foundAtDepotId")
            : null,
        }),
      shape,
      refused,
    );
  }
}
