import type { Context } from "../context.js";
import type { Statement } from "../../db/compiled/statement.js";

/** What one request's compilation works with. */
export interface Env {
  st: Statement;
  ctx: Context;
  /** The operation's variables, coerced. */
  variables: Record<string, unknown>;
  /** Each field's arguments once worked out, keyed by its plan. */
  args: Map<object, Args>;
  /** The day a root field judges on, as SQL, for the fields below it that are judged on the same day. */
  judgedOn?: string;
}

export type Args = Record<string, unknown>;

/** The rows a field's objects come from, correlated to the parent's alias. */
export interface Source {
  from: string;
  where: string;
  orderBy?: string;
}

/** A leaf: SQL giving the field's JSON value from the row under alias `a`. */
export interface ScalarField {
  kind: "scalar";
  sql(a: string, env: Env, args: Args): string;
}

/**
 * A leaf the domain computes: SQL gives its inputs, `finish` (a domain function) the value, so the rule keeps its
 * one home in TypeScript.
 */
export interface ComputedField {
  kind: "computed";
  sql(a: string, env: Env, args: Args): string;
  finish(value: unknown, env: Env, args: Args): unknown;
}

/** An object or a list of objects of another type; "same" when it is the parent's row seen as that type. */
export interface ObjectField {
  kind: "object";
  type: string;
  list: boolean;
  source(a: string, b: string, env: Env, args: Args): Source | "same";
}

export type FieldShape = ScalarField | ComputedField | ObjectField;

/** How one GraphQL object type is answered from SQL. */
export interface ObjectShape {
  /**
   * The global ID of the row, for fields the compiler does not know: they are answered by today's resolvers
   * through `node(id:)`. Types that are not nodes hand such fields up to their nearest node.
   */
  nodeId?(a: string): string;
  fields: Record<string, FieldShape>;
}

/** A page of rows for a connection root field, in its order, with its keyset cursor. */
export interface PageRows {
  /** The alias the row columns are read under (the table's own name, as the repositories' fragments say it). */
  alias: string;
  from: string;
  where: string;
  orderBy: string;
  first: number;
  cursor(p: string): string;
}

export interface ConnectionRoot {
  kind: "connection";
  node: string;
  /** The page, or null when these arguments need the resolver (a refusal to tell, an empty answer). */
  rows(env: Env, args: Args): PageRows | null | Promise<PageRows | null>;
}

export interface OneRoot {
  kind: "one";
  type: string;
  row(env: Env, args: Args): { alias: string; from: string; where: string } | null;
}

export type RootShape = ConnectionRoot | OneRoot;
