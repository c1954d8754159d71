import { type SQL, sql } from "drizzle-orm";
import { alias, PgDialect } from "drizzle-orm/pg-core";
import type { NodeType } from "../../graphql/ids.js";
import { depotInScope } from "../repositories/scope.js";
import { depotStockRelation, stockLevelRelation } from "../repositories/stockLevels.js";
import { depots } from "../schema/index.js";
import type { ReadScope } from "../../domain/custody/policy.js";
import type { CalendarDate } from "../../domain/shared/calendar.js";

const dialect = new PgDialect();

export interface WrittenStatement {
  text: string;
  values: readonly unknown[];
}
const PARAM = /\$(\d+)/g;

/**
 * One compiled statement being written: its text with `$n` parameters, and their values. The repositories' own
 * drizzle fragments (custody, lot rules, page filters) are embedded as they are, renumbered into the statement,
 * so a rule the compiler applies is the rule the repository applies.
 */
export class Statement {
  private readonly values: unknown[] = [];
  private aliases = 0;

  /** A value as a parameter, cast where PostgreSQL cannot infer its type. */
  param(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }

  /** A repository's drizzle fragment as text of this statement. */
  embed(fragment: SQL): string {
    const q = dialect.sqlToQuery(fragment);
    const offset = this.values.length;
    this.values.push(...q.params);
    return q.sql.replace(PARAM, (_, n: string) => `$${Number(n) + offset}`);
  }

  /** A table alias no other part of the statement uses. */
  alias(prefix: string): string {
    this.aliases += 1;
    return `${prefix}${this.aliases}`;
  }

  /**
   * The statement's text with its values, for `runStatement` (counted, logged and prepared like every other).
   * Parts written but left out of the text leave values no `$n` names, whose type PostgreSQL cannot know: the
   * parameters are numbered again in the order the text uses them, and only those values kept.
   */
  written(text: string): WrittenStatement {
    const renumbered = new Map<number, number>();
    const used = text.replace(PARAM, (_, n: string) => {
      let to = renumbered.get(Number(n));
      if (to === undefined) renumbered.set(Number(n), (to = renumbered.size + 1));
      return `$${to}`;
    });
    return { text: used, values: [...renumbered.keys()].map((n) => this.values[n - 1]) };
  }
}

// Values formatted in SQL exactly as the GraphQL types format them in TypeScript; test/compiledReads.test.ts
// holds every compiled answer equal to its resolver twin.

/** A global ID (src/graphql/ids.ts): base64url of "Type:county:id", or "Type:id" for catalogue rows. */
export function globalIdSql(type: NodeType, countyId: string | null, id: string): string {
  const raw = countyId ? `'${type}:' || ${countyId} || ':' || ${id}` : `'${type}:' || ${id}`;
  // base64url: '+/' become '-_', and the padding and PostgreSQL's line breaks go
  return `translate(encode(convert_to(${raw}, 'UTF8'), 'base64'), E'+/=\\n', '-_')`;
}

/** A Decimal (formatQuantity): no trailing zeros, no exponent. */
export const decimalSql = (expr: string): string => `trim_scale(${expr})::text`;

/** A calendar day, YYYY-MM-DD. */
export const daySql = (expr: string): string => `to_char(${expr}, 'YYYY-MM-DD')`;

/** A DateTime as JSON.stringify writes a Date: UTC, milliseconds. */
export const instantSql = (expr: string): string =>
  `to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A cursor of `encodeCursor` (src/graphql/relay.ts). */
export const idCursorSql = (id: string): string =>
  `translate(encode(convert_to('cursor:v1:' || ${id}, 'UTF8'), 'base64'), E'+/=\\n', '-_')`;

/** A cursor of `encodeKeyCursor` over (day, id). */
export const dayIdCursorSql = (day: string, id: string): string =>
  `translate(encode(convert_to('key:v1:' || to_char(${day}, 'YYYY-MM-DD') || '|' || ${id}, 'UTF8'), 'base64'), E'+/=\\n', '-_')`;

/** A depot the viewer may read: the repositories' custody fragment over the depot under alias `d`. */
export const depotVisibleSql = (st: Statement, scope: ReadScope, d: string): string =>
  st.embed(depotInScope(scope, alias(depots, d)));

/** A lot's depot-wide figures of its item on a day (StockLevel) as a one-row relation over the lot under `a`. */
export const stockLevelOfLotSql = (st: Statement, a: string, asOf: CalendarDate): string =>
  st.embed(
    stockLevelRelation(sql.raw(`${a}.county_id`), sql.raw(`${a}.depot_id`), sql.raw(`${a}.item_id`), asOf),
  );

/** A depot's figures per item on a day (Depot.stock) as a relation over the depot under `a`. */
export const depotStockSql = (st: Statement, a: string, asOf: CalendarDate): string =>
  st.embed(depotStockRelation(sql.raw(`${a}.county_id`), sql.raw(`${a}.id`), asOf));

/** A repository's WHERE fragment as text of the statement; none is `true`. */
export const whereSql = (st: Statement, fragment: SQL | undefined): string =>
  fragment ? st.embed(fragment) : "true";
