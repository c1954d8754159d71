import type { Actor } from "../../domain/custody/actor.js";
import type { RejectedDisposition } from "../../domain/requisition/discrepancy.js";
import { spreadAccepted } from "../../domain/requisition/receipt.js";
import { type Quantity, sum } from "../../domain/shared/quantity.js";
import type { Executor } from "../../db/client.js";
import type * as lotReads from "../../db/repositories/lots.js";
import * as movementWrites from "../../db/repositories/movements.writes.js";
import * as requisitionWrites from "../../db/repositories/requisitions.writes.js";
import type * as requisitions from "../../db/repositories/requisitions.js";
import { transferInLine } from "../stock/ledgerLines.js";
import { insertLotCopy } from "../stock/lotCopy.js";
import { sendReturnLegs } from "./returnLeg.js";

/** Where a receipt writes: the receiving requisition, in the command's transaction, by whom and when. */
export interface AtDestination {
  tx: Executor;
  actor: Actor;
  req: requisitions.RequisitionRow;
  now: Date;
}

/** One travelled lot's share of a line's count, as the receiver records it against the lot it left. */
export interface CountedPart {
  lineId: number;
  allocationId: number;
  source: lotReads.LotRow;
}

/** A lot copy at the destination filled by one TRANSFER_IN line; nothing when the quantity is zero. */
export async function bookIn(
  { tx, actor, req, now }: AtDestination,
  source: lotReads.LotRow,
  quantity: Quantity,
  condition: "QUARANTINED" | undefined,
  why: string,
): Promise<lotReads.LotRow | null> {
  if (quantity <= 0n) return null;
  const lot = await insertLotCopy(tx, source, {
    depotId: req.destinationDepotId,
    ...(condition ? { condition } : {}),
  });
  await movementWrites.appendMovement(
    tx,
    transferInLine(
      lot,
      quantity,
      { actor, now },
      { reason: `requisition ${req.id} ${why}`, requisitionId: req.id },
    ),
  );
  return { ...lot, onHand: quantity };
}

/**
 * Rejected stock, booked in quarantine as `held`, is a discrepancy. Sent back at once, the return leg carries it,
 * and the leg's own count settles what arrives.
 */
export async function recordRejected(
  at: AtDestination,
  part: CountedPart,
  r: { held: lotReads.LotRow; quantity: Quantity; why: string; disposition: RejectedDisposition },
): Promise<void> {
  const { tx, actor, req, now } = at;
  const lenderDepotId = part.source.depotId;
  const legs =
    r.disposition === "RETURN"
      ? await sendReturnLegs(
          tx,
          actor,
          req,
          [{ lot: r.held, quantity: r.quantity, lenderDepotId }],
          now,
          r.why,
        )
      : null;
  await requisitionWrites.recordDiscrepancy(tx, {
    ...discrepancyOf(at, part),
    kind: "REJECTED",
    quantity: r.quantity,
    reason: r.why,
    disposition: r.disposition,
    lotId: r.held.id,
    ...(legs
      ? {
          returnRequisitionId: legs.get(lenderDepotId)!,
          settlement: "RETURNED" as const,
          settlementNote: "sent back on arrival",
          settledBy: actor.userId,
          settledAt: now,
        }
      : {}),
  });
}

/** What did not arrive stays an open discrepancy, with what is known of it, until it is settled. */
export const recordMissing = (at: AtDestination, part: CountedPart, quantity: Quantity, reason: string) =>
  requisitionWrites.recordDiscrepancy(at.tx, {
    ...discrepancyOf(at, part),
    kind: "MISSING",
    quantity,
    reason,
  });

const discrepancyOf = ({ actor, req, now }: AtDestination, part: CountedPart) => ({
  countyId: req.countyId,
  requisitionLineId: part.lineId,
  allocationId: part.allocationId,
  recordedBy: actor.userId,
  recordedAt: now,
});

/** One loan per lending depot of a line, for what of its stock was accepted, due back on the agreed day. */
export async function openLoans(
  tx: Executor,
  req: requisitions.RequisitionRow,
  lineId: number,
  parts: { depotId: number; quantity: Quantity }[],
  accepted: Quantity,
): Promise<void> {
  const perDepot = new Map<number, Quantity>();
  for (const { part, accepted: a } of spreadAccepted(parts, accepted)) {
    perDepot.set(part.depotId, sum([perDepot.get(part.depotId) ?? (0n as Quantity), a]));
  }
  for (const [lenderDepotId, quantity] of perDepot) {
    if (quantity <= 0n) continue;
    await requisitionWrites.openLoan(tx, {
      countyId: req.countyId,
      requisitionLineId: lineId,
      lenderDepotId,
      quantity,
      dueOn: req.returnDueOn!,
    });
  }
}
