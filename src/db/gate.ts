import { ServiceUnavailableError } from "../shared/unavailable.js";

/** How long one use of the database may wait. */
export interface DatabaseBounds {
  /** PostgreSQL's statement_timeout, and the client's own deadline for a statement it sent. */
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  /** Longest wait for a free connection of the pool. */
  acquireTimeoutMs: number;
}

export const DEFAULT_BOUNDS: DatabaseBounds = {
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 15_000,
  idleInTransactionTimeoutMs: 60_000,
  acquireTimeoutMs: 10_000,
};

/**
 * A counting semaphore in front of the pool. postgres.js queues without end when every connection is busy, and a
 * connection whose server stopped answering stays busy for as long as the outage: here a use waits a bounded
 * time, and a slot is given back only when the connection really is free. How many requests may wait at all is
 * bounded in front of them (MAX_QUEUED_REQUESTS, http/server.ts): a request's statements are many and concurrent.
 */
export class Gate {
  private inUse = 0;
  private readonly waiting: { grant: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(
    private readonly size: number,
    private readonly bounds: DatabaseBounds,
  ) {}

  /**
   * Runs `use` on a slot, which is given back when `use`'s work really settles; the caller hears from `answer`,
   * which may give up sooner.
   */
  async run<T>(use: () => { work: Promise<unknown>; answer: Promise<T> }): Promise<T> {
    await this.acquire();
    let started: { work: Promise<unknown>; answer: Promise<T> };
    try {
      started = use();
    } catch (e) {
      this.release();
      throw e;
    }
    void started.work.then(
      () => this.release(),
      () => this.release(),
    );
    return started.answer;
  }

  stats(): { inUse: number; waiting: number } {
    return { inUse: this.inUse, waiting: this.waiting.length };
  }

  private acquire(): Promise<void> {
    if (this.inUse < this.size) {
      this.inUse += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => {
          clearTimeout(entry.timer);
          resolve();
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          reject(new ServiceUnavailableError("no database connection became free in time"));
        }, this.bounds.acquireTimeoutMs),
      };
      this.waiting.push(entry);
    });
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.grant();
    else this.inUse -= 1;
  }
}

/** `work`, or a ServiceUnavailableError once `ms` have passed; `work` goes on and is only no longer awaited. */
export function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ServiceUnavailableError(message)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
