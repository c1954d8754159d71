/**
 * A map whose entries each hold until a given instant, bounded in size: when full, the entry written longest ago
 * goes. The short-lived memories of a process (verified tokens, viewers, region rows) are all this shape; none of
 * them may grow without bound or answer past its lifetime.
 */
export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, { value: V; until: number }>();

  constructor(
    private readonly capacity: number,
    private readonly now: () => number,
  ) {}

  /** The value, or undefined when absent or past its instant (an expired entry is dropped). */
  get(key: K): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (this.now() < hit.until) return hit.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: K, value: V, until: number): void {
    // written again, an entry moves to the back of the eviction order
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, until });
  }

  clear(): void {
    this.entries.clear();
  }
}
