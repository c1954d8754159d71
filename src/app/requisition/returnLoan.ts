import type { Actor } from "../../domain/custody/actor.js";
import { nextStatus } from "../../domain/requisition/lifecycle.js";
import { spreadAccepted } from "../../domain/requisition/receipt.js";
import { DomainError } from "../../domain/shared/errors.js";
import {
  add,
  formatQuantity,
  parseQuantity,
  type Quantity,
  sub,
  ZERO,
} from "../../domain/shared/quantity.js";
import { unallocatedOf } from "../../domain/stock/availability.js";
import { unitScales } from "../catalogue.js";
import type * as lotReads from "../../db/repositories/lots.js";
import * as movementWrites from "../../db/repositories/movements.writes.js";
import * as requisitionWrites from "../../db/repositories/requisitions.writes.js";
import * as requisitions from "../../db/repositories/requisitions.js";
import type { AppDeps } from "../deps.js";
import type { Executor } from "../../db/client.js";
import { insertLotCopy } from "../stock/lotCopy.js";
import { type RequisitionCommand, requisitionCommand } from "./command.js";
import {
  allocationsOfRequest,
  assertCustodyOfDestination,
  lineKeys,
  lineOf,
  lockLotsAndBalances,
  transition,
} from "./facts.js";
import { returnLine, transferOutLine } from "../stock/ledgerLines.js";

export interface ReturnRequisitionInput extends RequisitionCommand {
  lines: { lineId: number; quantity: string; condition: "SERVICEABLE" | "DAMAGED"; note?: string | null }[];
}

/**
 * Lent equipment goes back to the lender. Serviceable units return to the lot they left; damaged ones come back as
 * a separate damaged lot, so they never restore usable stock. When every loan is back, the requisition closes.
 */
export const returnRequisition = (deps: AppDeps, actor: Actor, input: ReturnRequisitionInput) =>
  requisitionCommand(deps, actor, "returnRequisition", input, async (tx, loaded, now) => {
    const { req } = loaded;
    if (req.status !== "RECEIVED") nextStatus(req.status, "RETURN_ALL");
    // returns are sent by the borrowing depot's custodians (rule 1, decision 38)
    await assertCustodyOfDestination(tx, actor, req);
    const received = (await allocationsOfRequest(tx, loaded)).filter((a) => a.receivedLotId !== null);
    // both ends of every loan: the lot at the borrower it leaves, and the lender's lot it left
    const locked = await lockLotsAndBalances(
      tx,
      received.flatMap((a) => [
        { countyId: a.countyId, id: a.lotId },
        { countyId: a.countyId, id: a.receivedLotId! },
      ]),
    );
    const scales = await unitScales(
      deps,
      tx,
      loaded.lines.map((l) => l.itemId),
    );
    const loans = await requisitions.loansOf(tx, lineKeys(loaded));
    const lots = new Map(locked.map((l) => [l.id, l]));
    const ctx: Loans = { tx, actor, req, now, received, loans, lots, scales };
    for (const [i, ret] of input.lines.entries()) await bringBack(ctx, lineOf(loaded, ret.lineId, i), ret, i);
    const stillOut = (await requisitions.loansOf(tx, lineKeys(loaded))).some((l) => l.status === "OPEN");
    if (stillOut) return loaded.req;
    const returned = await transition(tx, loaded, "RETURN_ALL", actor, now, "all lent equipment returned");
    return transition(tx, { ...loaded, req: returned }, "CLOSE", actor, now, "closed");
  });

/** What a return works with: the received allocations, the loans, both ends' lots (locked) and the units. */
interface Loans {
  tx: Executor;
  actor: Actor;
  req: requisitions.RequisitionRow;
  now: Date;
  received: requisitions.AllocationRow[];
  loans: requisitions.LoanRow[];
  lots: ReadonlyMap<number, lotReads.LotRow>;
  scales: ReadonlyMap<number, number>;
}

type Returned = ReturnRequisitionInput["lines"][number];

/** One line's return, spread over the lots it was lent from; never more than is still out on loan. */
async function bringBack(ctx: Loans, line: requisitions.LineRow, ret: Returned, i: number): Promise<void> {
  const field = (name: string) => ["lines", String(i), name];
  if (!ctx.loans.some((l) => l.requisitionLineId === line.id)) {
    throw new DomainError("INVALID_INPUT", "nothing of this line was lent", field("lineId"));
  }
  const quantity = parseQuantity(ret.quantity, ctx.scales.get(line.itemId)!, field("quantity"));
  const parts = ctx.received
    .filter((a) => a.requisitionLineId === line.id)
    .map((a) => ({ a, quantity: sub(a.acceptedQuantity ?? ZERO, a.returnedQuantity) }));
  const outstanding = parts.reduce((s, p) => s + p.quantity, 0n);
  if (quantity > outstanding) {
    throw new DomainError(
      "INVALID_QUANTITY",
      `only ${formatQuantity(outstanding as Quantity)} is still out on loan`,
      field("quantity"),
    );
  }
  for (const { part, accepted: back } of spreadAccepted(parts, quantity)) {
    if (back > 0n) await bringBackPart(ctx, line, part.a, back, ret.condition, field("quantity"));
  }
  await requisitionWrites.updateLine(
    ctx.tx,
    { countyId: line.countyId, id: line.id },
    { returnedQuantity: add(line.returnedQuantity ?? ZERO, quantity) },
  );
}

/** What of one allocation comes back: its ledger lines, and what its allocation and its loan count as returned. */
async function bringBackPart(
  { tx, actor, req, now, loans, lots }: Loans,
  line: requisitions.LineRow,
  a: requisitions.AllocationRow,
  back: Quantity,
  condition: Returned["condition"],
  field: string[],
): Promise<void> {
  const original = lots.get(a.lotId)!;
  await sendBack(tx, actor, req, lots.get(a.receivedLotId!)!, original, back, condition, now, field);
  await requisitionWrites.addAllocationReturned(tx, { countyId: a.countyId, id: a.id }, back);
  const loan = loans.find((l) => l.requisitionLineId === line.id && l.lenderDepotId === original.depotId);
  if (loan) await requisitionWrites.addLoanReturned(tx, { countyId: loan.countyId, id: loan.id }, back, now);
}

async function sendBack(
  tx: Executor,
  actor: Actor,
  req: requisitions.RequisitionRow,
  borrowed: lotReads.LotRow,
  original: lotReads.LotRow,
  quantity: Quantity,
  condition: "SERVICEABLE" | "DAMAGED",
  now: Date,
  field: string[],
): Promise<void> {
  const free = unallocatedOf(borrowed);
  if (quantity > free) {
    throw new DomainError(
      "INSUFFICIENT_STOCK",
      `the borrowing depot holds only ${formatQuantity(free)} of this lot`,
      field,
    );
  }
  const by = { actor, now };
  await movementWrites.appendMovement(
    tx,
    transferOutLine(borrowed, quantity, by, {
      reason: `requisition ${req.id}: lent equipment returned`,
      requisitionId: req.id,
    }),
  );
  let target = original;
  if (condition === "DAMAGED") {
    target = await insertLotCopy(tx, original, { depotId: original.depotId, condition: "DAMAGED" });
  }
  await movementWrites.appendMovement(
    tx,
    returnLine(target, quantity, by, {
      reason: `requisition ${req.id}: returned ${condition === "DAMAGED" ? "damaged" : "in good order"}`,
      requisitionId: req.id,
    }),
  );
}
