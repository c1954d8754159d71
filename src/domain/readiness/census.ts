/**
 * The share of depots counted in time, 0 to 1 to four decimals: the reporting rate a resource census measures. A
 * region without depots has nothing left uncounted.
 */
export function countedInTimeShare(depots: number, stale: number): number {
  if (depots === 0) return 1;
  return Math.round(((depots - stale) / depots) * 10_000) / 10_000;
}
