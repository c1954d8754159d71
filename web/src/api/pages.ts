/** A page of a Relay connection, as every list query of the console asks for it. */
export interface Page<N> {
  nodes: N[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** The cursor to ask the next page after, or null on the last page. */
export const nextCursor = (p: Page<unknown>): string | null =>
  p.pageInfo.hasNextPage ? (p.pageInfo.endCursor ?? null) : null;

/** Every node of a connection, page after page (pickers and lists of a few hundred). */
export async function allPages<N>(fetch: (after: string | null) => Promise<Page<N>>): Promise<N[]> {
  const all: N[] = [];
  let after: string | null = null;
  do {
    const page: Page<N> = await fetch(after);
    all.push(...page.nodes);
    after = nextCursor(page);
  } while (after);
  return all;
}
