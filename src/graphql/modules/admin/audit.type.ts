import { DateTimeResolver, JSONResolver } from "graphql-scalars";
import { Field, ID, ObjectType } from "type-graphql";
import type { AuditEventRow } from "../../../db/repositories/auditEvents.js";
import { Connection } from "../../relay.js";

@ObjectType({
  description:
    "One administrative change (管理日志): who changed which person, grant, place, keeper, item, agreement or norm, when, and from what to what. Never edited.",
})
export class AuditEvent {
  countyId!: number;
  eventId!: number;
  actorId!: number;

  @Field(() => ID, { description: "Opaque id of this log row." })
  id!: string;

  @Field(() => String, { description: "The mutation that made the change, e.g. `createDepot`." })
  action!: string;

  @Field(() => String, {
    description: "The kind of thing changed, as its GraphQL type name (`Depot`, `User`, …).",
  })
  targetType!: string;

  @Field(() => String, { description: "The changed thing's own number within its kind." })
  targetKey!: string;

  @Field(() => DateTimeResolver, { description: "When the change was made." })
  occurredAt!: Date;

  @Field(() => JSONResolver, {
    nullable: true,
    description: "The row before the change; null when it was created.",
  })
  before!: unknown;

  @Field(() => JSONResolver, {
    nullable: true,
    description: "The row after the change; null when it was removed.",
  })
  after!: unknown;

  static from(row: AuditEventRow): AuditEvent {
    return Object.assign(new AuditEvent(), {
      countyId: row.countyId,
      eventId: row.id,
      actorId: row.actorId,
      id: Buffer.from(`AuditEvent:${row.countyId}:${row.id}`).toString("base64url"),
      action: row.action,
      targetType: row.targetType,
      targetKey: String(row.targetId),
      occurredAt: row.occurredAt,
      before: row.before,
      after: row.after,
    });
  }
}

export const AuditEventConnection = Connection(AuditEvent, "AuditEvent");
