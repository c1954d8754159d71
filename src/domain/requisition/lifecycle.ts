import { DomainError } from "../shared/errors.js";
import type { RequisitionStatus } from "./requisition.js";

export const REQUISITION_ACTIONS = [
  "SUBMIT",
  "APPROVE",
  "APPROVE_PARTIALLY",
  "REJECT",
  "DISPATCH",
  "RECEIVE",
  "RECEIVE_WITH_LOANS",
  "RETURN_ALL",
  "CLOSE",
  "CANCEL",
  "ESCALATE",
  "RECALL",
] as const;
export type RequisitionAction = (typeof REQUISITION_ACTIONS)[number];

/**
 * The lifecycle of a requisition. Anything not in this table is INVALID_TRANSITION and changes nothing. Once
 * dispatched, a requisition cannot be cancelled: its stock is on the road and must be received or recalled.
 */
const TABLE: Partial<Record<RequisitionStatus, Partial<Record<RequisitionAction, RequisitionStatus>>>> = {
  DRAFT: { SUBMIT: "SUBMITTED", CANCEL: "CANCELLED" },
  SUBMITTED: {
    APPROVE: "APPROVED",
    APPROVE_PARTIALLY: "PARTIALLY_APPROVED",
    REJECT: "REJECTED",
    CANCEL: "CANCELLED",
    ESCALATE: "ESCALATED",
  },
  APPROVED: { DISPATCH: "IN_TRANSIT", CANCEL: "CANCELLED" },
  PARTIALLY_APPROVED: { DISPATCH: "IN_TRANSIT", CANCEL: "CANCELLED", ESCALATE: "PARTIALLY_APPROVED" },
  REJECTED: { ESCALATE: "ESCALATED" },
  // the sender may call the vehicle back (车辆返回) until the receiver has counted what arrived
  IN_TRANSIT: { RECEIVE: "CLOSED", RECEIVE_WITH_LOANS: "RECEIVED", RECALL: "RECALLED" },
  RECEIVED: { RETURN_ALL: "RETURNED" },
  RETURNED: { CLOSE: "CLOSED" },
};

/**
 * Requisitions still under way, where someone has work left: a decision, a dispatch, a count at arrival, a loan's
 * return, the closing. A draft is the requester's own; a rejection may still be escalated but asks no one.
 */
export const UNDER_WAY: readonly RequisitionStatus[] = [
  "SUBMITTED",
  "APPROVED",
  "PARTIALLY_APPROVED",
  "IN_TRANSIT",
  "RECEIVED",
  "RETURNED",
];

export function nextStatus(from: RequisitionStatus, action: RequisitionAction): RequisitionStatus {
  const to = TABLE[from]?.[action];
  if (!to) {
    throw new DomainError(
      "INVALID_TRANSITION",
      `a ${from.toLowerCase().replace(/_/g, " ")} requisition cannot be ${ACTION_WORDS[action]}`,
      ["requisitionId"],
    );
  }
  return to;
}

const ACTION_WORDS: Record<RequisitionAction, string> = {
  SUBMIT: "submitted",
  APPROVE: "approved",
  APPROVE_PARTIALLY: "approved",
  REJECT: "rejected",
  DISPATCH: "dispatched",
  RECEIVE: "received",
  RECEIVE_WITH_LOANS: "received",
  RETURN_ALL: "returned",
  CLOSE: "closed",
  CANCEL: "cancelled",
  ESCALATE: "escalated",
  RECALL: "recalled",
};
