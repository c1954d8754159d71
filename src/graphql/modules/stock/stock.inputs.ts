import { DateTimeResolver } from "graphql-scalars";
import { Field, ID, InputType, Int } from "type-graphql";
import type { LotCondition } from "../../../domain/stock/lot.js";
import type { IssuePurpose, ReceiptSource, WriteOffCause } from "../../../domain/stock/movement.js";
import { DecimalScalar } from "../../scalars.js";
import { LotConditionEnum } from "./lot.type.js";
import { IssuePurposeEnum, ReceiptSourceEnum, WriteOffCauseEnum } from "./movement.type.js";
import { TestRunKindEnum, TestRunOutcomeEnum } from "./testRun.type.js";

export const IDEMPOTENCY =
  "Retry-safe key chosen by the client: a retry with the same key and input returns the original answer and writes nothing; the same key with other input is refused.";
export const CHANGE_FROM =
  "Compare-and-swap: the on-hand quantity the client saw; if it has changed since, nothing is written (CHANGE_FROM_QUANTITY_STALE).";
export const RELEASE_ORDER =
  "Release order number (动用指令) of the emergency bureau: required when the stock leaves agent storage (AGENT_STORAGE), recorded on the ledger line (RELEASE_ORDER_REQUIRED without it).";
const OCCURRED_AT =
  "When it happened, if earlier than now (backdating); a backdated deduction is refused if the lot would have gone negative since.";

@InputType({ description: "Stock arriving at a depot as a new lot." })
export class ReceiveStockInput {
  @Field(() => ID, { description: "The receiving depot; it must be in the caller's custody." })
  depotId!: string;

  @Field(() => ID, { description: "The catalogue item received." })
  itemId!: string;

  @Field(() => DecimalScalar, {
    description: "How much, in the item's unit and precision (pieces whole, tonnes to 3 decimals).",
  })
  quantity!: string;

  @Field(() => String, { description: "The supplier's or the depot's lot code." })
  lotCode!: string;

  @Field(() => String, { description: "Day received, YYYY-MM-DD; not in the future." })
  receivedOn!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "Printed expiry date, YYYY-MM-DD; omitted, the item's shelf life from the received date applies.",
  })
  expiresOn?: string | null;

  @Field(() => [String], { nullable: true, description: "Serialised equipment: one serial number per unit." })
  serialNumbers?: string[] | null;

  @Field(() => ReceiptSourceEnum, { description: "Where the stock came from." })
  source!: ReceiptSource;

  @Field(() => String, { description: "Why it was received; shown on the ledger line." })
  reason!: string;

  @Field(() => String, { nullable: true, description: "Delivery note or other outside document." })
  reference?: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: OCCURRED_AT })
  occurredAt?: Date | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "The open rotation (same depot and item) this receipt replaces; it closes with this receipt.",
  })
  replacesRotationId?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "Must be true to receive a lot whose expiry date is already past (before today in Asia/Shanghai); it arrives EXPIRED. Without it: EXPIRED_ON_RECEIPT.",
  })
  acceptExpired?: boolean | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "Stock leaving a depot for use." })
export class IssueStockInput {
  @Field(() => ID, { description: "The issuing depot; it must be in the caller's custody." })
  depotId!: string;

  @Field(() => ID, { description: "The item issued." })
  itemId!: string;

  @Field(() => ID, {
    nullable: true,
    description: "Issue from this lot; omitted, first-expiry-first-out across the depot's usable lots.",
  })
  lotId?: string | null;

  @Field(() => DecimalScalar, { description: "How much, in the item's unit and precision." })
  quantity!: string;

  @Field(() => IssuePurposeEnum, { description: "What the stock is for." })
  purpose!: IssuePurpose;

  @Field(() => String, { description: "Who receives it: a team, a village committee, a person." })
  recipient!: string;

  @Field(() => String, { description: "Why; shown on the ledger line." })
  reason!: string;

  @Field(() => String, { nullable: true, description: "Incident number or other outside document." })
  reference?: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: OCCURRED_AT })
  occurredAt?: Date | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: `${CHANGE_FROM} With lotId, the lot's on-hand; without, the depot's on-hand of the item.`,
  })
  changeFromQuantity?: string | null;

  @Field(() => String, { nullable: true, description: RELEASE_ORDER })
  releaseOrderNo?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      "Issue now under the declared emergency covering the depot (先处置后补手续): the reserve floor may be crossed, never usable stock or a release order; each line names the emergency and opens paperwork for the depot's office. Refused (NO_ACTIVE_EMERGENCY) when none covers the depot.",
  })
  emergency?: boolean | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "Damaged, expired or lost stock leaving the books." })
export class WriteOffStockInput {
  @Field(() => ID, { description: "The lot written off." })
  lotId!: string;

  @Field(() => DecimalScalar, {
    description: "How much; above the configured threshold a second person must confirm.",
  })
  quantity!: string;

  @Field(() => WriteOffCauseEnum, { description: "Damaged, expired or lost." })
  cause!: WriteOffCause;

  @Field(() => String, { description: "Why; shown on the ledger line." })
  reason!: string;

  @Field(() => DateTimeResolver, { nullable: true, description: OCCURRED_AT })
  occurredAt?: Date | null;

  @Field(() => DecimalScalar, { nullable: true, description: CHANGE_FROM })
  changeFromQuantity?: string | null;

  @Field(() => String, { nullable: true, description: RELEASE_ORDER })
  releaseOrderNo?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "A second person's decision on a pending write-off." })
export class ConfirmWriteOffInput {
  @Field(() => ID, { description: "The pending write-off request." })
  requestId!: string;

  @Field(() => Boolean, { description: "True writes the stock off now; false rejects the request." })
  confirm!: boolean;

  @Field(() => String, { nullable: true, description: "Remark kept with the decision." })
  note?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Out of agent storage, when the request did not carry a release order number yet (动用指令).",
  })
  releaseOrderNo?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "Quarantine, release from quarantine, or mark damaged." })
export class SetLotConditionInput {
  @Field(() => ID, { description: "The lot." })
  lotId!: string;

  @Field(() => LotConditionEnum, {
    description: "The new condition; EXPIRED follows from the date and is never set.",
  })
  condition!: LotCondition;

  @Field(() => String, { description: "Why; kept with the change." })
  reason!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "Open a stock-take (盘点) of a depot." })
export class StartStockTakeInput {
  @Field(() => ID, { description: "The depot to count." })
  depotId!: string;

  @Field(() => String, { nullable: true, description: "Remark, e.g. the annual count before flood season." })
  note?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "What was found of one lot." })
export class StockCountInput {
  @Field(() => ID, { description: "A lot of the stock-take." })
  lotId!: string;

  @Field(() => DecimalScalar, { description: "The quantity physically counted (zero if none was found)." })
  countedQuantity!: string;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description:
      "When the lot was counted, for a paper count entered later; default now. Its adjustment is against the book at that instant, so movements before it are not booked twice.",
  })
  countedAt?: Date | null;
}

@InputType({ description: "The counts of an open stock-take." })
export class SubmitStockTakeInput {
  @Field(() => ID, { description: "The open stock-take." })
  stockTakeId!: string;

  @Field(() => [StockCountInput], { description: "One count for every lot of the stock-take." })
  counts!: StockCountInput[];

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "A test run or maintenance of a serialised unit." })
export class RecordTestRunInput {
  @Field(() => ID, { description: "The unit (a lot of a serialised item)." })
  lotId!: string;

  @Field(() => TestRunKindEnum, { description: "Test run or maintenance." })
  kind!: "TEST_RUN" | "MAINTENANCE";

  @Field(() => TestRunOutcomeEnum, { description: "Passed or failed; a failed unit is quarantined." })
  outcome!: "PASSED" | "FAILED";

  @Field(() => String, { description: "Day performed, YYYY-MM-DD; not in the future." })
  performedOn!: string;

  @Field(() => Int, { nullable: true, description: "How long the unit ran, in minutes." })
  runMinutes?: number | null;

  @Field(() => String, { nullable: true, description: "What was done or found." })
  note?: string | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "Correct a mistaken ledger line." })
export class ReverseMovementInput {
  @Field(() => ID, { description: "The ledger line to reverse." })
  movementId!: string;

  @Field(() => String, { description: "What the mistake was." })
  reason!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}
