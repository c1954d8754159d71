import { DateTimeResolver } from "graphql-scalars";
import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import type { RotationRow } from "../../../db/repositories/rotations.js";
import { EXPIRY_BUCKETS, type ExpiryBucket } from "../../../domain/readiness/expiry.js";
import { DISPOSAL_KINDS, type DisposalKind } from "../../../domain/rotation/rotation.js";
import { enumObject } from "../../enums.js";
import { toGlobalId } from "../../ids.js";
import { Connection } from "../../relay.js";
import { decimal, DecimalScalar } from "../../scalars.js";
import { Node } from "../node/node.type.js";
import { Lot } from "../stock/lot.type.js";

export const ExpiryBucketEnum = enumObject(EXPIRY_BUCKETS);
registerEnumType(ExpiryBucketEnum, { name: "ExpiryBucket", description: "The window a lot expires in." });

export const DisposalKindEnum = enumObject(DISPOSAL_KINDS);
registerEnumType(DisposalKindEnum, {
  name: "DisposalKind",
  description: "How rotated-out stock leaves: donated before it expires, sold, or returned to the supplier.",
});

export const RotationActionKindEnum = enumObject(["TRANSFER", "USE_IN_DRILL", "ROTATE_OUT"] as const);
registerEnumType(RotationActionKindEnum, {
  name: "RotationActionKind",
  description:
    "Send to a depot that is short of the item, use it in a drill, or rotate it out and order a replacement.",
});

export const RotationStatusEnum = enumObject(["OPEN", "CLOSED"] as const);
registerEnumType(RotationStatusEnum, {
  name: "RotationStatus",
  description: "Open until a receipt names it as replaced.",
});

@ObjectType({ description: "A lot that expires inside the asked window." })
export class ExpiringLot {
  @Field(() => Lot, { description: "The lot." })
  lot!: Lot;

  @Field(() => Int, {
    description: "Days from the asked day to the expiry date; 0 when it expires that day.",
  })
  daysToExpiry!: number;

  @Field(() => ExpiryBucketEnum, { description: "30, 60, 90 or 180-day window." })
  bucket!: ExpiryBucket;
}

@ObjectType({ description: "A page of expiring lots, earliest expiry first." })
export class ExpiringLotConnection extends Connection(ExpiringLot, "ExpiringLot") {}

@ObjectType({ description: "One step proposed for a lot nearing expiry." })
export class RotationAction {
  countyId!: number;
  toDepotId!: number | null;
  toRegionId!: number | null;

  @Field(() => RotationActionKindEnum, { description: "What to do." })
  kind!: "TRANSFER" | "USE_IN_DRILL" | "ROTATE_OUT";

  @Field(() => DecimalScalar, { description: "How much of the lot this step takes." })
  quantity!: string;

  @Field(() => Int, {
    nullable: true,
    description: "TRANSFER: travel minutes to the receiving depot, if known.",
  })
  travelMinutes!: number | null;

  @Field(() => DisposalKindEnum, { nullable: true, description: "ROTATE_OUT: how it should leave." })
  disposal!: DisposalKind | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: "ROTATE_OUT: how much to order as replacement.",
  })
  replacementQuantity!: string | null;
}

@ObjectType({ description: "What to do with one lot in its rotation window." })
export class RotationProposal {
  @Field(() => Lot, { description: "The lot." })
  lot!: Lot;

  @Field(() => Int, { description: "Days left before it expires." })
  daysToExpiry!: number;

  @Field(() => [RotationAction], {
    description: "The steps, which together take the lot's unallocated stock.",
  })
  actions!: RotationAction[];
}

@ObjectType({ description: "A page of the rotation plan, earliest expiry first." })
export class RotationProposalConnection extends Connection(RotationProposal, "RotationProposal") {}

@ObjectType({
  implements: Node,
  description: "Stock rotated out before expiry, open until its replacement arrives.",
})
export class Rotation extends Node {
  countyId!: number;
  lotId!: number;
  depotId!: number;
  itemId!: number;
  movementId!: number;
  replacementLotId!: number | null;

  @Field(() => DecimalScalar, { description: "How much was rotated out." })
  quantity!: string;

  @Field(() => DisposalKindEnum, { description: "How it left." })
  disposal!: DisposalKind;

  @Field(() => String, { description: "Why." })
  reason!: string;

  @Field(() => RotationStatusEnum, { description: "Open until replaced." })
  status!: "OPEN" | "CLOSED";

  @Field(() => Boolean, { description: "False when the reserve was reduced on purpose." })
  replacementRequired!: boolean;

  @Field(() => DateTimeResolver, { description: "When it was rotated out." })
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: "When the replacement was received." })
  closedAt!: Date | null;

  static from(row: RotationRow): Rotation {
    const { id, ...rest } = row;
    return Object.assign(new Rotation(), rest, {
      id: toGlobalId("Rotation", { countyId: row.countyId, id }),
      quantity: decimal(row.quantity),
      createdAt: new Date(row.createdAt),
      closedAt: row.closedAt ? new Date(row.closedAt) : null,
    });
  }
}

@ObjectType({ description: "A page of rotations." })
export class RotationConnection extends Connection(Rotation, "Rotation") {}

@ObjectType({ description: "A quantity of one item, with the number of lots it is in." })
export class ItemQuantity {
  itemId!: number;

  @Field(() => DecimalScalar, { description: "The quantity, in the item's unit." })
  quantity!: string;

  @Field(() => Int, { description: "How many lots hold it." })
  lots!: number;
}

@ObjectType({ description: "How ready one region's reserve is on a day, over its whole subtree." })
export class RegionReadiness {
  countyId!: number;
  regionId!: number;

  @Field(() => [ItemQuantity], {
    description: "Expired stock (as Depot.stock counts it), per item: waste to write off.",
  })
  expired!: ItemQuantity[];

  @Field(() => [ItemQuantity], {
    description: "Usable stock expiring within 30 days, per item.",
  })
  expiringWithin30Days!: ItemQuantity[];

  @Field(() => Int, { description: "Serialised units (generators, pumps, vehicles) on hand." })
  serialisedUnits!: number;

  @Field(() => Int, { description: "Of those, units whose test run is overdue: not ready." })
  unitsTestOverdue!: number;

  @Field(() => Int, { description: "Rotations out still waiting for their replacement." })
  openRotations!: number;

  @Field(() => Int, { description: "Open loans of equipment, lent or borrowed." })
  openLoans!: number;

  @Field(() => Int, { description: "Of those, loans past their due date." })
  overdueLoans!: number;

  @Field(() => Int, {
    description: "Agreement call-ups (协议储备调用) still waiting for goods at the region's depots.",
  })
  openCallUps!: number;

  @Field(() => Int, {
    description:
      "Of those, call-ups past their due time (now on today, the end of any other day asked): the distributor is late.",
  })
  lateCallUps!: number;

  @Field(() => Int, { description: "Depots in the region." })
  depots!: number;

  @Field(() => Int, { description: "Depots without a submitted stock-take in the stale window: stale data." })
  staleDepots!: number;

  @Field(() => Int, {
    description:
      "Emergency paperwork (补办手续) still open that this region's offices owe, in the region or below it.",
  })
  openPaperwork!: number;

  @Field(() => Int, {
    description:
      "Of those, paperwork open longer than EMERGENCY_PAPERWORK_DAYS after it was opened: overdue.",
  })
  overduePaperwork!: number;

  @Field(() => Float, {
    description: "Share of depots counted in time, 0 to 1 (the reporting rate a resource census measures).",
  })
  countedInTimeShare!: number;

  agreementsEnding!: { countyId: number; id: number }[];
}

@ObjectType({ description: "A page of regions' readiness." })
export class RegionReadinessConnection extends Connection(RegionReadiness, "RegionReadiness") {}
