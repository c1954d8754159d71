import type { Actor } from "../../domain/custody/actor.js";
import { approvalLevelFor } from "../../domain/requisition/approval.js";
import { DomainError } from "../../domain/shared/errors.js";
import { unmetLines } from "../../domain/requisition/escalation.js";
import type { Executor } from "../../db/client.js";
import * as requisitionWrites from "../../db/repositories/requisitions.writes.js";
import * as requisitions from "../../db/repositories/requisitions.js";
import type { AppDeps } from "../deps.js";
import { announce } from "../events.js";
import { requireText } from "../stock/facts.js";
import { approvalFacts, assertRequester, type RequisitionCommand, requisitionCommand } from "./command.js";
import { heldAllocations, type LoadedRequisition, transition } from "./facts.js";
import { openRequisition } from "./timeline.js";

export const submitRequisition = (
  deps: AppDeps,
  actor: Actor,
  input: RequisitionCommand & { note?: string | null },
) =>
  requisitionCommand(deps, actor, "submitRequisition", input, async (tx, loaded, now) => {
    assertRequester(actor, loaded);
    const row = await transition(tx, loaded, "SUBMIT", actor, now, input.note?.trim() || "submitted");
    await announce(tx, "SUBMITTED", loaded.key, now);
    return row;
  });

/** The office whose turn it is to approve is the one that may refuse. */
export const rejectRequisition = (
  deps: AppDeps,
  actor: Actor,
  input: RequisitionCommand & { reason: string },
) =>
  requisitionCommand(deps, actor, "rejectRequisition", input, async (tx, loaded, now) => {
    const reason = requireText(input.reason, "reason", "a reason");
    if (loaded.req.status === "SUBMITTED") approvalLevelFor(actor, approvalFacts(loaded));
    const row = await transition(tx, loaded, "REJECT", actor, now, reason);
    await announce(tx, "REJECTED", loaded.key, now);
    return row;
  });

/**
 * Before dispatch a request may be withdrawn and every hold goes back to the lender; after dispatch the stock is on
 * the road and must be received (INVALID_TRANSITION).
 */
export const cancelRequisition = (
  deps: AppDeps,
  actor: Actor,
  input: RequisitionCommand & { reason: string },
) =>
  requisitionCommand(deps, actor, "cancelRequisition", input, async (tx, loaded, now) => {
    assertRequester(actor, loaded);
    const reason = requireText(input.reason, "reason", "a reason");
    const row = await transition(tx, loaded, "CANCEL", actor, now, reason);
    await requisitionWrites.release(tx, loaded.key.countyId, await heldAllocations(tx, loaded), now);
    return row;
  });

/**
 * What a neighbour refused, or approved only in part, goes to the county as a new request for what is still
 * missing (超出处置能力时向上级请求支援). The original keeps its own history.
 */
export const escalateRequisition = (
  deps: AppDeps,
  actor: Actor,
  input: RequisitionCommand & { reason: string },
) =>
  requisitionCommand(deps, actor, "escalateRequisition", input, async (tx, loaded, now) => {
    assertRequester(actor, loaded);
    await assertNotYetEscalated(tx, loaded);
    const reason = requireText(input.reason, "reason", "a reason");
    const unmet = unmetLines(loaded.req.status, loaded.lines);
    await transition(tx, loaded, "ESCALATE", actor, now, reason);
    const { req } = loaded;
    const escalated = await openRequisition(
      tx,
      {
        countyId: req.countyId,
        requestingRegionId: req.requestingRegionId,
        supplyingRegionId: req.countyId,
        destinationDepotId: req.destinationDepotId,
        priority: req.priority,
        status: "SUBMITTED",
        neededBy: req.neededBy,
        reason,
        incident: req.incident,
        escalatedFromId: req.id,
        createdBy: actor.userId,
        createdAt: now,
      },
      unmet.map((l) => ({ itemId: l.itemId, requestedQuantity: l.quantity })),
      `escalated from requisition ${req.id}: ${reason}`,
      actor,
    );
    // the county hears of the new request it is to approve, as of any submitted one
    await announce(tx, "SUBMITTED", escalated, now);
    return escalated;
  });

/** A request with the county already, or escalated once already, goes no higher. */
async function assertNotYetEscalated(tx: Executor, { req, key }: LoadedRequisition): Promise<void> {
  if (req.supplyingRegionId === req.countyId) {
    throw new DomainError("INVALID_TRANSITION", "the request is already with the county", ["requisitionId"]);
  }
  const [already] = await requisitions.escalationsOf(tx, [key]);
  if (already) {
    throw new DomainError(
      "INVALID_TRANSITION",
      `this shortfall is already with the county as requisition ${already.id}`,
      ["requisitionId"],
    );
  }
}
