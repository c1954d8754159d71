import { DomainError } from "./errors.js";

/**
 * Exact decimal quantities. Stock is counted in units whose precision differs (pieces are whole, cement is
 * tonnes to three decimals), so quantities are held as integer thousandths in a bigint and never as floats.
 */
export type Quantity = bigint & { readonly __quantity: unique symbol };

/** Every unit's precision is at most this many decimals; the database column is numeric(18, 3). */
export const MAX_SCALE = 3;
const FACTOR = 10n ** BigInt(MAX_SCALE);
/** Anything above a billion of a unit is a typing mistake, not a reserve. */
const MAX_MAGNITUDE = 1_000_000_000n * FACTOR;

const PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;

export const ZERO = 0n as Quantity;

export function quantityFromThousandths(n: bigint): Quantity {
  return n as Quantity;
}

/**
 * Reads a decimal string as exact quantity with at most `scale` decimals.
 * `field` names the input for the refusal, so clients can point at it.
 */
export function parseQuantity(
  text: string,
  scale: number,
  field: readonly string[] = ["quantity"],
  opts: { allowZero?: boolean; allowNegative?: boolean } = {},
): Quantity {
  const match = PATTERN.exec(text.trim());
  if (!match) throw new DomainError("INVALID_QUANTITY", `"${text}" is not a decimal number`, field);
  const [, sign, whole = "0", frac = ""] = match;
  const significant = frac.replace(/0+$/, "");
  if (significant.length > scale) {
    throw new DomainError(
      "INVALID_QUANTITY",
      scale === 0 ? "this unit is counted in whole numbers" : `this unit allows at most ${scale} decimals`,
      field,
    );
  }
  const value = BigInt(whole) * FACTOR + BigInt(significant.padEnd(MAX_SCALE, "0") || "0");
  if (value > MAX_MAGNITUDE)
    throw new DomainError("INVALID_QUANTITY", "quantity is implausibly large", field);
  const signed = sign === "-" ? -value : value;
  if (signed === 0n && !opts.allowZero)
    throw new DomainError("INVALID_QUANTITY", "quantity must not be zero", field);
  if (signed < 0n && !opts.allowNegative)
    throw new DomainError("INVALID_QUANTITY", "quantity must be positive", field);
  return signed as Quantity;
}

const DB_NUMERIC = /^(-?)(\d+)(?:\.(\d{1,3}))?$/;

/**
 * Reads a numeric value as the database returns it (a decimal string, at most three decimals for numeric(18, 3)
 * and what is summed or subtracted from it); trusted, so no scale or size check. Every row of every balance passes
 * here: the common form is read without parseQuantity's checks, anything else through them.
 */
export function fromDb(text: string): Quantity {
  const match = DB_NUMERIC.exec(text);
  if (!match) return parseQuantity(text, MAX_SCALE, ["db"], { allowZero: true, allowNegative: true });
  const [, sign, whole, frac = ""] = match;
  const value = BigInt(whole!) * FACTOR + BigInt(frac.padEnd(MAX_SCALE, "0"));
  return (sign === "-" ? -value : value) as Quantity;
}

/** The canonical decimal text: no trailing zeros, no exponent ("12.5", "200", "-0.125"). */
export function formatQuantity(q: Quantity): string {
  const negative = q < 0n;
  const abs = negative ? -q : q;
  const whole = abs / FACTOR;
  const frac = (abs % FACTOR).toString().padStart(MAX_SCALE, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
}

export const add = (a: Quantity, b: Quantity): Quantity => (a + b) as Quantity;
export const sub = (a: Quantity, b: Quantity): Quantity => (a - b) as Quantity;
export const neg = (a: Quantity): Quantity => -a as Quantity;
export const min = (a: Quantity, b: Quantity): Quantity => (a < b ? a : b);
export const sum = (qs: Iterable<Quantity>): Quantity => {
  let total = 0n;
  for (const q of qs) total += q;
  return total as Quantity;
};

/**
 * A JSON.stringify replacer for rows: a quantity is written as numeric(18, 3) prints it ("12.500"), so the audit
 * log and stored idempotent answers hold the same text they held when rows carried the database's strings.
 */
export function quantitiesAsText(_key: string, value: unknown): unknown {
  if (typeof value !== "bigint") return value;
  const q = value as Quantity;
  const abs = q < 0n ? -q : q;
  const frac = (abs % FACTOR).toString().padStart(MAX_SCALE, "0");
  return `${q < 0n ? "-" : ""}${abs / FACTOR}.${frac}`;
}
