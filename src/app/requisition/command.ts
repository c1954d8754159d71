import type { Actor } from "../../domain/custody/actor.js";
import { DomainError } from "../../domain/shared/errors.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import { command } from "../command.js";
import type { AppDeps } from "../deps.js";
import { type LoadedRequisition, lockVisible, speaksFor } from "./facts.js";

export interface RequisitionCommand {
  requisition: CountyKey;
  idempotencyKey?: string | null;
}

/**
 * Runs one command on a locked, visible requisition in one transaction, under its idempotency key. Every
 * requisition command goes through here, so the lock order (requisition, then lots by id) is the same for all.
 */
export function requisitionCommand<I extends RequisitionCommand, T>(
  deps: AppDeps,
  actor: Actor,
  operation: string,
  input: I,
  work: (tx: Executor, loaded: LoadedRequisition, now: Date) => Promise<T>,
): Promise<T> {
  return command(deps, actor, operation, input.requisition.countyId, input, async (tx, now) =>
    work(tx, await lockVisible(tx, actor, input.requisition), now),
  );
}

export function assertRequester(actor: Actor, { req }: LoadedRequisition): void {
  if (!speaksFor(actor, req.countyId, req.requestingRegionId, req.countyId)) {
    throw new DomainError("FORBIDDEN", "only the requesting office may do this", ["requisitionId"]);
  }
}

export function approvalFacts({ req, approvals }: LoadedRequisition) {
  return {
    countyId: req.countyId,
    countyRegionId: req.countyId,
    supplyingRegionId: req.supplyingRegionId,
    supplierIsCounty: req.supplyingRegionId === req.countyId,
    escalated: req.escalatedFromId !== null,
    priority: req.priority,
    createdBy: req.createdBy,
    approvals,
  };
}
