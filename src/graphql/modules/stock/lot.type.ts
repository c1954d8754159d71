import { Field, ObjectType, registerEnumType } from "type-graphql";
import type { LotRow } from "../../../db/repositories/lots.js";
import { LOT_CONDITIONS, type LotCondition } from "../../../domain/stock/lot.js";
import { enumObject } from "../../enums.js";
import { toGlobalId } from "../../ids.js";
import { Connection } from "../../relay.js";
import { decimal, DecimalScalar } from "../../scalars.js";
import { Node } from "../node/node.type.js";

export const LotConditionEnum = enumObject(LOT_CONDITIONS);
registerEnumType(LotConditionEnum, {
  name: "LotCondition",
  description:
    "Serviceable, quarantined, damaged or expired; only serviceable, unexpired stock is ever issued.",
});

@ObjectType({
  implements: Node,
  description: "A quantity of one item at one depot (批次), or one serialised unit.",
})
export class Lot extends Node {
  countyId!: number;
  lotId!: number;
  depotId!: number;
  itemId!: number;

  @Field(() => String, { description: "Lot code as printed or assigned." })
  lotCode!: string;

  @Field(() => String, { description: "Day received, YYYY-MM-DD." })
  receivedOn!: string;

  @Field(() => String, {
    nullable: true,
    description: "Last day the lot is usable, YYYY-MM-DD; null if it does not expire.",
  })
  expiresOn!: string | null;

  @Field(() => LotConditionEnum, { description: "Recorded condition." })
  condition!: LotCondition;

  @Field(() => String, { nullable: true, description: "Serial number of a serialised unit." })
  serialNumber!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Day of the last test run or maintenance, YYYY-MM-DD.",
  })
  lastTestRunOn!: string | null;

  @Field(() => DecimalScalar, {
    description: "Quantity on hand, equal to the sum of the lot's ledger lines.",
  })
  onHand!: string;

  @Field(() => DecimalScalar, { description: "Part of on-hand held for approved requisitions." })
  allocated!: string;

  static from(row: LotRow): Lot {
    const { id, ...rest } = row;
    return Object.assign(new Lot(), rest, {
      lotId: id,
      id: toGlobalId("Lot", { countyId: row.countyId, id }),
      onHand: decimal(row.onHand),
      allocated: decimal(row.allocated),
    });
  }
}

@ObjectType({ description: "A page of lots." })
export class LotConnection extends Connection(Lot, "Lot") {}
