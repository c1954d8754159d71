import { DateTimeResolver } from "graphql-scalars";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { EmergencyRow } from "../../../db/repositories/emergencies.js";
import type { PaperworkRow } from "../../../db/repositories/emergencyPaperwork.js";
import {
  EMERGENCY_LEVELS,
  type EmergencyLevel,
  PAPERWORK_STATUSES,
  type PaperworkStatus,
} from "../../../domain/emergency/emergency.js";
import { enumObject } from "../../enums.js";
import { UserError } from "../../errors.js";
import { toGlobalId } from "../../ids.js";
import { Connection } from "../../relay.js";
import { IDEMPOTENCY } from "../admin/places.inputs.js";
import { Node } from "../node/node.type.js";

export const EmergencyLevelEnum = enumObject(EMERGENCY_LEVELS);
registerEnumType(EmergencyLevelEnum, {
  name: "EmergencyLevel",
  description: "Response level (应急响应级别): LEVEL_I (Ⅰ级) the gravest, LEVEL_IV (Ⅳ级) the lightest.",
});

export const PaperworkStatusEnum = enumObject(PAPERWORK_STATUSES);
registerEnumType(PaperworkStatusEnum, {
  name: "PaperworkStatus",
  description:
    "OPEN until the owing office approves it after the fact (APPROVED) or contests it (CONTESTED).",
});

const at = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

@ObjectType({
  implements: Node,
  description:
    "A declared emergency (应急响应) over a region and every region under it: while active, its keepers and office may issue first and do the paperwork after (先处置后补手续).",
})
export class Emergency extends Node {
  countyId!: number;
  emergencyId!: number;
  regionId!: number;
  declaredById!: number;
  endedById!: number | null;

  @Field(() => Int, {
    description: "The county's running number (第N号), quoted on ledger lines and exports.",
  })
  number!: number;

  @Field(() => EmergencyLevelEnum, { description: "Response level." })
  level!: EmergencyLevel;

  @Field(() => String, { description: "Why it was declared: the flood, the incident." })
  reason!: string;

  @Field(() => DateTimeResolver, { description: "When it was declared." })
  declaredAt!: Date;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: "When it ends by itself unless ended earlier; null: until ended.",
  })
  until!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: "When it was ended; null while not ended." })
  endedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The note it was ended with." })
  endNote!: string | null;

  static from(row: EmergencyRow): Emergency {
    // stored idempotent responses come back as JSON, with instants as strings
    return Object.assign(new Emergency(), {
      id: toGlobalId("Emergency", { countyId: row.countyId, id: row.id }),
      countyId: row.countyId,
      emergencyId: row.id,
      regionId: row.regionId,
      declaredById: row.declaredBy,
      endedById: row.endedBy,
      number: row.number,
      level: row.level,
      reason: row.reason,
      declaredAt: new Date(row.declaredAt),
      until: at(row.until),
      endedAt: at(row.endedAt),
      endNote: row.endNote,
    });
  }
}

@ObjectType({ description: "A page of emergencies, in the order they were declared." })
export class EmergencyConnection extends Connection(Emergency, "Emergency") {}

@ObjectType({
  implements: Node,
  description:
    "Paperwork owed (补办手续) for what went out first under an emergency: one per emergency ledger line, owed by the office of the township holding the depot (the county for a county depot).",
})
export class EmergencyPaperwork extends Node {
  countyId!: number;
  paperworkId!: number;
  emergencyId!: number;
  owedByRegionId!: number;
  movementId!: number | null;
  requisitionId!: number | null;
  resolvedById!: number | null;

  @Field(() => PaperworkStatusEnum, { description: "Open, approved after the fact, or contested." })
  status!: PaperworkStatus;

  @Field(() => DateTimeResolver, { description: "When it was opened: when the stock went out." })
  openedAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: "When it was approved or contested." })
  resolvedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "The owing office's note on approving or contesting." })
  note!: string | null;

  static from(row: PaperworkRow): EmergencyPaperwork {
    return Object.assign(new EmergencyPaperwork(), {
      id: toGlobalId("EmergencyPaperwork", { countyId: row.countyId, id: row.id }),
      countyId: row.countyId,
      paperworkId: row.id,
      emergencyId: row.emergencyId,
      owedByRegionId: row.owedByRegionId,
      movementId: row.movementId,
      requisitionId: row.requisitionId,
      resolvedById: row.resolvedBy,
      status: row.status,
      openedAt: new Date(row.openedAt),
      resolvedAt: at(row.resolvedAt),
      note: row.note,
    });
  }
}

@ObjectType({ description: "A page of emergency paperwork, oldest first." })
export class EmergencyPaperworkConnection extends Connection(EmergencyPaperwork, "EmergencyPaperwork") {}

@InputType({ description: "Declaring an emergency (启动应急响应) over a region." })
export class DeclareEmergencyInput {
  @Field(() => ID, {
    description:
      "The region it covers with everything under it: a township office its own township, the county any region of the county.",
  })
  regionId!: string;

  @Field(() => EmergencyLevelEnum, { description: "Response level." })
  level!: EmergencyLevel;

  @Field(() => String, { description: "Why: the flood, the incident." })
  reason!: string;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: "When it ends by itself; omitted, it lasts until endEmergency.",
  })
  until?: Date | null;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "Ending an emergency (终止应急响应)." })
export class EndEmergencyInput {
  @Field(() => ID, { description: "The emergency." })
  emergencyId!: string;

  @Field(() => String, { description: "Why it ends now; required." })
  note!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@InputType({ description: "Approving or contesting one item of emergency paperwork." })
export class ResolvePaperworkInput {
  @Field(() => ID, { description: "The paperwork item (EmergencyPaperwork)." })
  itemId!: string;

  @Field(() => String, { description: "The office's note: who instructed it, what was done; required." })
  note!: string;

  @Field(() => String, { nullable: true, description: IDEMPOTENCY })
  idempotencyKey?: string | null;
}

@ObjectType({ description: "The result of declaring or ending an emergency." })
export class EmergencyPayload {
  @Field(() => Emergency, { nullable: true, description: "The emergency as now stored; null when refused." })
  emergency!: Emergency | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}

@ObjectType({ description: "The result of approving or contesting paperwork." })
export class PaperworkPayload {
  @Field(() => EmergencyPaperwork, {
    nullable: true,
    description: "The paperwork as now stored; null when refused.",
  })
  paperwork!: EmergencyPaperwork | null;

  @Field(() => [UserError], { description: "Why it was refused; empty on success." })
  userErrors!: UserError[];
}
