import type { Actor } from "../../domain/custody/actor.js";
import { type Quantity, sub, sum } from "../../domain/shared/quantity.js";
import type { Executor } from "../../db/client.js";
import type * as lotReads from "../../db/repositories/lots.js";
import * as movementWrites from "../../db/repositories/movements.writes.js";
import * as requisitionWrites from "../../db/repositories/requisitions.writes.js";
import * as requisitions from "../../db/repositories/requisitions.js";
import { transferOutLine } from "../stock/ledgerLines.js";
import { recordStep } from "./timeline.js";

/** Rejected stock booked at the receiver (a quarantined lot) that goes back to the depot it came from. */
export interface ReturnPart {
  /** The quarantined lot at the receiver that the stock leaves. */
  lot: lotReads.LotRow;
  quantity: Quantity;
  lenderDepotId: number;
}

/**
 * Sends rejected stock back to its lender as a return leg: one requisition per lending depot, already in transit,
 * whose lender counts it like any shipment (receiveRequisition). Until then it is in transit and in neither
 * depot's available stock (rule 5): a TRANSFER_OUT takes it off the receiver's quarantined lot.
 */
export async function sendReturnLegs(
  tx: Executor,
  actor: Actor,
  of: requisitions.RequisitionRow,
  parts: readonly ReturnPart[],
  now: Date,
  why: string,
): Promise<Map<number, number>> {
  const legOfDepot = new Map<number, number>();
  for (const lenderDepotId of new Set(parts.map((p) => p.lenderDepotId))) {
    const mine = parts.filter((p) => p.lenderDepotId === lenderDepotId && p.quantity > 0n);
    if (mine.length === 0) continue;
    const leg = await insertLeg(tx, actor, of, lenderDepotId, mine, now, why);
    const lines = await linesSentBack(tx, leg, mine);
    for (const p of mine) await putOnTheRoad(tx, actor, of, leg, lines, p, now);
    await recordStep(
      tx,
      leg,
      { from: null, to: "IN_TRANSIT", note: `return leg of requisition ${of.id}: ${why}` },
      actor,
      now,
    );
    legOfDepot.set(lenderDepotId, leg.id);
  }
  return legOfDepot;
}

/** The leg runs the other way: the borrower supplies, the lending depot receives; it starts on the road. */
function insertLeg(
  tx: Executor,
  actor: Actor,
  of: requisitions.RequisitionRow,
  lenderDepotId: number,
  mine: readonly ReturnPart[],
  now: Date,
  why: string,
): Promise<requisitions.RequisitionRow> {
  return requisitionWrites.insert(
    tx,
    {
      countyId: of.countyId,
      requestingRegionId: of.supplyingRegionId,
      supplyingRegionId: of.requestingRegionId,
      destinationDepotId: lenderDepotId,
      priority: of.priority,
      status: "IN_TRANSIT",
      reason: `requisition ${of.id}: rejected on arrival, going back (${why})`,
      incident: of.incident,
      returnOfId: of.id,
      createdBy: actor.userId,
      createdAt: now,
      dispatchedBy: actor.userId,
      dispatchedAt: now,
    },
    itemTotals(mine).map(([itemId, q]) => ({ itemId, requestedQuantity: q })),
  );
}

/** Nothing on a leg waits for approval: each line is approved and dispatched for all it carries. */
async function linesSentBack(
  tx: Executor,
  leg: requisitions.RequisitionRow,
  mine: readonly ReturnPart[],
): Promise<requisitions.LineRow[]> {
  const lines = await requisitions.linesOf(tx, [{ countyId: leg.countyId, id: leg.id }]);
  for (const line of lines) {
    const q = itemTotals(mine).find(([itemId]) => itemId === line.itemId)![1];
    await requisitionWrites.updateLine(
      tx,
      { countyId: line.countyId, id: line.id },
      { approvedQuantity: q, dispatchedQuantity: q },
    );
  }
  return lines;
}

/** One part travels: an allocation already on the road, and a TRANSFER_OUT off the receiver's quarantined lot. */
async function putOnTheRoad(
  tx: Executor,
  actor: Actor,
  of: requisitions.RequisitionRow,
  leg: requisitions.RequisitionRow,
  lines: readonly requisitions.LineRow[],
  p: ReturnPart,
  now: Date,
): Promise<void> {
  const line = lines.find((l) => l.itemId === p.lot.itemId)!;
  await requisitionWrites.insertTravelling(tx, {
    countyId: of.countyId,
    requisitionLineId: line.id,
    lotId: p.lot.id,
    quantity: p.quantity,
    dispatchedAt: now,
  });
  await movementWrites.appendMovement(
    tx,
    transferOutLine(
      p.lot,
      p.quantity,
      { actor, now },
      {
        reason: `requisition ${leg.id}: rejected stock of requisition ${of.id} sent back`,
        requisitionId: leg.id,
      },
    ),
  );
}

function itemTotals(parts: readonly ReturnPart[]): [number, Quantity][] {
  const out = new Map<number, Quantity>();
  for (const p of parts) out.set(p.lot.itemId, sum([out.get(p.lot.itemId) ?? (0n as Quantity), p.quantity]));
  return [...out];
}

export const freeOf = (lot: lotReads.LotRow): Quantity => sub(lot.onHand, lot.allocated);
