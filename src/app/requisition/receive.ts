import { itemsWithScale, scalesOf } from "../catalogue.js";
import type { Actor } from "../../domain/custody/actor.js";
import { decideStockChange } from "../../domain/custody/policy.js";
import { nextStatus } from "../../domain/requisition/lifecycle.js";
import { assertReceiptBalances, spreadAccepted } from "../../domain/requisition/receipt.js";
import { DomainError } from "../../domain/shared/errors.js";
import { formatQuantity, fromDb, parseQuantity, type Quantity, sum } from "../../domain/shared/quantity.js";
import * as requisitions from "../../db/repositories/requisitions.js";
import * as stock from "../../db/repositories/stock.js";
import type { AppDeps } from "../deps.js";
import { loadDepotFacts } from "../stock/facts.js";
import { insertLotCopy } from "../stock/lotCopy.js";
import { type RequisitionCommand, requisitionCommand } from "./command.js";
import { transition } from "./facts.js";

export interface ReceiveRequisitionInput extends RequisitionCommand {
  lines: {
    lineId: number;
    acceptedQuantity: string;
    rejectedQuantity?: string | null;
    missingQuantity?: string | null;
    rejectedReason?: string | null;
    missingReason?: string | null;
  }[];
  note?: string | null;
}

/**
 * The receiving depot counts what arrived. Accepted stock becomes lots at the destination with the lot code and
 * expiry it travelled with (TRANSFER_IN); what was rejected or is missing becomes a discrepancy visible to both
 * regions and the county. Returnable equipment opens a loan. Whoever dispatched cannot confirm receipt.
 */
export const receiveRequisition = (deps: AppDeps, actor: Actor, input: ReceiveRequisitionInput) =>
  requisitionCommand(deps, actor, "receiveRequisition", input, async (tx, loaded, now) => {
    nextStatus(loaded.req.status, "RECEIVE");
    const { req } = loaded;
    const { facts } = await loadDepotFacts(tx, { countyId: req.countyId, id: req.destinationDepotId }, [
      "requisitionId",
    ]);
    if (!decideStockChange(actor, facts).allowed) {
      throw new DomainError("FORBIDDEN", "receipt needs custody of the destination depot", ["requisitionId"]);
    }
    if (req.dispatchedBy === actor.userId) {
      throw new DomainError("SELF_APPROVAL", "whoever dispatched cannot confirm receipt", ["requisitionId"]);
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
      for (const { part, accepted } of spreadAccepted(parts, receipt.accepted)) {
        const source = sourceLots.get(part.a.lotId)!;
        let receivedLotId: number | null = null;
        if (accepted > 0n) {
          const lot = await insertLotCopy(tx, source, { depotId: req.destinationDepotId });
          receivedLotId = lot.id;
          await stock.appendMovement(tx, {
            countyId: req.countyId,
            depotId: req.destinationDepotId,
            lotId: lot.id,
            itemId: source.itemId,
            kind: "TRANSFER_IN",
            quantity: formatQuantity(accepted),
            actorId: actor.userId,
            occurredAt: now,
            recordedAt: now,
            reason: `requisition ${req.id} received`,
            requisitionId: req.id,
          });
        }
        await requisitions.setAllocationReceived(
          tx,
          { countyId: part.a.countyId, id: part.a.id },
          formatQuantity(accepted),
          receivedLotId,
          now,
        );
      }
      for (const [kind, quantity, reason] of [
        ["REJECTED", receipt.rejected, receipt.rejectedReason],
        ["MISSING", receipt.missing, receipt.missingReason],
      ] as const) {
        if (quantity > 0n) {
          await requisitions.recordDiscrepancy(tx, {
            countyId: req.countyId,
            requisitionLineId: line.id,
            kind,
            quantity: formatQuantity(quantity),
            reason: reason.trim(),
            recordedBy: actor.userId,
            recordedAt: now,
          });
        }
      }
      await requisitions.updateLine(
        tx,
        { countyId: line.countyId, id: line.id },
        { acceptedQuantity: formatQuantity(receipt.accepted) },
      );
      if (items.get(line.itemId)!.returnable && receipt.accepted > 0n) {
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
