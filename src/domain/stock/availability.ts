import type { CalendarDate } from "../shared/calendar.js";
import type { LotCondition } from "./lot.js";

/**
 * Usable stock: serviceable, unexpired on the given day, and not allocated. A lot that expires today is usable
 * today and not tomorrow. The stock repository's aggregate SQL states the same rule; tests hold them together.
 */
export function isIssuable(
  lot: { condition: LotCondition; expiresOn: string | null },
  asOf: CalendarDate,
): boolean {
  return lot.condition === "SERVICEABLE" && (lot.expiresOn === null || lot.expiresOn >= asOf);
}
