import type { Quantity } from "../../domain/shared/quantity.js";
import type { CalendarDate } from "../../domain/shared/calendar.js";
import type { Executor } from "../../db/client.js";
import { type CountyKey, keyString } from "../../db/keys.js";
import * as readiness from "../../db/reports/readiness.js";

export interface ItemQuantity {
  itemId: number;
  quantity: Quantity;
  lots: number;
}

export interface Counted {
  total: number;
  flagged: number;
}

export interface RegionReadiness {
  region: CountyKey;
  expired: ItemQuantity[];
  expiringWithin30Days: ItemQuantity[];
  serialisedUnits: Counted;
  rotations: Counted;
  loans: Counted;
  /** Open agreement call-ups to the region's depots (total) and those past due (flagged). */
  callUps: Counted;
  depots: Counted;
  /** Open emergency paperwork owed in the subtree, and how much of it is overdue. */
  paperwork: Counted;
  /** Agreement reserves in force that end within AGREEMENT_RENEWAL_DAYS, soonest first. */
  agreementsEnding: CountyKey[];
}

/** How far ahead readiness warns of an agreement reserve contract running out. */
export const AGREEMENT_RENEWAL_DAYS = 60;

export const DEFAULT_STALE_AFTER_DAYS = 90;

/**
 * Readiness of a page of regions, each over its whole subtree. Eight statements whatever the number of regions,
 * depots or lots: one per figure, grouped by region. Call-ups are judged late at `at` (`judgedAt`: now on today).
 */
export async function readinessOf(
  db: Executor,
  regions: readonly CountyKey[],
  asOf: CalendarDate,
  days: { staleAfterDays: number; paperworkDays: number },
  at: Date,
): Promise<RegionReadiness[]> {
  const { staleAfterDays, paperworkDays } = days;
  const [expired, expiring, units, rotations, loans, depots, ending, callUps, paperwork] = await Promise.all([
    readiness.expiredByRegion(db, regions, asOf),
    readiness.expiringByRegion(db, regions, asOf, 30),
    readiness.testRunsByRegion(db, regions, asOf),
    readiness.rotationsByRegion(db, regions),
    readiness.loansByRegion(db, regions, asOf),
    readiness.staleDepotsByRegion(db, regions, asOf, staleAfterDays),
    readiness.agreementsEndingByRegion(db, regions, asOf, AGREEMENT_RENEWAL_DAYS),
    readiness.callUpsByRegion(db, regions, at),
    readiness.paperworkByRegion(db, regions, asOf, paperworkDays),
  ]);
  const key = (r: { countyId: number; regionId: number }) => `${r.countyId}:${r.regionId}`;
  const quantities = (rows: readiness.ItemQuantityRow[]) => {
    const by = new Map<string, ItemQuantity[]>();
    for (const r of rows)
      by.set(key(r), [...(by.get(key(r)) ?? []), { itemId: r.itemId, quantity: r.quantity, lots: r.lots }]);
    return by;
  };
  const tally = (rows: readiness.RegionCountRow[]) =>
    new Map(rows.map((r) => [key(r), { total: r.total, flagged: r.flagged }]));
  const none: Counted = { total: 0, flagged: 0 };
  const [e, x, u, r, l, d, c, w] = [
    quantities(expired),
    quantities(expiring),
    tally(units),
    tally(rotations),
    tally(loans),
    tally(depots),
    tally(callUps),
    tally(paperwork),
  ];
  return regions.map((region) => {
    const k = keyString(region);
    return {
      region,
      expired: e.get(k) ?? [],
      expiringWithin30Days: x.get(k) ?? [],
      serialisedUnits: u.get(k) ?? none,
      rotations: r.get(k) ?? none,
      loans: l.get(k) ?? none,
      callUps: c.get(k) ?? none,
      depots: d.get(k) ?? none,
      paperwork: w.get(k) ?? none,
      agreementsEnding: ending
        .filter((a) => keyString({ countyId: a.countyId, id: a.regionId }) === k)
        .map((a) => ({ countyId: a.countyId, id: a.agreementId })),
    };
  });
}
