import type { Executor } from "./client.js";
import { type CountyKey, keyString } from "./keys.js";
import { ExpiringMap } from "../shared/expiringMap.js";
import { perDatabase } from "./perDatabase.js";
import * as regions from "./repositories/regions.js";

/**
 * How long a replica trusts a region row it has read. Regions change rarely (an administrator renames one or
 * corrects a population, and clears this process's copy); the lifetime bounds how long other processes take to
 * see such a change.
 */
export const REGION_TTL_MS = 60_000;
/** A province has a few thousand regions per county; beyond this the rows read longest ago go. */
const MAX_ENTRIES = 200_000;

/**
 * Region rows held in memory per database, read on first use. Nearly every answer names a region (a depot's, a
 * requisition's, the one a question is about), and the rows rarely change: serving them from memory takes one or
 * two statements off most requests. A region not held yet is read at once, so a county provisioned a moment ago
 * is found; nothing is remembered about a key that has no row.
 */
export class RegionCache {
  private readonly entries: ExpiringMap<string, regions.RegionRow>;

  constructor(
    private readonly db: Executor,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new ExpiringMap(MAX_ENTRIES, now);
  }

  /** The rows of these keys, in their order; null where no region has that key. */
  async rows(keys: readonly CountyKey[]): Promise<(regions.RegionRow | null)[]> {
    // the answer is built from what this call saw, so rows another call evicts meanwhile are still answered
    const found = new Map<string, regions.RegionRow>();
    const missing: CountyKey[] = [];
    for (const k of keys) {
      const row = this.entries.get(keyString(k));
      if (row) found.set(keyString(k), row);
      else missing.push(k);
    }
    if (missing.length > 0) {
      const until = this.now() + REGION_TTL_MS;
      for (const row of await regions.findByKeys(this.db, missing)) {
        found.set(keyString(row), row);
        this.entries.set(keyString(row), row, until);
      }
    }
    return keys.map((k) => found.get(keyString(k)) ?? null);
  }

  /** Forget every row (after provisioning in this process). */
  clear(): void {
    this.entries.clear();
  }
}

/** The one region copy of a database handle. */
export const regionsOf = perDatabase((db) => new RegionCache(db));
