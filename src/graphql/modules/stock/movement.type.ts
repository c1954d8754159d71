import { DateTimeResolver } from "graphql-scalars";
import { Field, ObjectType, registerEnumType } from "type-graphql";
import type { MovementRow } from "../../../db/repositories/movements.js";
import {
  ISSUE_PURPOSES,
  type IssuePurpose,
  MOVEMENT_KINDS,
  type MovementKind,
  RECEIPT_SOURCES,
  type ReceiptSource,
  WRITE_OFF_CAUSES,
  type WriteOffCause,
} from "../../../domain/stock/movement.js";
import { enumObject } from "../../enums.js";
import { toGlobalId } from "../../ids.js";
import { Connection } from "../../relay.js";
import { decimal, DecimalScalar } from "../../scalars.js";
import { Node } from "../node/node.type.js";

export const MovementKindEnum = enumObject(MOVEMENT_KINDS);
registerEnumType(MovementKindEnum, {
  name: "MovementKind",
  description:
    "Kind of ledger line; each fixes the sign of its quantity. REVERSAL undoes one earlier line; ADJUSTMENT comes from a stock-take.",
});

export const ReceiptSourceEnum = enumObject(RECEIPT_SOURCES);
registerEnumType(ReceiptSourceEnum, {
  name: "ReceiptSource",
  description:
    "Where received stock came from: purchase, donation, transfer, agreement call-up or opening balance.",
});

export const IssuePurposeEnum = enumObject(ISSUE_PURPOSES);
registerEnumType(IssuePurposeEnum, {
  name: "IssuePurpose",
  description: "What issued stock is for: flood fighting, a drill, distribution to residents, or other.",
});

export const WriteOffCauseEnum = enumObject(WRITE_OFF_CAUSES);
registerEnumType(WriteOffCauseEnum, { name: "WriteOffCause", description: "Why stock is written off." });

@ObjectType({
  implements: Node,
  description:
    "One append-only ledger line (出入库流水). Never updated or deleted; corrected by a REVERSAL line.",
})
export class Movement extends Node {
  countyId!: number;
  movementId!: number;
  depotId!: number;
  lotId!: number;
  itemId!: number;
  actorId!: number;
  reversesId!: number | null;
  emergencyId!: number | null;

  @Field(() => MovementKindEnum, { description: "What happened." })
  kind!: MovementKind;

  @Field(() => DecimalScalar, { description: "Signed change of the lot's on-hand quantity." })
  quantity!: string;

  @Field(() => DateTimeResolver, { description: "When it happened (may be backdated)." })
  occurredAt!: Date;

  @Field(() => DateTimeResolver, { description: "When it was recorded." })
  recordedAt!: Date;

  @Field(() => String, { description: "Why, in the actor's words." })
  reason!: string;

  @Field(() => String, { description: "Outside document: delivery note, incident number, reversed line." })
  reference!: string;

  @Field(() => ReceiptSourceEnum, {
    nullable: true,
    description: "RECEIPT lines: where the stock came from.",
  })
  source!: ReceiptSource | null;

  @Field(() => String, { nullable: true, description: "ISSUE lines: who received the stock." })
  recipient!: string | null;

  @Field(() => IssuePurposeEnum, { nullable: true, description: "ISSUE lines: what the stock is for." })
  purpose!: IssuePurpose | null;

  @Field(() => WriteOffCauseEnum, {
    nullable: true,
    description: "WRITE_OFF lines: damaged, expired or lost.",
  })
  writeOffCause!: WriteOffCause | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The release order (动用指令) the line went out on: required on every line out of agent storage (AGENT_STORAGE).",
  })
  releaseOrderNo!: string | null;

  static from(row: MovementRow): Movement {
    const { id, ...rest } = row;
    // stored idempotent responses come back as JSON, with instants as strings
    return Object.assign(new Movement(), rest, {
      movementId: id,
      id: toGlobalId("Movement", { countyId: row.countyId, id }),
      quantity: decimal(row.quantity),
      occurredAt: new Date(row.occurredAt),
      recordedAt: new Date(row.recordedAt),
    });
  }
}

@ObjectType({ description: "A page of ledger lines." })
export class MovementConnection extends Connection(Movement, "Movement") {}
