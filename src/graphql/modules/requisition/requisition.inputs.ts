import { DateTimeResolver } from "graphql-scalars";
import { Field, ID, InputType } from "type-graphql";
import type { Priority } from "../../../domain/requisition/requisition.js";
import { DecimalScalar } from "../../scalars.js";
import type { RejectedDisposition, Settlement } from "../../../domain/requisition/discrepancy.js";
import type { WriteOffCause } from "../../../domain/stock/movement.js";
import { WriteOffCauseEnum } from "../stock/movement.type.js";
import { RejectedDispositionEnum, SettlementEnum } from "./discrepancy.type.js";
import { PriorityEnum } from "./requisition.type.js";

const IDEMPOTENCY =
  "Retry-safe key: a retry with the same key and input returns the original answer and writes nothing; the same key with other input is refused.";

@InputType({ description: "One item asked for." })
export class RequisitionLineInput {
  @Field(() => ID, { description: "The item." })
  itemId!: string;

  @Field(() => DecimalScalar, {
    description: "How much, in the item's unit. The same item twice is merged into one line.",
  })
  quantity!: string;
}

@InputType({ description: "A request for supplies from a neighbouring township or the county." })
export class CreateRequisitionInput {
  @Field(() => ID, { description: "The township asking (the caller's own)." })
  requestingRegionId!: string;

  @Field(() => ID, { description: "A neighbouring township (mutual-aid link) or the county." })
  supplyingRegionId!: string;

  @Field(() => ID, { description: "The depot in the requesting township that receives the supplies." })
  destinationDepotId!: string;

  @Field(() => PriorityEnum, { description: "Routine, urgent or emergency." })
  priority!: Priority;

  @Field(() => DateTimeResolver, { nullable: true, description: "When the supplies are needed." })
  neededBy?: Date | null;

  @Field(() => String, { description: "Why." })
  reason!: string;

  @Field(() => String, { nullable: true, description: "The incident, e.g. 河口镇李庄段堤防管涌." })
  incident?: string | null;

  @Field(() => [RequisitionLineInput], { description: "What is asked for." })
  lines!: RequisitionLineInput[];

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "A lifecycle step that needs only the requisition and a remark." })
export class RequisitionStepInput {
  @Field(() => ID, { description: "The requisition." })
  requisitionId!: string;

  @Field(() => String, { nullable: true, description: "Remark kept in the timeline." })
  note?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "A lifecycle step that needs a reason: reject, cancel, escalate." })
export class RequisitionReasonInput {
  @Field(() => ID, { description: "The requisition." })
  requisitionId!: string;

  @Field(() => String, { description: "Why; kept in the timeline." })
  reason!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "The quantity approved for one line." })
export class ApproveLineInput {
  @Field(() => ID, { description: "The line (RequisitionLine.id)." })
  lineId!: string;

  @Field(() => DecimalScalar, {
    description: "Approved quantity, at most what was requested; 0 refuses the line.",
  })
  approvedQuantity!: string;
}

@InputType({ description: "An approval, in full or in part." })
export class ApproveRequisitionInput {
  @Field(() => ID, { description: "The requisition." })
  requisitionId!: string;

  @Field(() => [ApproveLineInput], {
    nullable: true,
    description: "Lines approved for less; the others are approved in full.",
  })
  lines?: ApproveLineInput[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Release order number (动用指令): required when county stock held by an agent custodian would move.",
  })
  releaseOrderNo?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "When lent equipment is due back, YYYY-MM-DD (default 30 days).",
  })
  returnDueOn?: string | null;

  @Field(() => String, { nullable: true, description: "Remark kept in the timeline." })
  note?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "How the stock travels." })
export class DispatchRequisitionInput {
  @Field(() => ID, { description: "The approved requisition." })
  requisitionId!: string;

  @Field(() => String, { description: "Carrier, e.g. the township's own truck or a logistics company." })
  carrier!: string;

  @Field(() => String, { description: "Vehicle, e.g. a plate number." })
  vehicle!: string;

  @Field(() => String, { description: "How to reach the driver." })
  driverContact!: string;

  @Field(() => [ID], {
    nullable: true,
    description:
      "Registered vehicles (应急运力) that carry it, each on call and on no other journey; free again once the receipt is confirmed or the requisition recalled.",
  })
  vehicles?: string[] | null;

  @Field(() => String, { nullable: true, description: "Remark kept in the timeline." })
  note?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "What arrived of one line: accepted + rejected + missing = dispatched." })
export class ReceiveLineInput {
  @Field(() => ID, { description: "The line (RequisitionLine.id)." })
  lineId!: string;

  @Field(() => DecimalScalar, { description: "Accepted into the destination depot." })
  acceptedQuantity!: string;

  @Field(() => DecimalScalar, { nullable: true, description: "Refused on arrival (e.g. damaged)." })
  rejectedQuantity?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Why it was refused; required with a rejected quantity.",
  })
  rejectedReason?: string | null;

  @Field(() => RejectedDispositionEnum, {
    nullable: true,
    description:
      "What becomes of the rejected quantity: RETURN sends it back to the lender on a return leg; KEEP_QUARANTINED (the default) keeps it here as a quarantined lot awaiting settlement.",
  })
  rejectedDisposition?: RejectedDisposition | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: "Did not arrive; an open discrepancy until settled.",
  })
  missingQuantity?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "What is known of it; required with a missing quantity.",
  })
  missingReason?: string | null;
}

@InputType({ description: "The count at the destination." })
export class ReceiveRequisitionInput {
  @Field(() => ID, { description: "The requisition in transit." })
  requisitionId!: string;

  @Field(() => [ReceiveLineInput], { description: "Every line, counted." })
  lines!: ReceiveLineInput[];

  @Field(() => String, { nullable: true, description: "Remark kept in the timeline." })
  note?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "Lent equipment sent back, for one line." })
export class ReturnLineInput {
  @Field(() => ID, { description: "The line (RequisitionLine.id)." })
  lineId!: string;

  @Field(() => DecimalScalar, { description: "How much goes back." })
  quantity!: string;

  @Field(() => Boolean, {
    description: "True when it comes back damaged: it will not count as usable at the lender.",
  })
  damaged!: boolean;
}

@InputType({ description: "Lent equipment going back to the lender." })
export class ReturnRequisitionInput {
  @Field(() => ID, { description: "The received requisition." })
  requisitionId!: string;

  @Field(() => [ReturnLineInput], { description: "What goes back." })
  lines!: ReturnLineInput[];

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "How an open discrepancy is settled; each settlement is a ledger line." })
export class SettleDiscrepancyInput {
  @Field(() => ID, { description: "The open discrepancy (Discrepancy.id)." })
  discrepancyId!: string;

  @Field(() => SettlementEnum, {
    description:
      "FOUND (missing stock booked in where it turned up), WRITTEN_OFF (with a cause) or RETURNED (to the lender).",
  })
  settlement!: Settlement;

  @Field(() => ID, {
    nullable: true,
    description: "FOUND: the depot where it turned up, the destination or the depot it left.",
  })
  foundAtDepotId?: string | null;

  @Field(() => WriteOffCauseEnum, { nullable: true, description: "WRITTEN_OFF: why it is gone." })
  cause?: WriteOffCause | null;

  @Field(() => String, { description: "What happened to it; kept on the ledger line and the discrepancy." })
  note!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}
