/**
 * What a readiness check finds wrong, one row per lot, unit, loan, depot or paperwork item (战备状况 export): stock
 * past its expiry, stock expiring soon, a serialised unit overdue for its test run, a loan past its due date, a depot
 * not counted in time, paperwork an emergency issue left open past EMERGENCY_PAPERWORK_DAYS.
 */
export const READINESS_FINDINGS = [
  "EXPIRED",
  "EXPIRING",
  "TEST_OVERDUE",
  "LOAN_OVERDUE",
  "STALE_COUNT",
  "PAPERWORK_OVERDUE",
] as const;
export type ReadinessFinding = (typeof READINESS_FINDINGS)[number];
