import { sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { rowsOf } from "../keys.js";
import { type sessions, signInFailures } from "../schema/index.js";

export type SessionRow = typeof sessions.$inferSelect;

export interface FailurePair {
  username: string;
  clientAddress: string;
}

/**
 * Whether the pair is locked at `now`: some failure in the last `lockMinutes` closed a run of `failures`
 * failures within `windowSeconds`.
 */
export async function isLocked(
  db: Executor,
  pair: FailurePair,
  now: Date,
  rule: { failures: number; windowSeconds: number; lockMinutes: number },
): Promise<boolean> {
  const since = new Date(now.getTime() - (rule.lockMinutes * 60 + rule.windowSeconds) * 1000);
  const lockedSince = new Date(now.getTime() - rule.lockMinutes * 60_000);
  const rows = rowsOf<{ locked: boolean }>(
    await db.execute(sql`
      select exists (
        select 1 from (
          select failed_at, count(*) over (
                   order by failed_at range between ${`${rule.windowSeconds} seconds`}::interval preceding
                   and current row) as n
            from ${signInFailures}
           where username = ${pair.username} and client_address = ${pair.clientAddress}
             and failed_at > ${since.toISOString()}::timestamptz and failed_at <= ${now.toISOString()}::timestamptz
        ) w where n >= ${rule.failures} and failed_at > ${lockedSince.toISOString()}::timestamptz
      ) as locked`),
  );
  return rows[0]?.locked === true;
}
