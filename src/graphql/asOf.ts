import { type CalendarDate, parseCalendarDate } from "../domain/shared/calendar.js";
import type { Context } from "./context.js";
import { badInput } from "./errors.js";

export const AS_OF_DESCRIPTION = "The day to judge on, YYYY-MM-DD; default today in Asia/Shanghai.";

/** The day an `asOf` argument names, or the request's today; a malformed day is the client's mistake. */
export function asOfArg(ctx: Context, text: string | null | undefined): CalendarDate {
  if (text == null) return ctx.today;
  const day = parseCalendarDate(text);
  if (!day) throw badInput("asOf must be a date YYYY-MM-DD", "asOf");
  return day;
}
