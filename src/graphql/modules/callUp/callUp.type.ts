import { DateTimeResolver } from "graphql-scalars";
import { Field, ObjectType, registerEnumType } from "type-graphql";
import type { CallUpLineRow, CallUpRow } from "../../../db/repositories/callUps.js";
import {
  CALL_UP_STATUSES,
  type CallUpStatus,
  callUpStatus,
  outstandingOf,
} from "../../../domain/agreement/callUp.js";
import { enumObject } from "../../enums.js";
import { UserError } from "../../errors.js";
import { toGlobalId } from "../../ids.js";
import { Connection } from "../../relay.js";
import { decimal, DecimalScalar } from "../../scalars.js";
import { Node } from "../node/node.type.js";
import { Lot } from "../stock/lot.type.js";
import { Movement } from "../stock/movement.type.js";

export const CallUpStatusEnum = enumObject(CALL_UP_STATUSES);
registerEnumType(CallUpStatusEnum, {
  name: "CallUpStatus",
  description: "OPEN until every line is delivered in full (DELIVERED), or CANCELLED for what will not come.",
});

@ObjectType({
  implements: Node,
  description:
    "An agreement call-up order (协议储备调用单): the county calls on a distributor to deliver to a depot within the agreement's lead hours.",
})
export class CallUp extends Node {
  countyId!: number;
  callUpId!: number;
  agreementId!: number;
  destinationDepotId!: number;

  @Field(() => String, { description: "The order's number, unique in the county, e.g. DY-2026-0007." })
  number!: string;

  @Field(() => String, { description: "Why the county called it up." })
  reason!: string;

  @Field(() => DateTimeResolver, { description: "When it was called up." })
  calledAt!: Date;

  @Field(() => DateTimeResolver, { description: "When the goods are due: calledAt plus the lead hours." })
  dueAt!: Date;

  @Field(() => CallUpStatusEnum, { description: "Open, delivered in full, or cancelled." })
  status!: CallUpStatus;

  @Field(() => DateTimeResolver, { nullable: true, description: "When the last line was delivered in full." })
  closedAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: "When it was cancelled." })
  cancelledAt!: Date | null;

  @Field(() => String, { nullable: true, description: "Why it was cancelled." })
  cancelReason!: string | null;

  static from(row: CallUpRow): CallUp {
    const { id, ...rest } = row;
    return Object.assign(new CallUp(), rest, {
      callUpId: id,
      id: toGlobalId("CallUp", { countyId: row.countyId, id }),
      status: callUpStatus(row),
    });
  }
}

@ObjectType({ description: "One item of a call-up: what was asked and what has arrived." })
export class CallUpLine {
  itemId!: number;

  @Field(() => DecimalScalar, { description: "The quantity called up, in the item's unit." })
  quantity!: string;

  @Field(() => DecimalScalar, { description: "Delivered so far." })
  delivered!: string;

  @Field(() => DecimalScalar, {
    description: "Still to come: quantity less delivered (nothing more comes once cancelled).",
  })
  outstanding!: string;

  static from(row: CallUpLineRow): CallUpLine {
    return Object.assign(new CallUpLine(), {
      itemId: row.itemId,
      quantity: decimal(row.quantity),
      delivered: decimal(row.deliveredQuantity),
      outstanding: decimal(
        outstandingOf({ itemId: row.itemId, quantity: row.quantity, delivered: row.deliveredQuantity }),
      ),
    });
  }
}

@ObjectType({ description: "A page of agreement call-ups." })
export class CallUpConnection extends Connection(CallUp, "CallUp") {}

@ObjectType({ description: "The result of a call-up or its cancellation." })
export class CallUpPayload {
  @Field(() => CallUp, { nullable: true, description: "The call-up as now stored; null when refused." })
  callUp!: CallUp | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}

@ObjectType({
  description: "A delivery against a call-up: its receipts, the lots made, the call-up after it.",
})
export class CallUpDeliveryPayload {
  @Field(() => CallUp, { nullable: true, description: "The call-up after the delivery; null when refused." })
  callUp!: CallUp | null;

  @Field(() => [Movement], { description: "The RECEIPT lines written; empty when refused." })
  movements!: Movement[];

  @Field(() => [Lot], { description: "The lots the goods arrived as." })
  lots!: Lot[];

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}
