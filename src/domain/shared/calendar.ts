/**
 * Calendar dates. Expiry and test-run dates are days, not instants, and the county lives in Asia/Shanghai:
 * a lot that expires today is usable until midnight there, whatever timezone the server process runs in.
 */
export type CalendarDate = string & { readonly __calendarDate: unique symbol };

/** The county's zone: the one place it is spelled (SQL takes it through `serviceDay` in the db layer). */
export const SERVICE_TIME_ZONE = "Asia/Shanghai";
/** Asia/Shanghai keeps one offset all year (no daylight saving since 1991), so a day's edges are fixed instants. */
const SERVICE_UTC_OFFSET = "+08:00";

/** The instant a wall-clock time (HH:MM[:SS[.mmm]]) names on a day in the service's zone. */
export const instantOn = (date: CalendarDate, time = "00:00:00"): Date =>
  new Date(`${date}T${time}${SERVICE_UTC_OFFSET}`);

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The days and instants the service accepts from outside. Nothing it keeps predates 1900 or lies past 2200, and
 * outside this range dates stop being ordinary: years before 100 are read back a century late by JavaScript's
 * two-digit-year rule, year 10000 has no ISO form PostgreSQL reads.
 */
export const INSTANT_RANGE = { from: "1900-01-01", to: "2200-12-31" } as const;

/** A well-formed day of the calendar within INSTANT_RANGE, or null. */
export function parseCalendarDate(text: string): CalendarDate | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== text) return null;
  return text >= INSTANT_RANGE.from && text <= INSTANT_RANGE.to ? (text as CalendarDate) : null;
}

/** Whether an instant falls on a day of INSTANT_RANGE in the service's zone. */
export function instantInRange(instant: Date): boolean {
  const t = instant.getTime();
  const from = instantOn(INSTANT_RANGE.from as CalendarDate).getTime();
  const to = instantOn(addDays(INSTANT_RANGE.to as CalendarDate, 1)).getTime();
  return Number.isFinite(t) && t >= from && t < to;
}

// building a formatter costs far more than using one, and every request asks for "today"; en-CA is YYYY-MM-DD
const serviceDayFormat = new Intl.DateTimeFormat("en-CA", {
  timeZone: SERVICE_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

// a day begins on a whole second (time-zone offsets are whole seconds; not whole minutes: Shanghai's local mean
// time until 1901, inside INSTANT_RANGE, was +8:05:43), so the last second's answer holds for the whole second:
// formatting was 3% of a stock command's CPU, asked for several times per request
let lastSecond = Number.NaN;
let lastDay = "" as CalendarDate;

/** The calendar date of an instant in the service's time zone. */
export function dateInZone(instant: Date): CalendarDate {
  const second = Math.floor(instant.getTime() / 1000);
  if (second !== lastSecond) {
    lastDay = serviceDayFormat.format(instant) as CalendarDate;
    lastSecond = second;
  }
  return lastDay;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10) as CalendarDate;
}

export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
