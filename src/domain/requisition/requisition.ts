export const PRIORITIES = ["ROUTINE", "URGENT", "EMERGENCY"] as const;
export type Priority = (typeof PRIORITIES)[number];

export const REQUISITION_STATUSES = [
  "DRAFT",
  "SUBMITTED",
  "APPROVED",
  "PARTIALLY_APPROVED",
  "REJECTED",
  "IN_TRANSIT",
  "RECEIVED",
  "RETURNED",
  "CLOSED",
  "CANCELLED",
  "ESCALATED",
  "RECALLED",
] as const;
export type RequisitionStatus = (typeof REQUISITION_STATUSES)[number];
