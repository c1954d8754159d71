import { actorCacheOf } from "../../db/actorCache.js";
import { catalogueOf } from "../../db/catalogueCache.js";
import type { Executor } from "../../db/client.js";
import { regionsOf } from "../../db/regionCache.js";
import * as auditWrites from "../../db/repositories/auditEvents.writes.js";
import type { Actor } from "../../domain/custody/actor.js";
import { decideAdministration } from "../../domain/custody/policy.js";
import { DomainError } from "../../domain/shared/errors.js";
import { quantitiesAsText } from "../../domain/shared/quantity.js";
import { command } from "../command.js";
import type { AppDeps } from "../deps.js";

/** What an administrative change says about itself in the audit log. */
export interface AuditEntry {
  targetType: string;
  targetId: number;
  before: unknown;
  after: unknown;
}

/** Records one audited change inside the command's transaction: the change and its log row commit together. */
export type Audit = (entry: AuditEntry) => Promise<void>;

/** Which in-process copies an administrative change makes stale. */
export interface Invalidates {
  actors?: boolean;
  regions?: boolean;
  catalogue?: boolean;
}

/**
 * One administrative use case: the administrator of the county (custody rule 1, docs/custody-rules.md), one
 * transaction under the idempotency key, every change written to audit_events in the same transaction. An
 * administrator of another county gets NOT_FOUND, exactly as if the county did not exist. After commit, the copies
 * this process keeps of viewers, regions or the catalogue are dropped so the next request reads the change.
 */
export async function adminCommand<I extends { idempotencyKey?: string | null | undefined }, T>(
  deps: AppDeps,
  actor: Actor,
  operation: string,
  countyId: number,
  input: I,
  invalidates: Invalidates,
  work: (tx: Executor, now: Date, audit: Audit) => Promise<T>,
): Promise<T> {
  if (!decideAdministration(actor, countyId).allowed) {
    throw new DomainError("NOT_FOUND", "no such county", null);
  }
  const result = await command(deps, actor, operation, countyId, input, (tx, now) =>
    work(tx, now, auditIn(tx, actor, countyId, operation, now)),
  );
  const db = deps.database.db;
  if (invalidates.actors) actorCacheOf(db).clear();
  if (invalidates.regions) regionsOf(db).clear();
  if (invalidates.catalogue) catalogueOf(db).invalidate();
  return result;
}

/**
 * The audit writer of one command's transaction. Administrative changes that are not an administrator's (the
 * county's reserve norms) use it directly, so every change to the county's set-up lands in the same log.
 */
export function auditIn(tx: Executor, actor: Actor, countyId: number, operation: string, now: Date): Audit {
  return (entry) =>
    auditWrites.append(tx, {
      countyId,
      actorId: actor.userId,
      occurredAt: now,
      action: operation,
      targetType: entry.targetType,
      targetId: entry.targetId,
      before: jsonOrNull(entry.before),
      after: jsonOrNull(entry.after),
    });
}

/** Rows carry Dates, bigints-as-numbers and Quantities; the log keeps them as JSON, with no secret ever passed in. */
const jsonOrNull = (v: unknown): unknown =>
  v === undefined || v === null ? null : JSON.parse(JSON.stringify(v, quantitiesAsText));
