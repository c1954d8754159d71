import { itemsWithScale, scalesOf } from "../catalogue.js";
import type { Actor } from "../../domain/custody/actor.js";
import { nextStatus } from "../../domain/requisition/lifecycle.js";
import type { RejectedDisposition } from "../../domain/requisition/discrepancy.js";
import {
  assertNotSelfReceipt,
  assertReceiptBalances,
  type ReceiptLine,
  spreadReceipt,
} from "../../domain/requisition/receipt.js";
import { DomainError } from "../../domain/shared/errors.js";
import { parseQuantity, type Quantity, ZERO } from "../../domain/shared/quantity.js";
import type * as lotReads from "../../db/repositories/lots.js";
import * as lotWrites from "../../db/repositories/lots.writes.js";
import * as requisitionWrites from "../../db/repositories/requisitions.writes.js";
import type * as requisitions from "../../db/repositories/requisitions.js";
import * as stockLevelWrites from "../../db/repositories/stockLevels.writes.js";
import type { AppDeps } from "../deps.js";
import { announce } from "../events.js";
import { type RequisitionCommand, requisitionCommand } from "./command.js";
import {
  allocationsOfRequest,
  assertCustodyOfDestination,
  type LoadedRequisition,
  lineOf,
  transition,
} from "./facts.js";
import { type AtDestination, bookIn, openLoans, recordMissing, recordRejected } from "./arrival.js";
import type { Executor } from "../../db/client.js";
import { cameBack } from "./vehicles.js";

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
    await assertCustodyOfDestination(tx, actor, req);
    assertNotSelfReceipt(req.dispatchedBy, actor.userId);
    const arrival = await lockArrival(deps, tx, loaded);
    assertEveryLineCounted(input, loaded);
    const counts: LineOutcome[] = [];
    for (const [i, counted] of input.lines.entries()) {
      const line = lineOf(loaded, counted.lineId, i);
      counts.push(await receiveLine({ ...arrival, tx, actor, req, now }, line, counted, i));
    }
    const row = await transition(
      tx,
      loaded,
      counts.some((c) => c.lent) ? "RECEIVE_WITH_LOANS" : "RECEIVE",
      actor,
      now,
      input.note?.trim() || "received",
      { receivedBy: actor.userId, receivedAt: now },
    );
    // the vehicles that brought it are free again (应急运力)
    await cameBack(tx, loaded.key, now);
    await announce(tx, "RECEIVED", loaded.key, now);
    if (counts.some((c) => c.discrepancy)) await announce(tx, "DISCREPANCY", loaded.key, now);
    return row;
  });

/** What counting one line left behind: a loan opened, a discrepancy recorded (rejected or missing stock). */
interface LineOutcome {
  lent: boolean;
  discrepancy: boolean;
}

type Counted = ReceiveRequisitionInput["lines"][number];

/** What a receipt works with: what travelled, the lots it left (locked), and each item with its unit. */
interface Arrival {
  travelled: requisitions.AllocationRow[];
  sourceLots: ReadonlyMap<number, lotReads.LotRow>;
  items: ReadonlyMap<number, { returnable: boolean }>;
  scales: ReadonlyMap<number, number>;
}

type Receipt = Arrival & AtDestination;

/** The lots that travelled, then the destination's balances of the lines' items, locked in that order (decision 22). */
async function lockArrival(deps: AppDeps, tx: Executor, loaded: LoadedRequisition): Promise<Arrival> {
  const { req } = loaded;
  const travelled = (await allocationsOfRequest(tx, loaded)).filter((a) => a.dispatchedAt !== null);
  const sourceLots = await lotWrites.lockLots(
    tx,
    travelled.map((a) => ({ countyId: a.countyId, id: a.lotId })),
  );
  // what arrives, and what a return leg sends back, moves the destination's balances of the lines' items
  await stockLevelWrites.lockStockLevels(
    tx,
    loaded.lines.map((l) => ({ countyId: req.countyId, depotId: req.destinationDepotId, itemId: l.itemId })),
  );
  const found = await itemsWithScale(
    deps,
    tx,
    loaded.lines.map((l) => l.itemId),
  );
  return {
    travelled,
    sourceLots: new Map(sourceLots.map((l) => [l.id, l])),
    items: new Map([...found].map(([id, f]) => [id, f.item])),
    scales: scalesOf(found),
  };
}

function assertEveryLineCounted(input: ReceiveRequisitionInput, { lines }: LoadedRequisition): void {
  if (
    input.lines.length !== lines.length ||
    new Set(input.lines.map((l) => l.lineId)).size !== lines.length
  ) {
    throw new DomainError("INVALID_INPUT", "count every line of the requisition exactly once", ["lines"]);
  }
}

/**
 * One line's count, spread over the lots that travelled for it: accepted stock booked in, rejected stock
 * quarantined (and maybe sent back), missing stock an open discrepancy. Answers whether it opened a loan and
 * whether it recorded a discrepancy.
 */
async function receiveLine(
  r: Receipt,
  line: requisitions.LineRow,
  counted: Counted,
  i: number,
): Promise<LineOutcome> {
  const receipt = receiptOf(line, counted, r.scales.get(line.itemId)!, i);
  const parts = r.travelled
    .filter((a) => a.requisitionLineId === line.id)
    .map((a) => ({ a, quantity: a.quantity }));
  const disposition = dispositionOf(r.req, receipt, counted, i);
  for (const split of spreadReceipt(parts, receipt.accepted, receipt.rejected)) {
    await receivePart(r, line, receipt, disposition, split);
  }
  await requisitionWrites.updateLine(
    r.tx,
    { countyId: line.countyId, id: line.id },
    { acceptedQuantity: receipt.accepted },
  );
  const discrepancy = receipt.rejected > 0n || receipt.missing > 0n;
  // a return leg gives the lender back its own stock: nothing is lent by it
  if (!r.items.get(line.itemId)!.returnable || receipt.accepted <= 0n || r.req.returnOfId !== null)
    return { lent: false, discrepancy };
  await openLoans(
    r.tx,
    r.req,
    line.id,
    parts.map((p) => ({ depotId: r.sourceLots.get(p.a.lotId)!.depotId, quantity: p.quantity })),
    receipt.accepted,
  );
  return { lent: true, discrepancy };
}

/** The count as entered, in the item's unit; accepted, rejected and missing must add up to what was dispatched. */
function receiptOf(line: requisitions.LineRow, counted: Counted, scale: number, i: number): ReceiptLine {
  const q = (text: string | null | undefined, name: string): Quantity =>
    parseQuantity(text ?? "0", scale, ["lines", String(i), name], { allowZero: true });
  const receipt = {
    lineId: line.id,
    dispatched: line.dispatchedQuantity ?? ZERO,
    accepted: q(counted.acceptedQuantity, "acceptedQuantity"),
    rejected: q(counted.rejectedQuantity, "rejectedQuantity"),
    missing: q(counted.missingQuantity, "missingQuantity"),
    rejectedReason: counted.rejectedReason ?? "",
    missingReason: counted.missingReason ?? "",
  };
  assertReceiptBalances(receipt, i);
  return receipt;
}

/** What becomes of rejected stock; a return leg's own rejects stay in quarantine, never go round again. */
function dispositionOf(
  req: requisitions.RequisitionRow,
  receipt: ReceiptLine,
  counted: Counted,
  i: number,
): RejectedDisposition {
  const disposition = counted.rejectedDisposition ?? "KEEP_QUARANTINED";
  if (req.returnOfId !== null && receipt.rejected > 0n && disposition === "RETURN") {
    throw new DomainError("INVALID_INPUT", "a return leg's rejected stock is kept in quarantine", [
      "lines",
      String(i),
      "rejectedDisposition",
    ]);
  }
  return disposition;
}

type Split = ReturnType<typeof spreadReceipt<{ a: requisitions.AllocationRow; quantity: Quantity }>>[number];

/** One travelled lot's share of the count: booked in as accepted, as quarantined, or recorded as missing. */
async function receivePart(
  r: Receipt,
  line: requisitions.LineRow,
  receipt: ReceiptLine,
  disposition: RejectedDisposition,
  split: Split,
): Promise<void> {
  const { a } = split.part;
  const part = { lineId: line.id, allocationId: a.id, source: r.sourceLots.get(a.lotId)! };
  const receivedLot = await bookIn(r, part.source, split.accepted, undefined, "received");
  await requisitionWrites.setAllocationReceived(
    r.tx,
    { countyId: a.countyId, id: a.id },
    split.accepted,
    receivedLot?.id ?? null,
    r.now,
  );
  const why = receipt.rejectedReason.trim();
  // rejected stock stays on the books: quarantined at the receiver, then kept or sent back (rule 5)
  const held = await bookIn(r, part.source, split.rejected, "QUARANTINED", `rejected on arrival: ${why}`);
  if (held) await recordRejected(r, part, { held, quantity: split.rejected, why, disposition });
  if (split.missing > 0n) await recordMissing(r, part, split.missing, receipt.missingReason.trim());
}
