import { type CalendarDate, daysBetween } from "../shared/calendar.js";

/** The windows a county reports expiring stock in. */
export const EXPIRY_BUCKETS = [
  "WITHIN_30_DAYS",
  "WITHIN_60_DAYS",
  "WITHIN_90_DAYS",
  "WITHIN_180_DAYS",
  "LATER",
] as const;
export type ExpiryBucket = (typeof EXPIRY_BUCKETS)[number];

const LIMITS: [number, ExpiryBucket][] = [
  [30, "WITHIN_30_DAYS"],
  [60, "WITHIN_60_DAYS"],
  [90, "WITHIN_90_DAYS"],
  [180, "WITHIN_180_DAYS"],
];

/** Which window a lot that is still usable on `asOf` falls in; a lot expiring today has 0 days left. */
export function expiryBucket(expiresOn: CalendarDate, asOf: CalendarDate): ExpiryBucket {
  return bucketOfDays(daysBetween(asOf, expiresOn));
}

/** The window of a lot with `days` left. */
export const bucketOfDays = (days: number): ExpiryBucket =>
  LIMITS.find(([limit]) => days <= limit)?.[1] ?? "LATER";
