import type { CalendarDate } from "../shared/calendar.js";
import type { LotCondition } from "../stock/lot.js";
import { isIssuable } from "../stock/availability.js";

/** Why a held lot may not travel on `asOf`, in words a keeper reads; null when it may. */
export function unusableReason(
  lot: { condition: LotCondition; expiresOn: string | null },
  asOf: CalendarDate,
): string | null {
  if (isIssuable(lot, asOf)) return null;
  if (lot.condition === "QUARANTINED") return "is quarantined (隔离)";
  if (lot.condition === "DAMAGED") return "is damaged (损坏)";
  return `expired on ${lot.expiresOn ?? "an earlier day"} (过期)`;
}
