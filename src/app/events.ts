import type { Logger } from "pino";
import { dateInZone } from "../domain/shared/calendar.js";
import type { Executor, Unlisten } from "../db/client.js";
import { EVENTS_CHANNEL, notify } from "../db/events.js";
import type { CountyKey } from "../db/keys.js";
import * as requisitionWrites from "../db/repositories/requisitions.writes.js";
import { NOTICE_KINDS, type NoticeKind } from "../domain/requisition/notices.js";
import { type AppDeps, inTransaction } from "./deps.js";

/** One event as it travels between processes: the topic and ids, never rows (NOTIFY payloads stay small). */
export interface RequisitionNotice {
  topic: "requisition";
  kind: NoticeKind;
  countyId: number;
  requisitionId: number;
  /** ISO instant of the command that caused it. */
  at: string;
}

/**
 * Tells whoever may read the requisition what just happened to it, inside the command's transaction: heard after
 * COMMIT, never after a rollback or a refusal. Called once per event by the use case that causes it.
 */
export function announce(
  tx: Executor,
  kind: NoticeKind,
  requisition: CountyKey | readonly CountyKey[],
  at: Date,
): Promise<void> {
  const notices = (Array.isArray(requisition) ? requisition : [requisition]).map(
    (r: CountyKey): RequisitionNotice => ({
      topic: "requisition",
      kind,
      countyId: r.countyId,
      requisitionId: r.id,
      at: at.toISOString(),
    }),
  );
  return notify(tx, ...notices);
}

/**
 * Loans that became overdue since anyone last looked, told once each to both sides and the county (rule 8). The
 * service calls it periodically with its clock's `now`; the told mark is written in the same transaction as the
 * NOTIFY, so neither a second process nor a second check tells it again. Answers how many requisitions were told.
 */
export function announceOverdueLoans(deps: AppDeps, now: Date): Promise<number> {
  return inTransaction(deps, async (tx) => {
    const requisitions = await requisitionWrites.markOverdueNoticed(tx, dateInZone(now), now);
    await announce(tx, "LOAN_OVERDUE", requisitions, now);
    return requisitions.length;
  });
}

/**
 * Hears every process's notices (its own included: nothing is dispatched locally on publish, so every process
 * sees one order, the database's). A payload that is not a notice is logged and dropped. After the listening
 * connection re-opens, nothing is replayed: what was sent meanwhile is lost, and a client that must not miss an
 * event re-reads the requisitions it shows when its socket reconnects (decision 47).
 */
export function listenForNotices(
  deps: AppDeps,
  logger: Logger,
  onNotice: (notice: RequisitionNotice) => void,
): Promise<Unlisten> {
  return deps.database.listen(
    EVENTS_CHANNEL,
    (payload) => {
      const notice = parseNotice(payload);
      if (notice) onNotice(notice);
      else logger.warn({ payload: payload.slice(0, 200) }, "an event that is no notice was dropped");
    },
    () => logger.debug({ channel: EVENTS_CHANNEL }, "listening for live notices"),
  );
}

function parseNotice(payload: string): RequisitionNotice | null {
  try {
    const n = JSON.parse(payload) as Partial<RequisitionNotice>;
    const known = n.topic === "requisition" && (NOTICE_KINDS as readonly unknown[]).includes(n.kind);
    const ids = Number.isSafeInteger(n.countyId) && Number.isSafeInteger(n.requisitionId);
    return known && ids && typeof n.at === "string" ? (n as RequisitionNotice) : null;
  } catch {
    return null;
  }
}
