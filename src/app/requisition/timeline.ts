import type { Actor } from "../../domain/custody/actor.js";
import type { RequisitionStatus } from "../../domain/requisition/requisition.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import * as requisitionWrites from "../../db/repositories/requisitions.writes.js";
import type * as requisitions from "../../db/repositories/requisitions.js";

/** A timeline entry: the status a requisition left (null when it is new) and the one it reached, and why. */
export interface Step {
  from: RequisitionStatus | null;
  to: RequisitionStatus;
  note: string;
}

/** Every timeline entry is written here, so each says who acted and at the command's one instant (decision 41). */
export function recordStep(tx: Executor, of: CountyKey, step: Step, actor: Actor, at: Date): Promise<void> {
  return requisitionWrites.recordEvent(tx, {
    countyId: of.countyId,
    requisitionId: of.id,
    fromStatus: step.from,
    toStatus: step.to,
    actorId: actor.userId,
    note: step.note,
    occurredAt: at,
  });
}

/** What happened to a requisition that leaves its status where it was (an approval awaiting the county, a settlement). */
export const recordNote = (
  tx: Executor,
  req: requisitions.RequisitionRow,
  note: string,
  actor: Actor,
  at: Date,
): Promise<void> => recordStep(tx, req, { from: req.status, to: req.status, note }, actor, at);

/** A new requisition with its lines, and the first entry of its timeline (a draft created, a shortfall escalated). */
export async function openRequisition(
  tx: Executor,
  row: Parameters<typeof requisitionWrites.insert>[1] & { createdAt: Date },
  lines: Parameters<typeof requisitionWrites.insert>[2],
  note: string,
  actor: Actor,
): Promise<requisitions.RequisitionRow> {
  const opened = await requisitionWrites.insert(tx, row, lines);
  await recordStep(tx, opened, { from: null, to: opened.status, note }, actor, row.createdAt);
  return opened;
}
