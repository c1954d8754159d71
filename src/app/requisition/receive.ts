import { itemsWithScale, scalesOf } from "../catalogue.js";
import type { Actor } from "../../domain/custody/actor.js";
import { nextStatus } from "../../domain/requisition/lifecycle.js";
import type { RejectedDisposition } from "../../domain/requisition/discrepancy.js";
import { assertReceiptBalances, spreadAccepted, spreadReceipt } from "../../domain/requisition/receipt.js";
import { DomainError } from "../../domain/shared/errors.js";
import { formatQuantity, fromDb, parseQuantity, type Quantity, sum } from "../../domain/shared/quantity.js";
import * as discrepancies from "../../db/repositories/requisitionDiscrepancies.js";
import * as requisitions from "../../db/repositories/requisitions.js";
import * as stock from "../../db/repositories/stock.js";
import type { AppDeps } from "../deps.js";
import { loadCustodiedDepot } from "../stock/facts.js";
import { insertLotCopy } from "../stock/lotCopy.js";
import { type RequisitionCommand, requisitionCommand } from "./command.js";
import { transition } from "./facts.js";
import { sendReturnLegs } from "./returnLeg.js";
import type { Executor } from "../../db/client.js";
import { transferInLine } from "../stock/ledgerLines.js";

export interface ReceiveRequisitionInput extends RequisitionCommand {
  lines: {
    lineId: number;
    acceptedQuantity: string;
    rejectedQuantity?: string | null;
    missingQuantity?: string | null;
    rejectedReason?: string | null;
    missingReason?: string | null;
    /** What happens to the rejected quantity; kept in quarantine at the receiver unless sent back. */
    rejectedDisposition?: RejectedDisposition | null;
  }[];
  note?: string | null;
}

/**
 * The receiving depot counts what arrived. Accepted stock becomes lots at the destination with every attribute it
 * travelled with (TRANSFER_IN). Rejected stock is booked in as a quarantined lot, then kept there awaiting
 * settlement or sent straight back on a return leg; missing stock is an open discrepancy until settled. Both are
 * visible to both regions and the county. Returnable equipment opens a loan. Whoever dispatched cannot confirm.
 */
export const receiveRequisition = (deps: AppDeps, actor: Actor, input: ReceiveRequisitionInput) =>
  requisitionCommand(deps, actor, "receiveRequisition", input, async (tx, loaded, now) => {
    nextStatus(loaded.req.status, "RECEIVE");
    const { req } = loaded;
    // the receiver counts what arrived: custody of the destination depot (rule 1, decision 38)
    await loadCustodiedDepot(tx, actor, { countyId: req.countyId, id: req.destinationDepotId }, [
      "requisitionId",
    ]);
    if (req.dispatchedBy === actor.userId) {
      throw new DomainError("SELF_RECEIPT", "whoever dispatched cannot confirm receipt", ["requisitionId"]);
    }
    const lineKeys = loaded.lines.map((l) => ({ countyId: l.countyId, id: l.id }));
    const travelled = (await requisitions.allocationsOf(tx, lineKeys)).filter((a) => a.dispatchedAt !== null);
    const sourceLots = new Map(
      (
        await stock.lockLots(
          tx,
          travelled.map((a) => ({ countyId: a.countyId, id: a.lotId })),
        )
      ).map((l) => [l.id, l]),
    );
    // what arrives, and what a return leg sends back, moves the destination's balances of the lines' items
    await stock.lockStockLevels(
      tx,
      loaded.lines.map((l) => ({
        countyId: req.countyId,
        depotId: req.destinationDepotId,
        itemId: l.itemId,
      })),
    );
    const found = await itemsWithScale(
      deps,
      tx,
      loaded.lines.map((l) => l.itemId),
    );
    const items = new Map([...found].map(([id, f]) => [id, f.item]));
    const scales = scalesOf(found);
    if (
      input.lines.length !== loaded.lines.length ||
      new Set(input.lines.map((l) => l.lineId)).size !== loaded.lines.length
    ) {
      throw new DomainError("INVALID_INPUT", "count every line of the requisition exactly once", ["lines"]);
    }
    let lent = false;
    for (const [i, counted] of input.lines.entries()) {
      const line = loaded.lines.find((l) => l.id === counted.lineId);
      if (!line)
        throw new DomainError("NOT_FOUND", "no such line in this request", ["lines", String(i), "lineId"]);
      const scale = scales.get(line.itemId)!;
      const q = (text: string | null | undefined, name: string): Quantity =>
        parseQuantity(text ?? "0", scale, ["lines", String(i), name], { allowZero: true });
      const receipt = {
        lineId: line.id,
        dispatched: fromDb(line.dispatchedQuantity ?? "0"),
        accepted: q(counted.acceptedQuantity, "acceptedQuantity"),
        rejected: q(counted.rejectedQuantity, "rejectedQuantity"),
        missing: q(counted.missingQuantity, "missingQuantity"),
        rejectedReason: counted.rejectedReason ?? "",
        missingReason: counted.missingReason ?? "",
      };
      assertReceiptBalances(receipt, i);
      const parts = travelled
        .filter((a) => a.requisitionLineId === line.id)
        .map((a) => ({ a, quantity: fromDb(a.quantity) }));
      const disposition = counted.rejectedDisposition ?? "KEEP_QUARANTINED";
      if (req.returnOfId !== null && receipt.rejected > 0n && disposition === "RETURN") {
        throw new DomainError("INVALID_INPUT", "a return leg's rejected stock is kept in quarantine", [
          "lines",
          String(i),
          "rejectedDisposition",
        ]);
      }
      for (const split of spreadReceipt(parts, receipt.accepted, receipt.rejected)) {
        const source = sourceLots.get(split.part.a.lotId)!;
        const booked = (q: Quantity, condition: "QUARANTINED" | undefined, why: string) =>
          bookIn(tx, actor, req, source, q, condition, why, now);
        const receivedLot = await booked(split.accepted, undefined, "received");
        await requisitions.setAllocationReceived(
          tx,
          { countyId: split.part.a.countyId, id: split.part.a.id },
          formatQuantity(split.accepted),
          receivedLot?.id ?? null,
          now,
        );
        const why = receipt.rejectedReason.trim();
        // rejected stock stays on the books: quarantined at the receiver, then kept or sent back (rule 5)
        const held = await booked(split.rejected, "QUARANTINED", `rejected on arrival: ${why}`);
        if (held) {
          const legs =
            disposition === "RETURN"
              ? await sendReturnLegs(
                  tx,
                  actor,
                  req,
                  [{ lot: held, quantity: split.rejected, lenderDepotId: source.depotId }],
                  now,
                  why,
                )
              : null;
          await discrepancies.recordDiscrepancy(tx, {
            ...discrepancyOf(req, line.id, split.part.a.id, actor, now),
            kind: "REJECTED",
            quantity: formatQuantity(split.rejected),
            reason: why,
            disposition,
            lotId: held.id,
            // sent back at once: the return leg carries it, and its own count settles what arrives
            ...(legs
              ? {
                  returnRequisitionId: legs.get(source.depotId)!,
                  settlement: "RETURNED" as const,
                  settlementNote: "sent back on arrival",
                  settledBy: actor.userId,
                  settledAt: now,
                }
              : {}),
          });
        }
        if (split.missing > 0n) {
          await discrepancies.recordDiscrepancy(tx, {
            ...discrepancyOf(req, line.id, split.part.a.id, actor, now),
            kind: "MISSING",
            quantity: formatQuantity(split.missing),
            reason: receipt.missingReason.trim(),
          });
        }
      }
      await requisitions.updateLine(
        tx,
        { countyId: line.countyId, id: line.id },
        { acceptedQuantity: formatQuantity(receipt.accepted) },
      );
      // a return leg gives the lender back its own stock: nothing is lent by it
      if (items.get(line.itemId)!.returnable && receipt.accepted > 0n && req.returnOfId === null) {
        lent = true;
        await openLoans(
          tx,
          req,
          line.id,
          parts.map((p) => ({ depotId: sourceLots.get(p.a.lotId)!.depotId, quantity: p.quantity })),
          receipt.accepted,
        );
      }
    }
    return transition(
      tx,
      loaded,
      lent ? "RECEIVE_WITH_LOANS" : "RECEIVE",
      actor,
      now,
      input.note?.trim() || "received",
      {
        receivedBy: actor.userId,
        receivedAt: now,
      },
    );
  });

/** One loan per lending depot of a line, for what of its stock was accepted, due back on the agreed day. */
async function openLoans(
  tx: Parameters<Parameters<typeof requisitionCommand>[4]>[0],
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
    await requisitions.openLoan(tx, {
      countyId: req.countyId,
      requisitionLineId: lineId,
      lenderDepotId,
      quantity: formatQuantity(quantity),
      dueOn: req.returnDueOn!,
    });
  }
}

/** A lot copy at the destination filled by one TRANSFER_IN line; nothing when the quantity is zero. */
async function bookIn(
  tx: Executor,
  actor: Actor,
  req: requisitions.RequisitionRow,
  source: stock.LotRow,
  quantity: Quantity,
  condition: "QUARANTINED" | undefined,
  why: string,
  now: Date,
): Promise<stock.LotRow | null> {
  if (quantity <= 0n) return null;
  const lot = await insertLotCopy(tx, source, {
    depotId: req.destinationDepotId,
    ...(condition ? { condition } : {}),
  });
  await stock.appendMovement(
    tx,
    transferInLine(
      lot,
      quantity,
      { actor, now },
      { reason: `requisition ${req.id} ${why}`, requisitionId: req.id },
    ),
  );
  return { ...lot, onHand: formatQuantity(quantity) };
}

const discrepancyOf = (
  req: requisitions.RequisitionRow,
  lineId: number,
  allocationId: number,
  actor: Actor,
  now: Date,
) => ({
  countyId: req.countyId,
  requisitionLineId: lineId,
  allocationId,
  recordedBy: actor.userId,
  recordedAt: now,
});
