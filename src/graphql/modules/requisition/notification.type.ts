import { DateTimeResolver } from "graphql-scalars";
import { Field, ObjectType, registerEnumType } from "type-graphql";
import { NOTICE_KINDS, type NoticeKind } from "../../../domain/requisition/notices.js";
import { enumObject } from "../../enums.js";
import { Requisition } from "./requisition.type.js";

export const RequisitionNotificationKindEnum = enumObject(NOTICE_KINDS);
registerEnumType(RequisitionNotificationKindEnum, {
  name: "RequisitionNotificationKind",
  description: "What just happened to a requisition.",
  valuesConfig: {
    SUBMITTED: { description: "Sent to the supplying office (or escalated to the county) for approval." },
    APPROVED: {
      description: "Approved in full or in part (the requisition's status says which); stock is held.",
    },
    REJECTED: { description: "Refused by the office whose turn it was to approve." },
    DISPATCHED: { description: "On the road: the stock left the lender's depots." },
    RECEIVED: { description: "Counted in at the destination depot." },
    DISCREPANCY: { description: "The count at the destination recorded rejected or missing stock." },
    LOAN_OVERDUE: { description: "Lent equipment of the requisition is past its due day and not yet back." },
  },
});

@ObjectType({
  description:
    "A live notification: something just happened to a requisition the subscriber may read (custody applies).",
})
export class RequisitionNotification {
  @Field(() => RequisitionNotificationKindEnum, { description: "What happened." })
  kind!: NoticeKind;

  @Field(() => DateTimeResolver, {
    description:
      "When it happened: the instant of the command, or of the check that noticed an overdue loan.",
  })
  at!: Date;

  @Field(() => Requisition, { description: "The requisition as the subscriber may read it now." })
  requisition!: Requisition;
}
