import { addDays, type CalendarDate, daysBetween } from "../shared/calendar.js";

/** How rotated-out stock leaves (定期更换): donated before it expires, sold, or returned to the supplier. */
export const DISPOSAL_KINDS = ["DONATE", "SELL", "RETURN_TO_SUPPLIER"] as const;
export type DisposalKind = (typeof DISPOSAL_KINDS)[number];

/** A lot is due for rotation from `rotationLeadDays` before its expiry until it expires. */
export function rotationWindowOpens(expiresOn: CalendarDate, rotationLeadDays: number): CalendarDate {
  return addDays(expiresOn, -rotationLeadDays);
}

export function inRotationWindow(
  lot: { expiresOn: CalendarDate | null },
  item: { rotationLeadDays: number | null },
  asOf: CalendarDate,
): boolean {
  if (lot.expiresOn === null || item.rotationLeadDays === null) return false;
  return asOf <= lot.expiresOn && asOf >= rotationWindowOpens(lot.expiresOn, item.rotationLeadDays);
}

export const daysToExpiry = (expiresOn: CalendarDate, asOf: CalendarDate): number =>
  daysBetween(asOf, expiresOn);
