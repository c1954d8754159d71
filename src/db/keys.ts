import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/** A row of a county-scoped table is addressed by its county and its id, as in its primary key. */
export interface CountyKey {
  countyId: number;
  id: number;
}

export const keyString = (k: CountyKey): string => `${k.countyId}:${k.id}`;

/**
 * A list of ids as one `bigint[]` parameter. One parameter whatever the length keeps the statement's text the same
 * for every batch size, so a prepared statement is reused instead of re-parsed for each size, and neither the
 * query builder nor the driver handles hundreds of separate parameters.
 */
export function bigintArray(ids: readonly number[]): SQL {
  return sql`${`{${ids.join(",")}}`}::bigint[]`;
}

/** Keys as a relation `(county_id, id)` of one statement text whatever their number, for joins and `in`. */
export function keyRows(keys: readonly CountyKey[]): SQL {
  return sql`select * from unnest(${bigintArray(keys.map((k) => k.countyId))}, ${bigintArray(keys.map((k) => k.id))})`;
}

/**
 * `county_id = 1 and id = any('{2,3}')`, one such test per county among the keys (almost always one), or false
 * for no keys: the primary key's index answers it with a single scan.
 */
export function inKeys(countyCol: AnyPgColumn, idCol: AnyPgColumn, keys: readonly CountyKey[]): SQL {
  if (keys.length === 0) return sql`false`;
  const byCounty = new Map<number, number[]>();
  for (const k of keys) {
    const ids = byCounty.get(k.countyId);
    if (ids) ids.push(k.id);
    else byCounty.set(k.countyId, [k.id]);
  }
  const parts = [...byCounty].map(
    ([countyId, ids]) => sql`(${countyCol} = ${countyId}::bigint and ${idCol} = any(${bigintArray(ids)}))`,
  );
  return parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` or `)})`;
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
