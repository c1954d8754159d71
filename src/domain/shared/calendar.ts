/**
 * Calendar dates. Expiry and test-run dates are days, not instants, and the county lives in Asia/Shanghai:
 * a lot that expires today is usable until midnight there, whatever timezone the server process runs in.
 */
export type CalendarDate = string & { readonly __calendarDate: unique symbol };

export const SERVICE_TIME_ZONE = "Asia/Shanghai";

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseCalendarDate(text: string): CalendarDate | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text ? (text as CalendarDate) : null;
}

/** The calendar date of an instant in the service's time zone. */
// building a formatter costs far more than using one, and every request asks for "today"
const formatters = new Map<string, Intl.DateTimeFormat>();

export function dateInZone(instant: Date, timeZone: string = SERVICE_TIME_ZONE): CalendarDate {
  let format = formatters.get(timeZone);
  if (!format) {
    // en-CA formats as YYYY-MM-DD
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formatters.set(timeZone, format);
  }
  return format.format(instant) as CalendarDate;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10) as CalendarDate;
}

export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
