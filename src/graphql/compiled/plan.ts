import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  type GraphQLField,
  GraphQLObjectType,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { FieldShape, ObjectShape, RootShape } from "./model.js";
import { ROOT_SHAPES } from "./roots.js";
import { OBJECT_SHAPES } from "./shapes.js";

/**
 * An operation's selection resolved against the compiler's shapes once per document: which fields SQL answers,
 * which its resolvers answer (through `node(id:)` of the nearest node), and which root fields go wholly to them.
 */

export interface FieldPlan {
  key: string;
  nodes: FieldNode[];
  def: GraphQLField<unknown, unknown>;
  /** "typename" for `__typename`; a connection's own parts are "nodes", "edges", "pageInfo", "cursor", "node". */
  shape: FieldShape | "typename" | ConnectionPart;
  hasArgs: boolean;
  children: SetPlan | null;
}

type ConnectionPart = "nodes" | "edges" | "pageInfo" | "cursor" | "node" | PageInfoField;
type PageInfoField = "hasNextPage" | "hasPreviousPage" | "startCursor" | "endCursor";

export interface SetPlan {
  typeName: string;
  shape: ObjectShape | null;
  fields: FieldPlan[];
  /** Fields of this object its resolvers answer, through `node(id:)`. */
  fallback: FieldNode[];
  /** Every response key in selection order, the fallback ones included. */
  keys: string[];
  /** Whether the answer needs a pass in TypeScript (a computed field or a fallback here or below). */
  walk: boolean;
}

export interface RootPlan {
  key: string;
  node: FieldNode;
  def: GraphQLField<unknown, unknown>;
  /** Null: answered by the resolvers (a field the compiler does not know, or one it cannot finish in SQL). */
  root: RootShape | null;
  set: SetPlan | null;
}

export interface OperationPlan {
  roots: RootPlan[];
  /** Whether any root field is compiled; if none is, the operation runs as it always has. */
  compiled: boolean;
}

class Uncompilable extends Error {}

/** Response keys the compiler writes for itself; an alias spelt like one keeps the operation on the resolvers. */
export const NODE_KEY = "__node";
/** json_build_object takes at most 100 arguments. */
const MAX_KEYS = 49;

export function planOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): OperationPlan | null {
  if (operation.operation !== "query") return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const query = schema.getQueryType()!;
  try {
    const roots: RootPlan[] = [];
    for (const [key, nodes] of collect(schema, query, [operation.selectionSet], fragments)) {
      const node = nodes[0]!;
      if (nodes.length > 1) {
        roots.push({ key, node, def: query.getFields()[node.name.value]!, root: null, set: null });
        continue;
      }
      roots.push(planRoot(schema, query, key, node, fragments));
    }
    return { roots, compiled: roots.some((r) => r.root !== null) };
  } catch (e) {
    if (e instanceof Uncompilable) return null;
    throw e;
  }
}

function planRoot(
  schema: GraphQLSchema,
  query: GraphQLObjectType,
  key: string,
  node: FieldNode,
  fragments: Map<string, FragmentDefinitionNode>,
): RootPlan {
  const name = node.name.value;
  const def = query.getFields()[name];
  const shape = ROOT_SHAPES[name];
  const none = { key, node, def: def!, root: null, set: null };
  if (!def || !shape) return none;
  const type = getNamedType(def.type);
  if (!(type instanceof GraphQLObjectType)) return none;
  const set =
    shape.kind === "connection"
      ? planConnection(schema, type, shape.node, [node], fragments)
      : planSet(schema, type, [node], fragments);
  return set ? { key, node, def, root: shape, set } : none;
}

function planConnection(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  nodeType: string,
  nodes: FieldNode[],
  fragments: Map<string, FragmentDefinitionNode>,
): SetPlan | null {
  const fields: FieldPlan[] = [];
  for (const [key, group] of collect(schema, type, selectionsOf(nodes), fragments)) {
    const name = group[0]!.name.value;
    const def = type.getFields()[name]!;
    if (name === "__typename") {
      fields.push({ key, nodes: group, def, shape: "typename", hasArgs: false, children: null });
    } else if (name === "nodes") {
      const children = planSet(schema, objectType(schema, nodeType), group, fragments);
      if (!children) return null;
      fields.push({ key, nodes: group, def, shape: "nodes", hasArgs: false, children });
    } else if (name === "edges" || name === "pageInfo") {
      const children =
        name === "edges"
          ? planEdges(schema, getNamedType(def.type) as GraphQLObjectType, nodeType, group, fragments)
          : planPageInfo(schema, getNamedType(def.type) as GraphQLObjectType, group, fragments);
      if (!children) return null;
      fields.push({ key, nodes: group, def, shape: name, hasArgs: false, children });
    } else {
      return null;
    }
  }
  return part(type.name, fields);
}

function planEdges(
  schema: GraphQLSchema,
  edge: GraphQLObjectType,
  nodeType: string,
  group: FieldNode[],
  fragments: Map<string, FragmentDefinitionNode>,
): SetPlan | null {
  const fields: FieldPlan[] = [];
  for (const [key, g] of collect(schema, edge, selectionsOf(group), fragments)) {
    const name = g[0]!.name.value;
    const def = edge.getFields()[name]!;
    if (name === "node") {
      const children = planSet(schema, objectType(schema, nodeType), g, fragments);
      if (!children) return null;
      fields.push({ key, nodes: g, def, shape: "node", hasArgs: false, children });
    } else {
      const shape = name === "cursor" ? "cursor" : "typename";
      fields.push({ key, nodes: g, def, shape, hasArgs: false, children: null });
    }
  }
  return part(edge.name, fields);
}

function planPageInfo(
  schema: GraphQLSchema,
  info: GraphQLObjectType,
  group: FieldNode[],
  fragments: Map<string, FragmentDefinitionNode>,
): SetPlan {
  const fields: FieldPlan[] = [];
  for (const [key, g] of collect(schema, info, selectionsOf(group), fragments)) {
    const name = g[0]!.name.value;
    const shape = name === "__typename" ? "typename" : (name as PageInfoField);
    fields.push({ key, nodes: g, def: info.getFields()[name]!, shape, hasArgs: false, children: null });
  }
  return part(info.name, fields);
}

/** A connection's own object (an edge, the page info): no shape of its own, nothing for the resolvers. */
const part = (typeName: string, fields: FieldPlan[]): SetPlan => ({
  typeName,
  shape: null,
  fields,
  fallback: [],
  keys: fields.map((f) => f.key),
  walk: fields.some((f) => f.children?.walk),
});

function planSet(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  nodes: FieldNode[],
  fragments: Map<string, FragmentDefinitionNode>,
): SetPlan | null {
  const shape = OBJECT_SHAPES[type.name];
  if (!shape) return null;
  const fields: FieldPlan[] = [];
  const fallback: FieldNode[] = [];
  const keys: string[] = [];
  let walk = false;
  for (const [key, group] of collect(schema, type, selectionsOf(nodes), fragments)) {
    if (key === NODE_KEY) throw new Uncompilable();
    keys.push(key);
    const name = group[0]!.name.value;
    if (name === "__typename") {
      fields.push({ key, nodes: group, def: null!, shape: "typename", hasArgs: false, children: null });
      continue;
    }
    const def = type.getFields()[name]!;
    const fieldShape = shape.fields[name];
    const hasArgs = def.args.length > 0;
    if (!fieldShape) {
      fallback.push(...group);
      continue;
    }
    if (fieldShape.kind === "object") {
      const childType = getNamedType(def.type);
      const children =
        childType instanceof GraphQLObjectType ? planSet(schema, childType, group, fragments) : null;
      if (!children) {
        fallback.push(...group);
        continue;
      }
      walk ||= children.walk;
      fields.push({ key, nodes: group, def, shape: fieldShape, hasArgs, children });
    } else {
      walk ||= fieldShape.kind === "computed";
      fields.push({ key, nodes: group, def, shape: fieldShape, hasArgs, children: null });
    }
  }
  // a type that is not a node cannot be asked again through node(id:): its parent's field goes to the resolvers
  if (fallback.length > 0 && !shape.nodeId) return null;
  if (fields.length + 1 > MAX_KEYS) return null;
  return { typeName: type.name, shape, fields, fallback, keys, walk: walk || fallback.length > 0 };
}

const selectionsOf = (nodes: FieldNode[]): SelectionSetNode[] =>
  nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));

function objectType(schema: GraphQLSchema, name: string): GraphQLObjectType {
  const t = schema.getType(name);
  if (!(t instanceof GraphQLObjectType)) throw new Error(`no object type ${name}`);
  return t;
}

/**
 * The fields of selection sets as graphql-js collects them for an object type: by response key in first-seen
 * order, through fragments whose condition the type meets. A directive (@skip, @include) makes the shape depend on
 * variables: such operations stay on the resolvers.
 */
function collect(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  fragments: Map<string, FragmentDefinitionNode>,
  into = new Map<string, FieldNode[]>(),
  seen = new Set<string>(),
): Map<string, FieldNode[]> {
  for (const set of sets) {
    for (const s of set.selections) {
      if ((s.directives?.length ?? 0) > 0) throw new Uncompilable();
      if (s.kind === Kind.FIELD) {
        const key = s.alias?.value ?? s.name.value;
        const list = into.get(key);
        if (list) list.push(s);
        else into.set(key, [s]);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (!s.typeCondition || applies(schema, type, s.typeCondition.name.value))
          collect(schema, type, [s.selectionSet], fragments, into, seen);
      } else {
        const name = s.name.value;
        if (seen.has(name)) continue;
        seen.add(name);
        const f = fragments.get(name);
        if (!f) throw new Uncompilable();
        if ((f.directives?.length ?? 0) > 0) throw new Uncompilable();
        if (applies(schema, type, f.typeCondition.name.value))
          collect(schema, type, [f.selectionSet], fragments, into, seen);
      }
    }
  }
  return into;
}

function applies(schema: GraphQLSchema, type: GraphQLObjectType, condition: string): boolean {
  if (condition === type.name) return true;
  const t = schema.getType(condition);
  return !!t && (t.name === type.name || type.getInterfaces().some((i) => i.name === condition));
}
