import { lang } from "../../i18n";

/** An instant as a person in the county reads it: Beijing time, to the minute. */
export function beijingTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(lang.value === "zh" ? "zh-CN" : "en-GB", {
    timeZone: "Asia/Shanghai",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(new Date(iso));
}

/** A place or thing named in the person's language. */
export const named = (x: { nameZh: string; nameEn: string } | null | undefined): string =>
  x ? (lang.value === "zh" ? x.nameZh : x.nameEn) : "—";
