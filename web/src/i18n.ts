import { ref } from "vue";
import { DOMAIN_ERROR_LABELS, type Label, type Labels, type Lang } from "../../src/domain/shared/labels";

export type { Lang };

const STORE_KEY = "reserve-ledger.lang";
const stored = typeof localStorage === "undefined" ? null : localStorage.getItem(STORE_KEY);

/** Chinese unless the person chose English; remembered on this browser. */
export const lang = ref<Lang>(stored === "en" ? "en" : "zh");

export function setLang(next: Lang): void {
  lang.value = next;
  localStorage.setItem(STORE_KEY, next);
  document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
}

/** The words of one code of a closed list (the service's own labels, src/domain/shared/labels.ts). */
export const labelOf = <C extends string>(labels: Labels<C>, code: C): string => labels[code][lang.value];

/** The console's own words: each entry in both languages, so no screen is left half translated. */
export const t = (words: Label): string => words[lang.value];

/** A refusal as a person reads it: the code's words, and the server's particulars when they say more. */
export function refusal(e: { code: string; message: string }): string {
  const known = (DOMAIN_ERROR_LABELS as Record<string, Label | undefined>)[e.code];
  if (!known) return e.message;
  return lang.value === "en" ? `${known.en}: ${e.message}` : known.zh;
}
