/** Keyset pagination over ascending ids: `after` is the last id the client saw. */
export interface PageRequest {
  first: number;
  afterId: number | null;
}

export interface Page<T> {
  rows: T[];
  hasNextPage: boolean;
}

/** Callers fetch first + 1 rows; the extra one only tells whether another page exists. */
export function toPage<T>(rows: T[], first: number): Page<T> {
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
}
