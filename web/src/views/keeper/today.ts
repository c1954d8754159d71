/** Today in Beijing time (YYYY-MM-DD): the service judges days in Asia/Shanghai wherever the browser is. */
export const beijingToday = (at = new Date()): string =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format(at);

/** Whole days from today to a date (negative once it is past). */
export const daysUntil = (day: string, from = beijingToday()): number =>
  Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
