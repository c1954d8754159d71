import { getTableColumns, getTableName, SQL, type SQLChunk, StringChunk } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";

const PARAM = /\$(\d+)/g;

/** A statement's text cut at its parameters once: literal chunks, and for each `$n` the index of its value. */
type Template = (StringChunk | number)[];
const templates = new Map<string, Template>();
/** The hot statements and the compiled questions' shapes are a few hundred; beyond this, texts are cut every time. */
const MAX_TEMPLATES = 2_000;

function templateOf(text: string): Template {
  const known = templates.get(text);
  if (known) return known;
  const template: Template = [];
  let last = 0;
  for (const m of text.matchAll(PARAM)) {
    template.push(new StringChunk(text.slice(last, m.index)), Number(m[1]) - 1);
    last = m.index + m[0].length;
  }
  template.push(new StringChunk(text.slice(last)));
  if (templates.size < MAX_TEMPLATES) templates.set(text, template);
  return template;
}

/**
 * Text with `$n` parameters and their values, as drizzle runs it, so it is counted, logged and prepared like
 * every other statement. Values go to the driver as they are: encode them first (`TableRows.given`). The text is
 * cut once; each call only puts its values between the chunks, as `sql` would.
 */
export function boundSql(text: string, values: readonly unknown[]): SQL {
  // a plain value is a chunk drizzle sends as a parameter, exactly as `sql` puts one between its literals
  return new SQL(
    templateOf(text).map((part) => (typeof part === "number" ? values[part] : part) as SQLChunk),
  );
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

  constructor(table: T) {
    this.columns = Object.entries(getTableColumns(table)) as [keyof T["$inferSelect"] & string, PgColumn][];
    this.byKey = new Map(this.columns);
    this.table = getTableName(table);
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
    for (const [key, c] of this.columns) {
      const v = row[c.name];
      out[key] = v === null || v === undefined ? null : c.mapFromDriverValue(v);
    }
    return out as T["$inferSelect"];
  }

  private column(key: string): PgColumn {
    const c = this.byKey.get(key);
    if (!c) throw new Error(`no column ${key}`);
    return c;
  }
}
