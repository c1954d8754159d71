import type { Executor } from "./client.js";
import { perDatabase } from "./perDatabase.js";
import { items, units } from "./schema/index.js";
import { findItemsByIds, findUnits, type ItemRow, type UnitRow } from "./repositories/catalogue.js";

/** How long a replica trusts its copy of the catalogue; items and units change by release, not by the minute. */
export const CATALOGUE_TTL_MS = 60_000;
/** A miss reloads at most this often, so a stream of unknown ids cannot turn into a stream of reloads. */
const MISS_RELOAD_MS = 1_000;

interface Snapshot {
  at: number;
  items: Map<number, ItemRow>;
  units: Map<string, UnitRow>;
}

/**
 * The catalogue (items and units) held in memory per database. They are reference tables, the same for every
 * county and tiny beside the ledger, yet nearly every answer names an item: reading them once a minute instead of
 * once a request takes a statement off most requests. A miss (an item added since) reloads at once.
 */
export class CatalogueCache {
  private snapshot: Snapshot | null = null;
  private loading: Promise<Snapshot> | null = null;

  constructor(
    private readonly db: Executor,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `via` is the executor to load through when a load is due: a command passes its transaction, since on the
   * embedded engine a read outside an open transaction would wait for it to end.
   */
  async items(ids: readonly number[], via: Executor = this.db): Promise<(ItemRow | null)[]> {
    let s = await this.current(via);
    if (ids.some((id) => !s.items.has(id)) && this.now() - s.at > MISS_RELOAD_MS) s = await this.reload(via);
    const extra = await this.fetchMissing(
      s.items,
      ids,
      (missing) => findItemsByIds(via, missing),
      (r) => r.id,
      via,
    );
    return ids.map((id) => s.items.get(id) ?? extra.get(id) ?? null);
  }

  async units(codes: readonly string[], via: Executor = this.db): Promise<(UnitRow | null)[]> {
    let s = await this.current(via);
    if (codes.some((c) => !s.units.has(c)) && this.now() - s.at > MISS_RELOAD_MS) s = await this.reload(via);
    const extra = await this.fetchMissing(
      s.units,
      codes,
      (missing) => findUnits(via, missing),
      (r) => r.code,
      via,
    );
    return codes.map((c) => s.units.get(c) ?? extra.get(c) ?? null);
  }

  /**
   * What is still missing after a reload (or within a second of one) is read on its own: an item added a moment
   * ago through another process is found at once. Read outside a transaction it is kept; read inside a command's
   * transaction it is only lent to that command, which may yet roll back the row it sees.
   */
  private async fetchMissing<K, R>(
    held: Map<K, R>,
    keys: readonly K[],
    read: (missing: K[]) => Promise<R[]>,
    keyOf: (row: R) => K,
    via: Executor,
  ): Promise<Map<K, R>> {
    const missing = [...new Set(keys.filter((k) => !held.has(k)))];
    if (missing.length === 0) return new Map();
    const found = new Map((await read(missing)).map((row) => [keyOf(row), row]));
    if (via === this.db) for (const [k, row] of found) held.set(k, row);
    return found;
  }

  /** Forget the copy: the next read loads afresh (after a seed or a catalogue change in this process). */
  invalidate(): void {
    this.snapshot = null;
  }

  private current(via: Executor): Promise<Snapshot> {
    const s = this.snapshot;
    if (s && this.now() - s.at < CATALOGUE_TTL_MS) return Promise.resolve(s);
    return this.reload(via);
  }

  private reload(via: Executor): Promise<Snapshot> {
    // concurrent requests share one load
    this.loading ??= (async () => {
      try {
        const at = this.now();
        const [itemRows, unitRows] = await Promise.all([via.select().from(items), via.select().from(units)]);
        this.snapshot = {
          at,
          items: new Map(itemRows.map((r) => [r.id, r])),
          units: new Map(unitRows.map((r) => [r.code, r])),
        };
        return this.snapshot;
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }
}

/** The one cache of a database handle. */
export const catalogueOf = perDatabase((db) => new CatalogueCache(db));
