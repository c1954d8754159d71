import fc from "fast-check";
import {
  astFromValue,
  getNamedType,
  type GraphQLArgument,
  type GraphQLField,
  GraphQLObjectType,
  type GraphQLSchema,
  isEnumType,
  isLeafType,
  isNonNullType,
  print,
} from "graphql";

/**
 * Random GraphQL selections, made by walking the schema from a root field's type: at each object a random
 * non-empty set of its fields (any field whose required arguments can be given, so both the fields the compiled
 * read path knows and the ones it leaves to the resolvers), random aliases, fields repeated under the same key (which
 * GraphQL merges) or under another, `__typename`, inline and named fragments. Arguments are indices into lists of
 * sensible values the caller gives, so a failing selection shrinks towards the first, most ordinary, value.
 */

/** A field asked once: its arguments as [name, index into the candidates] pairs. */
export interface FieldAsk {
  name: string;
  alias: string | null;
  args: [string, number][];
  /** How the arguments reach the server: written in the query, as variables, or as variables' defaults. */
  passing: Passing;
  wrap: Wrap;
  children: SetAsk | null;
}

export interface SetAsk {
  fields: FieldAsk[];
  typename: Wrap | null;
}

/** Where in its selection set a field is written: as is, or inside a fragment. */
type Wrap = "plain" | "inline" | "typed" | "node" | "named";

type Passing = "literal" | "variable" | "default";
const passingArb = fc.constantFrom<Passing>("literal", "variable", "default");

/** Values an argument may take, by "Type.field" and argument name; an argument without any is left out. */
export type Candidates = Record<string, Record<string, readonly unknown[]>>;

export interface SelectionOptions {
  schema: GraphQLSchema;
  candidates: Candidates;
  /** Object levels below the root field; connections and their edges do not count. */
  maxDepth: number;
}

/** Connections, their edges and page info are the list's own parts: they add no level of objects. */
const transparent = (t: GraphQLObjectType) => /(Connection|Edge)$/.test(t.name) || t.name === "PageInfo";

const required = (arg: GraphQLArgument) => isNonNullType(arg.type) && arg.defaultValue === undefined;

/** The values an argument is asked with; an optional one may also be an explicit null, last so rarely shrunk to. */
const valuesOf = (o: SelectionOptions, owner: string, field: string, arg: GraphQLArgument) => {
  const t = getNamedType(arg.type);
  const given =
    o.candidates[`${owner}.${field}`]?.[arg.name] ??
    (isEnumType(t) ? t.getValues().map((v) => v.value as unknown) : null);
  if (!given) return null;
  return isNonNullType(arg.type) ? given : [...given, null];
};

/** The arguments of a field as index pairs, or null when a required one has no value to give. */
function argsArb(
  o: SelectionOptions,
  owner: string,
  field: GraphQLField<unknown, unknown>,
): fc.Arbitrary<[string, number][]> | null {
  const parts: fc.Arbitrary<[string, number] | null>[] = [];
  for (const arg of field.args) {
    const values = valuesOf(o, owner, field.name, arg);
    if (!values || values.length === 0) {
      if (required(arg)) return null;
      continue;
    }
    const one = fc.nat({ max: values.length - 1 }).map((i): [string, number] => [arg.name, i]);
    parts.push(required(arg) ? one : fc.option(one, { freq: 2 }));
  }
  return fc.tuple(...parts).map((ps) => ps.filter((p): p is [string, number] => p !== null));
}

/** Absent more often than not, and absent is what a failing case shrinks to. */
const rarely = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof(
    { withCrossShrink: true },
    { weight: 3, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: arb },
  );

const aliasArb = rarely(fc.constantFrom("a", "b", "x"));

function wrapArb(type: GraphQLObjectType, field: string): fc.Arbitrary<Wrap> {
  const wraps: Wrap[] = ["inline", "typed", "named"];
  // the Node interface has only `id`: `... on Node { id }` is the one spread of it a field may sit in
  if ((field === "id" || field === "__typename") && type.getInterfaces().some((i) => i.name === "Node"))
    wraps.push("node");
  return fc.oneof(
    { withCrossShrink: true },
    { weight: 4, arbitrary: fc.constant<Wrap>("plain") },
    { weight: 1, arbitrary: fc.constantFrom(...wraps) },
  );
}

/** Arbitraries of a type's selection at a depth, made once: the schema's types refer to each other in cycles. */
export function selectionArbs(o: SelectionOptions) {
  const made = new Map<string, fc.Arbitrary<SetAsk>>();

  function setArb(type: GraphQLObjectType, depth: number): fc.Arbitrary<SetAsk> {
    const memo = `${type.name}@${depth}`;
    const known = made.get(memo);
    if (known) return known;
    const slots: fc.Arbitrary<FieldAsk[]>[] = [];
    let firstLeaf: string | null = null;
    for (const field of Object.values(type.getFields())) {
      const occurrence = fieldArb(type, field, depth);
      if (!occurrence) continue;
      const leaf = isLeafType(getNamedType(field.type));
      if (leaf && !firstLeaf && field.args.length === 0) firstLeaf = field.name;
      // fewer objects the deeper the level, so a selection stays a question a client would send
      const absent = transparent(type) ? 2 : leaf ? 15 : 15 + 10 * depth;
      slots.push(
        fc.oneof(
          { withCrossShrink: true },
          { weight: absent, arbitrary: fc.constant<FieldAsk[]>([]) },
          { weight: 4, arbitrary: occurrence.map((f) => [f]) },
          { weight: 1, arbitrary: fc.tuple(occurrence, occurrence).map((fs): FieldAsk[] => fs) },
        ),
      );
    }
    const arb = fc
      .tuple(fc.tuple(...slots), rarely(wrapArb(type, "__typename")))
      .map(([fields, typename]): SetAsk => {
        const asked = fields.flat();
        if (asked.length > 0 || typename) return { fields: asked, typename };
        // nothing drawn: the smallest selection there is, what a shrunk counterexample ends with
        if (!firstLeaf) return { fields: [], typename: "plain" };
        return {
          fields: [
            { name: firstLeaf, alias: null, args: [], passing: "literal", wrap: "plain", children: null },
          ],
          typename: null,
        };
      });
    made.set(memo, arb);
    return arb;
  }

  function fieldArb(
    type: GraphQLObjectType,
    field: GraphQLField<unknown, unknown>,
    depth: number,
  ): fc.Arbitrary<FieldAsk> | null {
    const args = argsArb(o, type.name, field);
    if (!args) return null;
    const child = getNamedType(field.type);
    let children: fc.Arbitrary<SetAsk | null> = fc.constant(null);
    if (child instanceof GraphQLObjectType) {
      const childDepth = transparent(child) ? depth : depth + 1;
      if (childDepth > o.maxDepth) return null;
      children = setArb(child, childDepth);
    } else if (!isLeafType(child)) {
      return null; // no interface or union is reachable from the compiled roots
    }
    return fc.record({
      name: fc.constant(field.name),
      alias: aliasArb,
      args,
      passing: field.args.length ? passingArb : fc.constant<Passing>("literal"),
      wrap: wrapArb(type, field.name),
      children,
    });
  }

  /** A root field of Query with its arguments, aliased or not, its arguments written or passed as variables. */
  function rootArb(name: string): fc.Arbitrary<FieldAsk> {
    const query = o.schema.getQueryType()!;
    const field = query.getFields()[name]!;
    const type = getNamedType(field.type) as GraphQLObjectType;
    return fc.record({
      name: fc.constant(name),
      alias: aliasArb,
      args: argsArb(o, "Query", field)!,
      passing: passingArb,
      wrap: fc.constant<Wrap>("plain"),
      children: setArb(type, transparent(type) ? 0 : 1),
    });
  }

  return { rootArb };
}

/**
 * The response key of a field ask. It names the arguments, so two asks under one key are always the same field
 * with the same arguments (which GraphQL merges) and never a conflict validation would refuse.
 */
const keyOf = (f: FieldAsk) => {
  const passing = f.args.length && f.passing !== "literal" ? `_${f.passing[0]}` : "";
  const tag = f.args.map(([n, i]) => `_${n}${i}`).join("") + passing;
  return f.alias === null && tag === "" ? null : `${f.alias ?? "k"}_${f.name}${tag}`;
};

/** The operation text and variables of a list of root field asks. */
export function render(
  o: SelectionOptions,
  roots: FieldAsk[],
): { query: string; variables: Record<string, unknown> } {
  const fragments: string[] = [];
  const variableDefs = new Map<string, string>();
  const variables: Record<string, unknown> = {};

  const fieldText = (owner: GraphQLObjectType, f: FieldAsk): string => {
    const def = owner.getFields()[f.name]!;
    const key = keyOf(f);
    const args = f.args.map(([name, i]) => {
      const arg = def.args.find((a) => a.name === name)!;
      const value = valuesOf(o, owner.name, f.name, arg)![i];
      if (f.passing !== "literal") {
        const variable = `${key ?? f.name}_${name}`;
        const literal = print(astFromValue(value, arg.type)!);
        const fallback = f.passing === "default" ? ` = ${literal}` : "";
        variableDefs.set(variable, `$${variable}: ${String(arg.type)}${fallback}`);
        if (f.passing === "variable") variables[variable] = value;
        return `${name}: $${variable}`;
      }
      return `${name}: ${print(astFromValue(value, arg.type)!)}`;
    });
    const head = `${key ? `${key}: ` : ""}${f.name}${args.length ? `(${args.join(", ")})` : ""}`;
    if (!f.children) return head;
    return `${head} { ${setText(getNamedType(def.type) as GraphQLObjectType, f.children)} }`;
  };

  const setText = (type: GraphQLObjectType, set: SetAsk): string => {
    const groups = new Map<Wrap, string[]>();
    const add = (wrap: Wrap, text: string) => {
      const g = groups.get(wrap);
      if (g) g.push(text);
      else groups.set(wrap, [text]);
    };
    if (set.typename) add(set.typename, "__typename");
    for (const f of set.fields) add(f.wrap, fieldText(type, f));
    const parts: string[] = [];
    for (const [wrap, texts] of groups) {
      const body = texts.join(" ");
      if (wrap === "plain") parts.push(body);
      else if (wrap === "inline") parts.push(`... { ${body} }`);
      else if (wrap === "typed") parts.push(`... on ${type.name} { ${body} }`);
      else if (wrap === "node") parts.push(`... on Node { ${body} }`);
      else {
        const name = `F${fragments.length + 1}`;
        fragments.push(`fragment ${name} on ${type.name} { ${body} }`);
        parts.push(`...${name}`);
      }
    }
    return parts.join(" ");
  };

  const query = o.schema.getQueryType()!;
  const body = roots.map((r) => fieldText(query, r)).join(" ");
  const defs = variableDefs.size ? `(${[...variableDefs.values()].join(", ")})` : "";
  return { query: [`query${defs} { ${body} }`, ...fragments].join("\n"), variables };
}
