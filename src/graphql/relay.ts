import { GraphQLError } from "graphql";
import { ArgsType, type ClassType, Field, Int, ObjectType } from "type-graphql";
import type { PageRequest } from "../db/repositories/page.js";

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ObjectType({ description: "Relay page information." })
export class PageInfo {
  @Field(() => Boolean, { description: "Whether another page follows this one." })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: "Always false: lists page forward only." })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "Cursor of the first edge, null on an empty page." })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Cursor of the last edge; pass it as `after` for the next page.",
  })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `How many to return, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`,
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: "Return the items after this cursor (an `endCursor`).",
  })
  after?: string | null;
}

const CURSOR_PREFIX = "cursor:v1:";

export const encodeCursor = (id: number): string =>
  Buffer.from(`${CURSOR_PREFIX}${id}`).toString("base64url");

/** Validates page arguments; a malformed cursor or size is the client's mistake, said plainly. */
export function toPageRequest(args: PageArgs): PageRequest {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new GraphQLError(`first must be between 1 and ${MAX_PAGE_SIZE}`, {
      extensions: { code: "BAD_USER_INPUT", argument: "first" },
    });
  }
  if (args.after == null) return { first, afterId: null };
  const raw = Buffer.from(args.after, "base64url").toString("utf8");
  const id = raw.startsWith(CURSOR_PREFIX) ? raw.slice(CURSOR_PREFIX.length) : "";
  if (!/^[1-9]\d{0,15}$/.test(id)) {
    throw new GraphQLError("after is not a cursor this list gave out", {
      extensions: { code: "BAD_USER_INPUT", argument: "after" },
    });
  }
  return { first, afterId: Number(id) };
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
}

export function toConnection<R extends { id: number }, T>(
  page: { rows: R[]; hasNextPage: boolean },
  shape: (row: R) => T,
): ConnectionShape<T> {
  return toKeyConnection(page, (r) => encodeCursor(r.id), shape);
}

/** Builds `XConnection` and `XEdge` types for a node type. */
export function Connection<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { description: `An edge in a ${name} connection.` })
  class Edge {
    @Field(() => String, { description: "Opaque cursor of this edge." })
    cursor!: string;

    @Field(() => nodeType, { description: "The item at the end of the edge." })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items.` })
  class ConnectionType {
    @Field(() => [Edge], { description: "Edges of this page." })
    edges!: Edge[];

    @Field(() => [nodeType], { description: "The nodes of this page, without cursors." })
    nodes!: T[];

    @Field(() => PageInfo, { description: "Where this page stands." })
    pageInfo!: PageInfo;
  }
  return ConnectionType;
}

const KEY_PREFIX = "key:v1:";

/** A cursor over a composite sort key, e.g. (expiry date, id). */
export const encodeKeyCursor = (parts: readonly (string | number)[]): string =>
  Buffer.from(`${KEY_PREFIX}${parts.join("|")}`).toString("base64url");

export function decodeKeyCursor(after: string | null | undefined, arity: number): string[] | null {
  if (after == null) return null;
  const raw = Buffer.from(after, "base64url").toString("utf8");
  const parts = raw.startsWith(KEY_PREFIX) ? raw.slice(KEY_PREFIX.length).split("|") : [];
  if (parts.length !== arity || parts.some((p) => p.length === 0)) {
    throw new GraphQLError("after is not a cursor this list gave out", {
      extensions: { code: "BAD_USER_INPUT", argument: "after" },
    });
  }
  return parts;
}

export function pageSize(args: PageArgs): number {
  return toPageRequest({ first: args.first }).first;
}

/**
 * One page of a list already computed in memory (coverage, gaps, the rotation plan), after the row whose key the
 * cursor holds; `keyOf` gives the same values the list's cursors are encoded from. A cursor naming no row any more
 * starts again at the top.
 */
export function pageInMemory<R>(
  rows: readonly R[],
  page: PageArgs,
  arity: number,
  keyOf: (row: R) => readonly (string | number | null)[],
): { rows: R[]; hasNextPage: boolean } {
  const after = decodeKeyCursor(page.after, arity)?.join("|");
  const start = after === undefined ? 0 : rows.findIndex((r) => keyOf(r).join("|") === after) + 1;
  const first = pageSize(page);
  return { rows: rows.slice(start, start + first), hasNextPage: start + first < rows.length };
}

/** A connection over rows whose cursors are computed from each row. */
export function toKeyConnection<R, T>(
  page: { rows: R[]; hasNextPage: boolean },
  cursorOf: (row: R) => string,
  shape: (row: R) => T,
): ConnectionShape<T> {
  const edges = page.rows.map((r) => ({ cursor: cursorOf(r), node: shape(r) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
