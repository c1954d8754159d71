/**
 * Exact arithmetic on the service's Decimal strings ("12,000" is never sent: the API speaks "12000" or "12.5"),
 * to at most three decimals like every unit of the catalogue. Floating point would say 0.30000000000000004.
 */
const SCALE = 3;
const FACTOR = 10n ** BigInt(SCALE);

export function toMilli(text: string | null | undefined): bigint {
  const s = (text ?? "0").trim();
  const m = /^(-?)(\d*)(?:\.(\d{0,3})\d*)?$/.exec(s);
  if (!m || (m[2] === "" && !m[3])) return 0n;
  const whole = BigInt(m[2] || "0") * FACTOR + BigInt((m[3] ?? "").padEnd(SCALE, "0"));
  return m[1] === "-" ? -whole : whole;
}

export function fromMilli(v: bigint): string {
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const whole = abs / FACTOR;
  const frac = (abs % FACTOR).toString().padStart(SCALE, "0").replace(/0+$/, "");
  return `${neg ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

export const isQuantity = (text: string): boolean => /^\d+(\.\d{1,3})?$/.test(text.trim());

export const minus = (a: string, b: string): string => fromMilli(toMilli(a) - toMilli(b));
export const sum = (xs: (string | null | undefined)[]): string =>
  fromMilli(xs.reduce((s, x) => s + toMilli(x), 0n));
export const atLeast = (a: string, b: string): boolean => toMilli(a) >= toMilli(b);
export const smaller = (a: string, b: string): string => (toMilli(a) <= toMilli(b) ? a : b);
