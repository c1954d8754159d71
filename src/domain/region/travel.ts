/** A mutual-aid link between two regions with its travel time. */
export interface Link {
  from: number;
  to: number;
  minutes: number;
}

/**
 * Shortest travel minutes from one region to every region reachable over mutual-aid links (Dijkstra; the link
 * graph of a county is a few dozen townships, so a linear scan for the next closest is plenty).
 */
export function travelMinutesFrom(origin: number, links: readonly Link[]): Map<number, number> {
  const adjacent = new Map<number, Link[]>();
  for (const l of links) adjacent.set(l.from, [...(adjacent.get(l.from) ?? []), l]);
  const best = new Map<number, number>([[origin, 0]]);
  const done = new Set<number>();
  for (;;) {
    let next: number | null = null;
    for (const [region, minutes] of best) {
      if (
        !done.has(region) &&
        (next === null || minutes < best.get(next)! || (minutes === best.get(next)! && region < next))
      ) {
        next = region;
      }
    }
    if (next === null) return best;
    done.add(next);
    for (const l of adjacent.get(next) ?? []) {
      const via = best.get(next)! + l.minutes;
      if (via < (best.get(l.to) ?? Infinity)) best.set(l.to, via);
    }
  }
}
