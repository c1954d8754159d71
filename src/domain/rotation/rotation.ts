import { type CalendarDate, daysBetween } from "../shared/calendar.js";

/** How rotated-out stock leaves (定期更换): donated before it expires, sold, or returned to the supplier. */
export const DISPOSAL_KINDS = ["DONATE", "SELL", "RETURN_TO_SUPPLIER"] as const;
export type DisposalKind = (typeof DISPOSAL_KINDS)[number];

export const daysToExpiry = (expiresOn: CalendarDate, asOf: CalendarDate): number =>
  daysBetween(asOf, expiresOn);
