import type { Actor } from "../../domain/custody/actor.js";
import { DomainError } from "../../domain/shared/errors.js";
import { formatQuantity, parseQuantity, type Quantity } from "../../domain/shared/quantity.js";
import { dateInZone } from "../../domain/shared/calendar.js";
import { unallocatedOf } from "../../domain/stock/availability.js";
import { assertDeductionFits, assertOccurredAt } from "../../domain/stock/ledger.js";
import { releaseOrderFor } from "../../domain/stock/releaseOrder.js";
import { assertSecondPerson, needsSecondPerson } from "../../domain/stock/writeOff.js";
import type { WriteOffCause } from "../../domain/stock/movement.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import type * as lotReads from "../../db/repositories/lots.js";
import * as lotWrites from "../../db/repositories/lots.writes.js";
import * as movementReads from "../../db/repositories/movements.js";
import * as movementWrites from "../../db/repositories/movements.writes.js";
import * as writeOffRequests from "../../db/repositories/writeOffRequests.js";
import * as writeOffWrites from "../../db/repositories/writeOffRequests.writes.js";
import type { AppDeps } from "../deps.js";
import { command } from "../command.js";
import { loadCustodiedDepot, loadItemFacts, lockCustodiedLot, requireText } from "./facts.js";
import { type StockChange, stockChange } from "./result.js";
import { assertUnchanged } from "./shared.js";
import { writeOffLine } from "./ledgerLines.js";

export interface WriteOffInput {
  lot: CountyKey;
  quantity: string;
  cause: WriteOffCause;
  reason: string;
  occurredAt?: Date | null;
  changeFromQuantity?: string | null;
  /** Required out of agent storage (动用指令). */
  releaseOrderNo?: string | null;
  idempotencyKey?: string | null;
}

export interface WriteOffResult extends StockChange {
  /** Set when the quantity is above the threshold and waits for a second person. */
  request: writeOffRequests.WriteOffRequestRow | null;
}

/** Unallocated stock of the lot, whatever its condition: damaged, expired or lost stock is what gets written off. */
function assertCanRemove(lot: lotReads.LotRow, quantity: Quantity): void {
  const free = unallocatedOf(lot);
  if (quantity > free) {
    throw new DomainError(
      "INSUFFICIENT_STOCK",
      `only ${formatQuantity(free)} of the lot can be written off`,
      ["quantity"],
    );
  }
}

async function appendWriteOff(
  tx: Executor,
  actor: Actor,
  lot: lotReads.LotRow,
  w: {
    quantity: Quantity;
    cause: WriteOffCause;
    reason: string;
    occurredAt: Date;
    now: Date;
    reference?: string;
    releaseOrderNo: string | null;
  },
) {
  if (w.occurredAt.getTime() < w.now.getTime()) {
    const ledger = await movementReads.ledgerOfLot(tx, { countyId: lot.countyId, id: lot.id });
    assertDeductionFits(ledger, w.occurredAt, w.quantity, ["occurredAt"]);
  }
  return movementWrites.appendMovement(
    tx,
    writeOffLine(
      lot,
      w.quantity,
      { actor, now: w.now, occurredAt: w.occurredAt },
      {
        reason: w.reason,
        reference: w.reference ?? "",
        writeOffCause: w.cause,
        releaseOrderNo: w.releaseOrderNo,
      },
    ),
  );
}

/** Above the threshold, counting what this person wrote off of the lot alone today, a second person must confirm. */
async function waitsForSecondPerson(
  deps: AppDeps,
  tx: Executor,
  actor: Actor,
  lotKey: CountyKey,
  quantity: Quantity,
  now: Date,
): Promise<boolean> {
  const threshold = parseQuantity(deps.policy.writeOffConfirmationThreshold, 3, ["threshold"], {
    allowZero: true,
  });
  // the lot lock serialises this person's write-offs of the lot, so the day's total cannot be split past it
  const alone = await writeOffRequests.writtenOffAlone(tx, lotKey, actor.userId, dateInZone(now));
  return needsSecondPerson(quantity, alone, threshold);
}

/**
 * Damaged, expired or lost stock leaves the books with a reason. Above the configured threshold it waits for a
 * second person (confirmWriteOff), never the one who asked.
 */
export function writeOffStock(deps: AppDeps, actor: Actor, input: WriteOffInput): Promise<WriteOffResult> {
  return command(deps, actor, "writeOffStock", input.lot.countyId, input, async (tx, now) => {
    const { lot, depot } = await lockCustodiedLot(tx, actor, input.lot, ["lotId"]);
    const releaseOrderNo = releaseOrderFor(depot.kind, input.releaseOrderNo);
    const { unit } = await loadItemFacts(deps, tx, lot.itemId, ["lotId"]);
    const quantity = parseQuantity(input.quantity, unit.scale, ["quantity"]);
    const reason = requireText(input.reason, "reason", "a reason");
    const occurredAt = input.occurredAt ?? now;
    assertOccurredAt(occurredAt, now);
    if (input.changeFromQuantity != null) assertUnchanged(input.changeFromQuantity, lot.onHand, unit.scale);
    assertCanRemove(lot, quantity);
    if (await waitsForSecondPerson(deps, tx, actor, input.lot, quantity, now)) {
      const pending = await writeOffWrites.insert(tx, {
        countyId: lot.countyId,
        lotId: lot.id,
        quantity,
        cause: input.cause,
        reason,
        requestedBy: actor.userId,
        requestedAt: now,
        movementId: null,
        releaseOrderNo,
      });
      return { request: pending, movements: [], lots: [lot] };
    }
    const movement = await appendWriteOff(tx, actor, lot, {
      quantity,
      cause: input.cause,
      reason,
      occurredAt,
      now,
      releaseOrderNo,
    });
    return { request: null, ...(await stockChange(tx, [movement])) };
  });
}

export interface ConfirmWriteOffInput {
  request: CountyKey;
  confirm: boolean;
  note?: string | null;
  /** Out of agent storage, when the request did not carry one yet (动用指令). */
  releaseOrderNo?: string | null;
  idempotencyKey?: string | null;
}

/** The second person confirms (the stock leaves the books now) or rejects a pending write-off. */
export function confirmWriteOff(
  deps: AppDeps,
  actor: Actor,
  input: ConfirmWriteOffInput,
): Promise<WriteOffResult> {
  return command(deps, actor, "confirmWriteOff", input.request.countyId, input, async (tx, now) => {
    const { pending, lot, depot } = await lockPendingRequest(tx, actor, input.request);
    if (!input.confirm) {
      const decided = await writeOffWrites.decide(tx, input.request, {
        status: "REJECTED",
        decidedBy: actor.userId,
        decidedAt: now,
        movementId: null,
      });
      return { request: decided, movements: [], lots: [lot] };
    }
    const releaseOrderNo = releaseOrderFor(depot.kind, input.releaseOrderNo ?? pending.releaseOrderNo);
    assertCanRemove(lot, pending.quantity);
    const movement = await appendWriteOff(tx, actor, lot, {
      quantity: pending.quantity,
      cause: pending.cause,
      reason: pending.reason,
      occurredAt: now,
      now,
      reference: input.note?.trim() ?? "",
      releaseOrderNo,
    });
    const decided = await writeOffWrites.decide(tx, input.request, {
      status: "CONFIRMED",
      decidedBy: actor.userId,
      decidedAt: now,
      movementId: movement.id,
    });
    return { request: decided, ...(await stockChange(tx, [movement])) };
  });
}

/**
 * Locks the request and then its lot, as the write-off itself did; a request at a depot out of custody is NOT_FOUND.
 * Only a pending request, and only someone other than who asked, may decide it.
 */
async function lockPendingRequest(tx: Executor, actor: Actor, key: CountyKey) {
  const pending = await writeOffWrites.lock(tx, key);
  const notFound = new DomainError("NOT_FOUND", "write-off request not found", ["requestId"]);
  if (!pending) throw notFound;
  const lotKey = { countyId: pending.countyId, id: pending.lotId };
  const [peek] = await lotWrites.lockLots(tx, [lotKey]);
  const { depot } = await loadCustodiedDepot(
    tx,
    actor,
    { countyId: peek!.countyId, id: peek!.depotId },
    ["requestId"],
    { notFound },
  );
  if (pending.status !== "PENDING") {
    throw new DomainError("INVALID_TRANSITION", `the request is already ${pending.status.toLowerCase()}`, [
      "requestId",
    ]);
  }
  assertSecondPerson(pending.requestedBy, actor.userId);
  return { pending, lot: peek!, depot };
}
