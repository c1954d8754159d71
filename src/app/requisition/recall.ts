import type { Actor } from "../../domain/custody/actor.js";
import { nextStatus } from "../../domain/requisition/lifecycle.js";
import * as movementWrites from "../../db/repositories/movements.writes.js";
import * as requisitionWrites from "../../db/repositories/requisitions.writes.js";
import type { AppDeps } from "../deps.js";
import { requireText } from "../stock/facts.js";
import { type RequisitionCommand, requisitionCommand } from "./command.js";
import { allocationsOfRequest, assertCustodyOfSources, lockLotsAndBalances, transition } from "./facts.js";
import { returnLine } from "../stock/ledgerLines.js";
import { cameBack } from "./vehicles.js";

export interface RecallRequisitionInput extends RequisitionCommand {
  reason: string;
}

/**
 * The sender calls the vehicle back (车辆返回) before the receiver has counted it: a RETURN line per travelled lot
 * puts the stock back on the lot it left, so it is the lender's again (rule 5). Nothing is deleted: the dispatch's
 * TRANSFER_OUT lines stay, the requisition ends RECALLED with who and why in its timeline.
 */
export const recallRequisition = (deps: AppDeps, actor: Actor, input: RecallRequisitionInput) =>
  requisitionCommand(deps, actor, "recallRequisition", input, async (tx, loaded, now) => {
    // the requisition row is locked: a receipt racing this recall sees RECALLED and is refused, or wins first
    nextStatus(loaded.req.status, "RECALL");
    const reason = requireText(input.reason, "reason", "a reason");
    const travelled = (await allocationsOfRequest(tx, loaded)).filter(
      (a) => a.dispatchedAt !== null && a.releasedAt === null,
    );
    const lots = await lockLotsAndBalances(
      tx,
      travelled.map((a) => ({ countyId: a.countyId, id: a.lotId })),
    );
    const lotById = new Map(lots.map((l) => [l.id, l]));
    await assertCustodyOfSources(tx, actor, loaded.key.countyId, lots);
    const by = { actor, now };
    for (const a of travelled) {
      const lot = lotById.get(a.lotId)!;
      await movementWrites.appendMovement(
        tx,
        returnLine(lot, a.quantity, by, {
          reason: `requisition ${loaded.key.id} recalled: ${reason}`,
          requisitionId: loaded.key.id,
        }),
      );
    }
    await requisitionWrites.markReleased(tx, loaded.key.countyId, travelled, now);
    await cameBack(tx, loaded.key, now);
    return transition(tx, loaded, "RECALL", actor, now, reason);
  });
