import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/** A row of a county-scoped table is addressed by its county and its id, as in its primary key. */
export interface CountyKey {
  countyId: number;
  id: number;
}

export const keyString = (k: CountyKey): string => `${k.countyId}:${k.id}`;

/** `(county_id, id) in ((1, 2), (1, 3))`, or false for no keys. */
export function inKeys(countyCol: AnyPgColumn, idCol: AnyPgColumn, keys: readonly CountyKey[]): SQL {
  if (keys.length === 0) return sql`false`;
  const tuples = sql.join(
    keys.map((k) => sql`(${k.countyId}::bigint, ${k.id}::bigint)`),
    sql`, `,
  );
  return sql`(${countyCol}, ${idCol}) in (${tuples})`;
}

/** Orders rows to match the keys a DataLoader asked for. */
export function byKeys<T>(keys: readonly CountyKey[], rows: T[], keyOf: (row: T) => CountyKey): (T | null)[] {
  const map = new Map(rows.map((r) => [keyString(keyOf(r)), r]));
  return keys.map((k) => map.get(keyString(k)) ?? null);
}

/** Groups rows under the keys a DataLoader asked for. */
export function groupByKeys<T>(keys: readonly CountyKey[], rows: T[], keyOf: (row: T) => CountyKey): T[][] {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const k = keyString(keyOf(r));
    const list = map.get(k);
    if (list) list.push(r);
    else map.set(k, [r]);
  }
  return keys.map((k) => map.get(keyString(k)) ?? []);
}

/** Rows of a raw `execute` on either engine: PGlite answers { rows }, postgres.js an array. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
