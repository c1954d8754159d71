import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/** What executing an operation would visit, with every fragment spread expanded in place. */
export interface DocumentSize {
  /** Fields the expanded operation selects, `__typename` and introspection included. */
  nodes: number;
  /** Nesting of fields outside introspection. */
  depth: number;
  /** Fields selected under an alias. */
  aliases: number;
}

const EMPTY: DocumentSize = { nodes: 0, depth: 0, aliases: 0 };

/**
 * Measures an operation in time linear in the document: each fragment is measured once and its size reused at
 * every spread. Walking the expanded tree instead takes exponential time on a document of fragments that each
 * spread the one before twice. The sizes may grow huge (plain numbers, no overflow below 2^1024): the caller
 * compares them with limits before anything walks the expanded tree.
 */
export function documentSize(document: DocumentNode, operation: OperationDefinitionNode): DocumentSize {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const measured = new Map<string, DocumentSize>();

  function fragmentSize(name: string): DocumentSize {
    const known = measured.get(name);
    if (known) return known;
    // a cycle is refused by validation before this runs; counting it as empty keeps the walk finite regardless
    measured.set(name, EMPTY);
    const size = setSize(fragments.get(name)?.selectionSet);
    measured.set(name, size);
    return size;
  }

  function setSize(set: SelectionSetNode | undefined): DocumentSize {
    const total = { nodes: 0, depth: 0, aliases: 0 };
    for (const sel of set?.selections ?? []) {
      let part: DocumentSize;
      if (sel.kind === Kind.FIELD) {
        const inner = setSize(sel.selectionSet);
        const introspection = sel.name.value.startsWith("__");
        part = {
          nodes: 1 + inner.nodes,
          depth: introspection ? 0 : 1 + inner.depth,
          aliases: (sel.alias ? 1 : 0) + inner.aliases,
        };
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        part = setSize(sel.selectionSet);
      } else {
        part = fragmentSize(sel.name.value);
      }
      total.nodes += part.nodes;
      total.aliases += part.aliases;
      total.depth = Math.max(total.depth, part.depth);
    }
    return total;
  }

  return setSize(operation.selectionSet);
}
