import { Column, fillPlaceholders, getTableColumns, getTableName, type SQL } from "drizzle-orm";
import { type PgColumn, PgDialect, type PgTable } from "drizzle-orm/pg-core";
import type { Executor } from "./client.js";

const dialect = new PgDialect();

/**
 * Runs a statement written as text with `$n` parameters through the executor's own session, as `db.execute(sql…)`
 * runs one (counted, logged, prepared, its errors wrapped alike), without drizzle cutting the text into chunks and
 * joining them again on every call. Values go to the driver as they are: encode them first (`TableRows.given`).
 */
export function runStatement(db: Executor, text: string, values: readonly unknown[]): Promise<unknown> {
  // drizzle's prepared query only reads its params: the caller's array goes as it is, not copied on every call
  const params = values as unknown[];
  return db._.session.prepareQuery({ sql: text, params }, undefined, undefined, false).execute();
}

/**
 * A statement whose text depends on its shape alone, written from drizzle fragments (the one home of a rule) once:
 * the fragments are given `sql.placeholder`s where the values go, and each call fills them in.
 */
export function shapedStatement(
  build: () => SQL,
): (db: Executor, values: Readonly<Record<string, unknown>>) => Promise<unknown> {
  let written: { sql: string; params: unknown[] } | null = null;
  return (db, values) => {
    written ??= dialect.sqlToQuery(build());
    return runStatement(db, written.sql, fillPlaceholders(written.params, values));
  };
}

/**
 * A table's columns as a hand-written statement lists them, its values encoded and its rows decoded exactly as
 * drizzle's query builder would: the hot commands write their statements once (drizzle building a select or an
 * insert cost 50–230 µs of the service's CPU on every call) and map rows with this.
 */
export class TableRows<T extends PgTable> {
  private readonly columns: [keyof T["$inferSelect"] & string, PgColumn][];
  private readonly byKey: Map<string, PgColumn>;
  private readonly table: string;
  private readonly inserts = new Map<string, string>();
  /** Each column's key, name and mapping; none for the columns drizzle hands over as the driver gives them. */
  private readonly decoders: (readonly [string, string, ((v: unknown) => unknown) | null])[];

  constructor(table: T) {
    this.columns = Object.entries(getTableColumns(table)) as [keyof T["$inferSelect"] & string, PgColumn][];
    this.byKey = new Map(this.columns);
    this.table = getTableName(table);
    this.decoders = this.columns.map(([key, c]) => [
      key,
      c.name,
      c.mapFromDriverValue === Column.prototype.mapFromDriverValue
        ? null
        : (v: unknown) => c.mapFromDriverValue(v),
    ]);
  }

  /**
   * `insert into t (…) values ($offset+1, …) returning` every column, for the columns named by `keys` (the others
   * take their defaults), written once per set of keys.
   */
  insertText(keys: readonly string[], offset = 0): string {
    const shape = `${offset}:${keys.join(",")}`;
    let text = this.inserts.get(shape);
    if (!text) {
      text = `insert into "${this.table}" (${keys.map((k) => `"${this.nameOf(k)}"`).join(", ")})
        values (${keys.map((_, i) => `$${i + 1 + offset}`).join(", ")})
        returning ${this.list(`"${this.table}"`)}`;
      this.inserts.set(shape, text);
    }
    return text;
  }

  /** The keys of a row to insert that carry a value, in a stable order, and their values encoded. */
  given(row: Partial<T["$inferInsert"]>): { keys: string[]; values: unknown[] } {
    const given = row as Record<string, unknown>;
    const keys = Object.keys(given)
      .filter((k) => given[k] !== undefined)
      .sort();
    return { keys, values: keys.map((k) => this.encode(k, given[k])) };
  }

  /** `a."county_id", a."id", …`: every column, in the table's order. */
  list(alias: string): string {
    return this.columns.map(([, c]) => `${alias}."${c.name}"`).join(", ");
  }

  /** The database name of a column, by its key in the schema. */
  private nameOf(key: string): string {
    return this.column(key).name;
  }

  /** A value as the driver takes it for the column (a Quantity as its decimal text, an instant as ISO text). */
  private encode(key: string, value: unknown): unknown {
    return value === null || value === undefined ? null : this.column(key).mapToDriverValue(value);
  }

  /** A row as drizzle's select of the whole table answers it. */
  decode(row: Record<string, unknown>): T["$inferSelect"] {
    const out: Record<string, unknown> = {};
    for (const [key, name, map] of this.decoders) {
      const v = row[name];
      out[key] = v === null || v === undefined ? null : map ? map(v) : v;
    }
    return out as T["$inferSelect"];
  }

  private column(key: string): PgColumn {
    const c = this.byKey.get(key);
    if (!c) throw new Error(`no column ${key}`);
    return c;
  }
}
