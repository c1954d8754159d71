import { DateTimeResolver } from "graphql-scalars";
import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import {
  REJECTED_DISPOSITIONS,
  type RejectedDisposition,
  SETTLEMENTS,
  type Settlement,
} from "../../../domain/requisition/discrepancy.js";
import type * as repo from "../../../db/repositories/requisitions.js";
import { enumObject } from "../../enums.js";
import { toGlobalId } from "../../ids.js";
import { Connection } from "../../relay.js";
import { decimal, DecimalScalar } from "../../scalars.js";

export const RejectedDispositionEnum = enumObject(REJECTED_DISPOSITIONS);
registerEnumType(RejectedDispositionEnum, {
  name: "RejectedDisposition",
  description:
    "What becomes of stock rejected on arrival: sent back to the lender on a return leg, or kept at the receiver as a quarantined lot awaiting settlement.",
});

export const SettlementEnum = enumObject(SETTLEMENTS);
registerEnumType(SettlementEnum, {
  name: "Settlement",
  description:
    "How a discrepancy was settled: found (booked in where it turned up), written off with a cause, or returned to the lender.",
});

export const DiscrepancyKindEnum = enumObject(["REJECTED", "MISSING"] as const);
registerEnumType(DiscrepancyKindEnum, {
  name: "DiscrepancyKind",
  description: "Refused on arrival, or never arrived.",
});

@ObjectType({
  description:
    "Stock dispatched but not accepted: rejected on arrival or missing. Never silently lost: open until settled, visible to both regions and the county.",
})
export class Discrepancy {
  countyId!: number;
  requisitionId!: number;
  recordedBy!: number;
  settledBy!: number | null;
  allocationId!: number | null;
  lotId!: number | null;
  returnRequisitionId!: number | null;

  @Field(() => ID, { description: "Names the discrepancy in settleDiscrepancy." })
  id!: string;

  @Field(() => DiscrepancyKindEnum, { description: "Rejected or missing." })
  kind!: "REJECTED" | "MISSING";

  @Field(() => DecimalScalar, { description: "How much." })
  quantity!: string;

  @Field(() => String, { description: "Why, or what is known." })
  reason!: string;

  @Field(() => DateTimeResolver, { description: "When it was recorded." })
  recordedAt!: Date;

  @Field(() => RejectedDispositionEnum, {
    nullable: true,
    description: "For rejected stock: sent back, or kept in quarantine at the receiver. Null when missing.",
  })
  disposition!: RejectedDisposition | null;

  @Field(() => Boolean, { description: "True until settled." })
  open!: boolean;

  @Field(() => SettlementEnum, { nullable: true, description: "How it was settled; null while open." })
  settlement!: Settlement | null;

  @Field(() => String, { nullable: true, description: "What was said when it was settled." })
  settlementNote!: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: "When it was settled." })
  settledAt!: Date | null;

  static from(row: repo.DiscrepancyRow, requisitionId: number): Discrepancy {
    return Object.assign(new Discrepancy(), row, {
      requisitionId,
      id: toGlobalId("Discrepancy", { countyId: row.countyId, id: row.id }),
      quantity: decimal(row.quantity),
      recordedAt: new Date(row.recordedAt),
      open: row.settledAt === null,
      settledAt: row.settledAt === null ? null : new Date(row.settledAt),
    });
  }
}

@ObjectType({ description: "A page of discrepancies." })
export class DiscrepancyConnection extends Connection(Discrepancy, "Discrepancy") {}
