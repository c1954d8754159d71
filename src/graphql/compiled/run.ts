import {
  type DocumentNode,
  execute,
  type FieldNode,
  getArgumentValues,
  getVariableValues,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
} from "graphql";
import { rowsOf } from "../../db/keys.js";
import type { Context } from "../context.js";
import { checkArgs } from "../inputGuard.js";
import type { Args, Env, PageRows } from "./model.js";
import { type FieldPlan, NODE_KEY, type OperationPlan, type RootPlan, type SetPlan } from "./plan.js";
import { Statement, type WrittenStatement } from "../../db/compiled/statement.js";
import { runStatement } from "../../db/statements.js";

/**
 * Answers a planned operation: one SQL statement per compiled root field building its JSON answer, the fields the
 * compiler does not know through today's resolvers, and null whenever the answer might differ from what the
 * resolvers would give (an argument they would refuse, an error, a node they would not show): the operation then
 * runs on the resolvers, which say it as they always have.
 */
export async function answerCompiled(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  plan: OperationPlan,
  ctx: Context,
  inputs: Record<string, unknown> | undefined,
): Promise<Record<string, unknown> | null> {
  if (!ctx.actor || ctx.user?.mustChangePassword) return null;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs ?? {});
  if (coerced.errors) return null;
  const variables = coerced.coerced;
  const data: Record<string, unknown> = {};
  const spots: Spot[] = [];
  const pending: Promise<void>[] = [];
  // what a root field's statement is built from besides the document: the same for every root field asked
  const question = JSON.stringify([variables, ctx.scope, ctx.today]);
  for (const r of plan.roots) {
    if (!r.root || !r.set) {
      spots.push({ root: r });
      data[r.key] = undefined;
      continue;
    }
    const args = argsOf(r.def, r.node, variables);
    if (!args) return null;
    const env: Env = { st: new Statement(), ctx, variables, args: new Map() };
    data[r.key] = undefined;
    const root = r;
    const set = r.set;
    pending.push(
      (async () => {
        const statement = await statementOf(root, set, env, args, question);
        const [row] = rowsOf<{ data: unknown }>(
          await runStatement(ctx.deps.database.reads, statement.text, statement.values),
        );
        const answer = row!.data;
        // an answer nothing in TypeScript finishes comes as text: the HTTP layer sends it as PostgreSQL wrote it
        if (!set.walk && typeof answer === "string" && ctx.rawAnswers) {
          data[root.key] = ctx.rawAnswers.hold(answer);
          return;
        }
        const value = typeof answer === "string" ? JSON.parse(answer) : answer;
        data[root.key] = value;
        if (set.walk) walk(value, set, env, spots, root.root!.kind === "connection");
      })(),
    );
  }
  try {
    await Promise.all(pending);
  } catch {
    // an argument a resolver would refuse, a database error: the resolvers answer it, as they always have
    return null;
  }
  if (spots.length === 0) return data;
  const answers = await fillSpots(schema, document, operation, spots, ctx, inputs);
  if (!answers) return null;
  for (const [i, s] of spots.entries()) if (s.root) data[s.root.key] = answers[`f${i}`];
  return data;
}

const BAIL = new Error("bail");

/** Enough for every hot question of a county's desks; beyond it the oldest statement goes. */
const STATEMENTS_PER_ROOT = 256;
/** Longer inputs than this are not worth remembering (and would make long keys). */
const MAX_KEY_LENGTH = 4_000;
const built = new WeakMap<RootPlan, Map<string, WrittenStatement>>();

/**
 * The root field's statement, built once per question: within a plan (one document, one operation), the text and
 * the values depend only on the variables, the viewer's read scope and the day (the default of every asOf), so
 * the same question from the same scope on the same day sends the statement built the first time. A question a
 * resolver would refuse is never built, so never remembered.
 */
async function statementOf(
  root: RootPlan,
  set: SetPlan,
  env: Env,
  args: Args,
  key: string,
): Promise<WrittenStatement> {
  let byQuestion = built.get(root);
  const hit = byQuestion?.get(key);
  if (hit) return hit;
  const text = await rootStatement(root, set, env, args);
  if (text === null) throw BAIL;
  const statement = env.st.written(text);
  if (key.length <= MAX_KEY_LENGTH) {
    if (!byQuestion) built.set(root, (byQuestion = new Map()));
    if (byQuestion.size >= STATEMENTS_PER_ROOT) byQuestion.delete(byQuestion.keys().next().value!);
    byQuestion.set(key, statement);
  }
  return statement;
}

interface Spot {
  /** A root field answered wholly by its resolver. */
  root?: RootPlan;
  /** An object some of whose fields its resolvers answer, through node(id:). */
  object?: Record<string, unknown>;
  set?: SetPlan;
}

function argsOf(def: FieldPlan["def"], node: FieldNode, variables: Record<string, unknown>): Args | null {
  try {
    const args = getArgumentValues(def, node, variables);
    return checkArgs(def.args, args) ? null : args;
  } catch {
    return null;
  }
}

async function rootStatement(root: RootPlan, set: SetPlan, env: Env, args: Args): Promise<string | null> {
  const shape = root.root!;
  if (shape.kind === "one") {
    const row = shape.row(env, args);
    if (!row) return null;
    return `select (select ${objectSql(set, row.alias, env)} from ${row.from} where ${row.where})${asText(set)} as data`;
  }
  const rows = await shape.rows(env, args);
  if (!rows) return null;
  const n = env.st.param(rows.first, "int");
  const page = `select ${rows.alias}.*, row_number() over (order by ${rows.orderBy}) as page_row
      from ${rows.from} where ${rows.where} order by ${rows.orderBy} limit ${n} + 1`;
  return `with page as (${page}) select ${connectionSql(set, rows, n, env)}${asText(set)} as data`;
}

/** An answer nothing finishes in TypeScript is asked for as text, which the driver hands over without parsing. */
const asText = (set: SetPlan) => (set.walk ? "" : "::text");

function connectionSql(set: SetPlan, rows: PageRows, n: string, env: Env): string {
  const pairs = set.fields.map((f) => {
    const p = env.st.alias("p");
    const onPage = `from page ${p} where ${p}.page_row <= ${n}`;
    switch (f.shape) {
      case "nodes":
        return pair(
          f.key,
          `coalesce((select json_agg(${objectSql(f.children!, p, env)} order by ${p}.page_row) ${onPage}), '[]'::json)`,
        );
      case "edges": {
        const edge = f.children!.fields.map((e) =>
          e.shape === "cursor"
            ? pair(e.key, rows.cursor(p))
            : e.shape === "node"
              ? pair(e.key, objectSql(e.children!, p, env))
              : pair(e.key, `'${f.children!.typeName}'`),
        );
        return pair(
          f.key,
          `coalesce((select json_agg(json_build_object(${edge.join(", ")}) order by ${p}.page_row) ${onPage}), '[]'::json)`,
        );
      }
      case "pageInfo": {
        const info = f.children!.fields.map((i) => {
          const q = env.st.alias("p");
          switch (i.shape) {
            case "hasNextPage":
              return pair(i.key, `exists (select 1 from page ${q} where ${q}.page_row > ${n})`);
            case "hasPreviousPage":
              return pair(i.key, "false");
            case "startCursor":
              return pair(i.key, `(select ${rows.cursor(q)} from page ${q} where ${q}.page_row = 1)`);
            case "endCursor":
              return pair(
                i.key,
                `(select ${rows.cursor(q)} from page ${q} where ${q}.page_row <= ${n} order by ${q}.page_row desc limit 1)`,
              );
            default:
              return pair(i.key, `'${f.children!.typeName}'`);
          }
        });
        return pair(f.key, `json_build_object(${info.join(", ")})`);
      }
      default:
        return pair(f.key, `'${set.typeName}'`);
    }
  });
  return `json_build_object(${pairs.join(", ")})`;
}

/** Response keys are GraphQL names ([_A-Za-z][_0-9A-Za-z]*): safe inside a SQL string literal. */
const pair = (key: string, value: string) => `'${key}', ${value}`;

function objectSql(set: SetPlan, a: string, env: Env): string {
  const pairs: string[] = [];
  for (const f of set.fields) {
    if (f.shape === "typename") {
      pairs.push(pair(f.key, `'${set.typeName}'`));
      continue;
    }
    const shape = f.shape as Exclude<FieldPlan["shape"], string>;
    const args = fieldArgs(f, env);
    if (shape.kind !== "object") {
      pairs.push(pair(f.key, shape.sql(a, env, args)));
      continue;
    }
    const b = env.st.alias("c");
    const source = shape.source(a, b, env, args);
    if (source === "same") {
      pairs.push(pair(f.key, objectSql(f.children!, a, env)));
    } else if (shape.list) {
      const order = source.orderBy ? ` order by ${source.orderBy}` : "";
      pairs.push(
        pair(
          f.key,
          `coalesce((select json_agg(${objectSql(f.children!, b, env)}${order}) from ${source.from} where ${source.where}), '[]'::json)`,
        ),
      );
    } else {
      pairs.push(
        pair(f.key, `(select ${objectSql(f.children!, b, env)} from ${source.from} where ${source.where})`),
      );
    }
  }
  if (set.fallback.length > 0) pairs.push(pair(NODE_KEY, set.shape!.nodeId!(a)));
  return `json_build_object(${pairs.join(", ")})`;
}

const NO_ARGS: Args = {};

/** A field's arguments, worked out once per request however many rows it is finished for. */
function fieldArgs(f: FieldPlan, env: Env): Args {
  if (!f.hasArgs) return NO_ARGS;
  let args = env.args.get(f);
  if (!args) {
    args = argsOf(f.def, f.nodes[0]!, env.variables) ?? undefined;
    if (!args) throw BAIL;
    env.args.set(f, args);
  }
  return args;
}

/** Computed fields finished by their domain functions; objects with fields for the resolvers noted. */
function walk(value: unknown, set: SetPlan, env: Env, spots: Spot[], connection = false): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const v of value) walk(v, set, env, spots);
    return;
  }
  const object = value as Record<string, unknown>;
  if (connection) {
    for (const f of set.fields) {
      if (!f.children?.walk) continue;
      if (f.shape !== "edges") {
        walk(object[f.key], f.children, env, spots);
        continue;
      }
      // every alias of an edge's node, not just the first: each is an object of its own (`a: node { … } node { … }`)
      for (const node of f.children.fields) {
        if (node.shape !== "node" || !node.children!.walk) continue;
        for (const edge of object[f.key] as Record<string, unknown>[])
          walk(edge[node.key], node.children!, env, spots);
      }
    }
    return;
  }
  for (const f of set.fields) {
    if (f.shape === "typename") continue;
    const shape = f.shape as Exclude<FieldPlan["shape"], string>;
    if (shape.kind === "computed") {
      object[f.key] = shape.finish(object[f.key], env, fieldArgs(f, env));
    } else if (f.children?.walk) walk(object[f.key], f.children, env, spots);
  }
  if (set.fallback.length > 0) spots.push({ object, set });
}

/** A spot as a field of the fallback operation: the root field as written, or node(id:) with the fields asked. */
function spotSelection(s: Spot, i: number): SelectionNode {
  const alias = { kind: Kind.NAME, value: `f${i}` } as const;
  if (s.root) return { ...s.root.node, alias };
  return {
    kind: Kind.FIELD,
    alias,
    name: { kind: Kind.NAME, value: "node" },
    arguments: [
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: "id" },
        value: { kind: Kind.STRING, value: s.object![NODE_KEY] as string },
      },
    ],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [
        {
          kind: Kind.INLINE_FRAGMENT,
          typeCondition: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: s.set!.typeName } },
          selectionSet: { kind: Kind.SELECTION_SET, selections: s.set!.fallback },
        },
      ],
    },
  };
}

/**
 * The fields the compiler does not know, asked of the resolvers in one execution: each object again through
 * `node(id:)` with just those fields, each root field left to them as written. DataLoaders batch across it all.
 */
async function fillSpots(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  spots: Spot[],
  ctx: Context,
  inputs: Record<string, unknown> | undefined,
): Promise<Record<string, unknown> | null> {
  const selections = spots.map(spotSelection);
  const fallbackDocument: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      { ...operation, selectionSet: { kind: Kind.SELECTION_SET, selections } },
      ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION),
    ],
  };
  const result = await execute({
    schema,
    document: fallbackDocument,
    contextValue: ctx,
    variableValues: inputs ?? {},
  });
  if (result.errors?.length || !result.data) return null;
  const answers = result.data as Record<string, Record<string, unknown> | null>;
  for (const [i, s] of spots.entries()) {
    const answer = answers[`f${i}`];
    if (s.root) continue;
    // a node the viewer may not read through node(id:) (a lender's lot on a visible requisition): the resolvers answer
    if (!answer) return null;
    const object = s.object!;
    const merged: Record<string, unknown> = {};
    for (const key of s.set!.keys) merged[key] = key in object ? object[key] : answer[key];
    for (const key of Object.keys(object)) delete object[key];
    Object.assign(object, merged);
  }
  return answers;
}
