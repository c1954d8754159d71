/** How much expensive-question cost one caller may spend in a window. */
export interface BudgetSettings {
  /** Cost units per window; see ROOT_FIELD_COST in limits.ts. */
  budget: number;
  windowMs: number;
}

interface Spent {
  windowStart: number;
  spent: number;
}

/**
 * A fixed window per caller, in this process's memory: several processes each give the full budget, which is
 * acceptable because the point is that one caller cannot keep a process busy with county-wide sums.
 */
export class QueryBudget {
  private readonly spent = new Map<string, Spent>();

  constructor(
    private readonly settings: BudgetSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** Charges `cost` to `caller`; refuses with the seconds until the window resets when it would exceed. */
  charge(caller: string, cost: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    let entry = this.spent.get(caller);
    if (!entry || now - entry.windowStart >= this.settings.windowMs) {
      this.forgetExpired(now);
      entry = { windowStart: now, spent: 0 };
      this.spent.set(caller, entry);
    }
    if (entry.spent + cost > this.settings.budget) {
      const left = entry.windowStart + this.settings.windowMs - now;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(left / 1000)) };
    }
    entry.spent += cost;
    return { ok: true };
  }

  // many distinct anonymous addresses must not grow the map without bound
  private forgetExpired(now: number): void {
    if (this.spent.size < 10_000) return;
    for (const [caller, entry] of this.spent) {
      if (now - entry.windowStart >= this.settings.windowMs) this.spent.delete(caller);
    }
  }
}
