import type { Executor } from "./client.js";
import { ExpiringMap } from "../shared/expiringMap.js";
import { perDatabase } from "./perDatabase.js";
import * as users from "./repositories/users.js";

type Loaded = NonNullable<Awaited<ReturnType<typeof users.loadActor>>>;

/** Enough for every user of a province many times over; beyond it the oldest entry goes. */
const MAX_ENTRIES = 10_000;

/**
 * Viewers (user, grants, kept depots) remembered for a few seconds per username. Every request needs its viewer
 * before anything else, and grants change by administration, not by the second: a short memory takes a statement
 * off nearly every request, and a revoked grant still stops working within the lifetime. Unknown usernames are
 * never remembered, so a user created a moment ago can sign in at once.
 */
export class ActorCache {
  private readonly entries: ExpiringMap<string, Loaded>;

  constructor(
    private readonly db: Executor,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.entries = new ExpiringMap(MAX_ENTRIES, now);
  }

  async load(username: string, ttlMs: number): Promise<Loaded | null> {
    const hit = ttlMs > 0 ? this.entries.get(username) : undefined;
    if (hit) return hit;
    const at = this.now();
    const value = await users.loadActor(this.db, username);
    if (value && ttlMs > 0) this.entries.set(username, value, at + ttlMs);
    return value;
  }

  /** Forget everyone: grants or keepers changed in this process. */
  clear(): void {
    this.entries.clear();
  }
}

/** The one memory of viewers of a database handle. */
export const actorCacheOf = perDatabase((db) => new ActorCache(db));
