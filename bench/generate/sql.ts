import type { Plan } from "./config.js";
import type { Progress } from "./progress.js";

/** One session for the whole run: temporary tables live there, and the load is one transaction. */
export interface Ctx {
  plan: Plan;
  progress: Progress;
  /** Runs a statement built by this generator and answers the rows it returned or touched. */
  run(text: string): Promise<number>;
  query<T extends object>(text: string): Promise<T[]>;
}

/**
 * A deterministic pseudo-random integer in [0, n) from a key and a salt. hashint8extended is the hash that hash
 * partitioning relies on, so it gives the same answer on every platform; random() would not, even with a seed,
 * once statements run in another order or plan.
 */
export const rnd = (key: string, salt: number, n: number | string): string =>
  `((hashint8extended((${key})::bigint, ${salt}) & 9223372036854775807) % (${n}))`;

/** The same, as a fraction in [0, 1). */
export const unit = (key: string, salt: number): string => `(${rnd(key, salt, 1_000_000)}::float8 / 1000000)`;

/** A quoted SQL string literal; every text this generator writes is its own, but quotes still get doubled. */
export const lit = (s: string): string => `'${s.replaceAll("'", "''")}'`;

export const textArray = (items: readonly string[]): string => `array[${items.map(lit).join(", ")}]::text[]`;

/** Picks `array[1 + key % length]`: SQL arrays are 1-based. */
export const pick = (items: readonly string[], key: string, salt: number): string =>
  `(${textArray(items)})[1 + ${rnd(key, salt, items.length)}]`;

/** The anchor day and instants on it, in the service's zone, so "today" in reports is the anchor. */
export const day = (plan: Plan): string => `date '${plan.anchor}'`;
export const at = (dateExpr: string, time: string): string =>
  `((${dateExpr})::date + time '${time}') at time zone 'Asia/Shanghai'`;

/** Global ids are allocated arithmetically so that every statement can compute any row's id on its own. */
export const ids = {
  township: (c: string, t: string) => `(${c}::bigint * 100000 + ${t})`,
  village: (c: string, v: string) => `(${c}::bigint * 100000 + 1000 + ${v})`,
  user: (c: string, n: string) => `(${c}::bigint * 10000 + ${n})`,
  depot: (plan: Plan, c: string, n: string) => `((${c}::bigint - 1) * ${plan.depots} + ${n})`,
};

/** Users of a county: the numbers inside its block of 10,000 ids. */
export const USER = {
  officer: 1,
  officer2: 2,
  auditor: 3,
  keeper: 4,
  keeper2: 5,
  townshipOfficer: 1000,
  townshipKeeper: 2000,
  townshipKeeper2: 3000,
} as const;

/** Splits [1, total] into ranges of about `size`, for statements that report progress as they go. */
export function chunks(total: number, size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let lo = 1; lo <= total; lo += size) out.push([lo, Math.min(total, lo + size - 1)]);
  return out;
}
