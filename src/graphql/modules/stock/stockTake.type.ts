import { DateTimeResolver } from "graphql-scalars";
import { Field, ObjectType, registerEnumType } from "type-graphql";
import type { StockTakeRow } from "../../../db/repositories/stockTakes.js";
import type { WriteOffRequestRow } from "../../../db/repositories/writeOffRequests.js";
import type { WriteOffCause } from "../../../domain/stock/movement.js";
import { enumObject } from "../../enums.js";
import { toGlobalId } from "../../ids.js";
import { Connection } from "../../relay.js";
import { decimal, DecimalScalar } from "../../scalars.js";
import { Node } from "../node/node.type.js";
import { WriteOffCauseEnum } from "./movement.type.js";

export const StockTakeStatusEnum = enumObject(["OPEN", "SUBMITTED", "CANCELLED"] as const);
registerEnumType(StockTakeStatusEnum, {
  name: "StockTakeStatus",
  description: "Open while counting; submitted once, or cancelled with a reason.",
});

export const WriteOffStatusEnum = enumObject(["PENDING", "CONFIRMED", "REJECTED"] as const);
registerEnumType(WriteOffStatusEnum, {
  name: "WriteOffStatus",
  description: "A large write-off waits for a second person's confirmation.",
});

@ObjectType({ implements: Node, description: "A count of a depot's stock (盘点)." })
export class StockTake extends Node {
  countyId!: number;
  stockTakeId!: number;
  depotId!: number;
  startedBy!: number;
  submittedBy!: number | null;
  cancelledBy!: number | null;

  @Field(() => StockTakeStatusEnum, { description: "Open, submitted or cancelled." })
  status!: "OPEN" | "SUBMITTED" | "CANCELLED";

  @Field(() => String, { description: "Remark." })
  note!: string;

  @Field(() => DateTimeResolver, {
    description: "When counting started; the lots holding stock at this instant are the ones to count.",
  })
  startedAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: "When the counts were submitted." })
  submittedAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: "When the open count was cancelled." })
  cancelledAt!: Date | null;

  @Field(() => String, { nullable: true, description: "Why the count was cancelled." })
  cancelReason!: string | null;

  static from(row: StockTakeRow): StockTake {
    const { id, ...rest } = row;
    return Object.assign(new StockTake(), rest, {
      stockTakeId: id,
      id: toGlobalId("StockTake", { countyId: row.countyId, id }),
      startedAt: new Date(row.startedAt),
      submittedAt: row.submittedAt ? new Date(row.submittedAt) : null,
      cancelledAt: row.cancelledAt ? new Date(row.cancelledAt) : null,
    });
  }
}

@ObjectType({ description: "One lot of a stock-take: what the book said at the start and what was counted." })
export class StockTakeLine {
  countyId!: number;
  lotId!: number;

  @Field(() => DecimalScalar, { description: "On hand when the stock-take started." })
  bookQuantity!: string;

  @Field(() => DecimalScalar, { nullable: true, description: "Counted quantity, once submitted." })
  countedQuantity!: string | null;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description:
      "When the lot was counted; its adjustment is counted − the lot's book quantity at this instant.",
  })
  countedAt!: Date | null;
}

@ObjectType({ description: "A page of stock-takes." })
export class StockTakeConnection extends Connection(StockTake, "StockTake") {}

@ObjectType({ implements: Node, description: "A write-off above the threshold, awaiting a second person." })
export class WriteOffRequest extends Node {
  countyId!: number;
  lotId!: number;
  requestedBy!: number;
  decidedBy!: number | null;
  movementId!: number | null;

  @Field(() => DecimalScalar, { description: "Quantity to write off." })
  quantity!: string;

  @Field(() => WriteOffCauseEnum, { description: "Damaged, expired or lost." })
  cause!: WriteOffCause;

  @Field(() => String, { description: "Why." })
  reason!: string;

  @Field(() => WriteOffStatusEnum, { description: "Pending, confirmed or rejected." })
  status!: "PENDING" | "CONFIRMED" | "REJECTED";

  @Field(() => DateTimeResolver, { description: "When it was asked for." })
  requestedAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: "When it was decided." })
  decidedAt!: Date | null;

  static from(row: WriteOffRequestRow): WriteOffRequest {
    const { id, ...rest } = row;
    return Object.assign(new WriteOffRequest(), rest, {
      id: toGlobalId("WriteOffRequest", { countyId: row.countyId, id }),
      quantity: decimal(row.quantity),
      requestedAt: new Date(row.requestedAt),
      decidedAt: row.decidedAt ? new Date(row.decidedAt) : null,
    });
  }
}
