import { DateTimeResolver } from "graphql-scalars";
import { Field, Float, Int, ObjectType } from "type-graphql";
import type { DepotRow } from "../../../db/repositories/depots.js";
import type { StockLevelRow } from "../../../db/repositories/stockLevels.js";
import type { DepotKind } from "../../../domain/region/region.js";
import { DepotKindEnum } from "../../enums.js";
import { toGlobalId } from "../../ids.js";
import { Connection } from "../../relay.js";
import { DecimalScalar } from "../../scalars.js";
import { formatQuantity } from "../../../domain/shared/quantity.js";
import { Node } from "../node/node.type.js";

@ObjectType({
  implements: Node,
  description: "A storage place (储备点) with a fixed location and named keepers.",
})
export class Depot extends Node {
  countyId!: number;
  depotId!: number;
  regionId!: number;

  @Field(() => String, { description: "Stable code, e.g. `CW-01`." })
  code!: string;

  @Field(() => DepotKindEnum, { description: "What kind of storage place this is." })
  kind!: DepotKind;

  @Field(() => String, { description: "Chinese name." })
  nameZh!: string;

  @Field(() => String, { description: "English name." })
  nameEn!: string;

  @Field(() => String, { description: "Where it is." })
  address!: string;

  @Field(() => String, {
    description:
      "Who physically holds the stock: the owning office, or the agent or distributor for 代储点 and 协议储备.",
  })
  custodianOrg!: string;

  @Field(() => Float, { nullable: true, description: "Latitude (WGS-84) for a map; null when not given." })
  latitude!: number | null;

  @Field(() => Float, { nullable: true, description: "Longitude (WGS-84) for a map; null when not given." })
  longitude!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Agreement reserves: hours from a call-up until the distributor delivers.",
  })
  callUpLeadHours!: number | null;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: "When the depot closed; a closed depot keeps its ledger and takes no new movement.",
  })
  closedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "Why the depot closed." })
  closedReason!: string | null;

  static from(row: DepotRow): Depot {
    const { id, ...rest } = row;
    return Object.assign(new Depot(), rest, {
      depotId: id,
      id: toGlobalId("Depot", { countyId: row.countyId, id }),
    });
  }
}

@ObjectType({
  description:
    "A depot's named quantities of one item on a day: onHand = usable + allocated + quarantined + damaged + expired. Usable is derived, never stored.",
})
export class StockLevel {
  itemId!: number;

  @Field(() => DecimalScalar, { description: "Everything physically in the depot, whatever its condition." })
  onHand!: string;

  @Field(() => DecimalScalar, {
    description:
      "Held for approved requisitions: on hand but not usable by anyone else, whatever became of the lot since.",
  })
  allocated!: string;

  @Field(() => DecimalScalar, {
    description: "Dispatched to this depot and not yet received (not on hand yet).",
  })
  inTransit!: string;

  @Field(() => DecimalScalar, {
    description: "Unallocated stock of quarantined lots not yet past their expiry date.",
  })
  quarantined!: string;

  @Field(() => DecimalScalar, { description: "Unallocated stock of damaged lots, awaiting write-off." })
  damaged!: string;

  @Field(() => DecimalScalar, {
    description:
      "Unallocated stock of lots marked expired or past their expiry date today (Asia/Shanghai), unless damaged.",
  })
  expired!: string;

  @Field(() => DecimalScalar, {
    description: "Serviceable, unexpired and unallocated: what can be issued today.",
  })
  usable!: string;

  @Field(() => DecimalScalar, {
    description: "Safety stock only a county-approved emergency requisition may touch.",
  })
  reserveFloor!: string;

  static from(row: StockLevelRow): StockLevel {
    return Object.assign(new StockLevel(), {
      itemId: row.itemId,
      onHand: formatQuantity(row.onHand),
      allocated: formatQuantity(row.allocated),
      inTransit: formatQuantity(row.inTransit),
      quarantined: formatQuantity(row.quarantined),
      damaged: formatQuantity(row.damaged),
      expired: formatQuantity(row.expired),
      usable: formatQuantity(row.usable),
      reserveFloor: formatQuantity(row.reserveFloor),
    });
  }
}

@ObjectType({ description: "A page of depots." })
export class DepotConnection extends Connection(Depot, "Depot") {}
