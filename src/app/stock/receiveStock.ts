import type { Actor } from "../../domain/custody/actor.js";
import { dateInZone } from "../../domain/shared/calendar.js";
import { DomainError } from "../../domain/shared/errors.js";
import { ZERO } from "../../domain/shared/quantity.js";
import type { LotCondition } from "../../domain/stock/lot.js";
import type { ReceiptSource } from "../../domain/stock/movement.js";
import { conditionOnArrival, type PlannedLot, planReceipt } from "../../domain/stock/receipt.js";
import type { CountyKey } from "../../db/keys.js";
import type { Executor } from "../../db/client.js";
import * as lotReads from "../../db/repositories/lots.js";
import * as lotWrites from "../../db/repositories/lots.writes.js";
import type * as movementReads from "../../db/repositories/movements.js";
import * as movementWrites from "../../db/repositories/movements.writes.js";
import * as rotationWrites from "../../db/repositories/rotations.writes.js";
import type { AppDeps } from "../deps.js";
import { command } from "../command.js";
import { assertOccurredAt } from "../../domain/stock/ledger.js";
import { loadCustodiedDepot, loadItemFacts, requireText } from "./facts.js";
import { type Recording, receiptLine } from "./ledgerLines.js";

/**
 * A receipt: where, what, how much, and what the receiver says of the goods (`LotDescription`: every lot column a
 * receipt does not work out itself).
 */
export interface ReceiveStockInput extends lotWrites.LotDescription {
  depot: CountyKey;
  itemId: number;
  quantity: string;
  lotCode: string;
  receivedOn: string;
  expiresOn?: string | null;
  serialNumbers?: readonly string[] | null;
  source: ReceiptSource;
  reason: string;
  reference?: string | null;
  occurredAt?: Date | null;
  /** The open rotation this receipt replaces; it closes with this receipt. */
  replacesRotation?: CountyKey | null;
  /** Must be true for a lot already past its expiry; it arrives EXPIRED. */
  acceptExpired?: boolean | null;
  /**
   * An opening balance counted as quarantined or damaged arrives so (a 台账 import); any other receipt is judged on
   * its expiry alone. Not offered over GraphQL.
   */
  arrivesAs?: LotCondition | null;
  /** Set by the 台账 import only: its administrator may open the books of any depot of the county (建账). */
  openingBooks?: boolean | null;
  idempotencyKey?: string | null;
}

export interface ReceiveStockResult {
  lots: lotReads.LotRow[];
  movements: movementReads.MovementRow[];
}

/** A replacement closes an open rotation of the same item at the same depot, once. */
async function lockReplacedRotation(tx: Executor, key: CountyKey, depotId: number, itemId: number) {
  const field = ["replacesRotationId"];
  const rotation = await rotationWrites.lock(tx, key);
  if (!rotation || rotation.depotId !== depotId)
    throw new DomainError("NOT_FOUND", "rotation not found at this depot", field);
  if (rotation.itemId !== itemId)
    throw new DomainError("INVALID_INPUT", "the rotation is of another item", field);
  if (rotation.status !== "OPEN")
    throw new DomainError("INVALID_TRANSITION", "the rotation is already closed", field);
  return key;
}

/** A quantity of an item arrives at a depot as a new lot (one per serial number for equipment). */
export function receiveStock(
  deps: AppDeps,
  actor: Actor,
  input: ReceiveStockInput,
): Promise<ReceiveStockResult> {
  return command(deps, actor, "receiveStock", input.depot.countyId, input, (tx, now) =>
    receiveInto(deps, tx, actor, now, input),
  );
}

/**
 * A receipt inside the caller's transaction (receiveStock's, or a call-up delivery's): custody of the depot, the
 * item, the planned lots and their RECEIPT lines; `callUpId` links the lines to the call-up they deliver.
 */
export async function receiveInto(
  deps: AppDeps,
  tx: Executor,
  actor: Actor,
  now: Date,
  input: ReceiveStockInput & { callUpId?: number | null },
): Promise<ReceiveStockResult> {
  const { facts } = await loadCustodiedDepot(tx, actor, input.depot, ["depotId"], {
    openingBalance: input.source === "OPENING_BALANCE" && input.openingBooks === true,
  });
  const { item, unit } = await loadItemFacts(deps, tx, input.itemId, ["itemId"]);
  if (item.retiredAt !== null)
    throw new DomainError("ITEM_RETIRED", "the item is retired from the catalogue", ["itemId"]);
  const reason = requireText(input.reason, "reason", "a reason");
  const occurredAt = input.occurredAt ?? now;
  assertOccurredAt(occurredAt, now);
  const planned = planReceipt(
    { trackingMode: item.trackingMode, shelfLifeDays: item.shelfLifeDays, unitScale: unit.scale },
    input,
    dateInZone(now),
  );
  const condition = arrivalCondition(input, planned, occurredAt);
  await assertSerialsFree(tx, facts.countyId, item.id, planned);
  const rotation = input.replacesRotation
    ? await lockReplacedRotation(tx, input.replacesRotation, facts.depotId, item.id)
    : null;
  const place = { countyId: facts.countyId, depotId: facts.depotId, itemId: item.id };
  const result = await writeLots(tx, place, planned, condition, {
    description: lotWrites.lotDescriptionOf(input),
    by: { actor, now, occurredAt },
    details: {
      reason,
      reference: input.reference?.trim() ?? "",
      source: input.source,
      callUpId: input.callUpId ?? null,
    },
  });
  if (rotation) await rotationWrites.close(tx, rotation, result.lots[0]!.id, now);
  return result;
}

function arrivalCondition(input: ReceiveStockInput, planned: PlannedLot[], occurredAt: Date): LotCondition {
  // judged on the printed expiry and the day the stock arrived: an opening balance dated back to its receipt
  // arrived fresh and has expired since, which the date alone tells; a shelf-life estimate is not a label
  const judged = conditionOnArrival(
    input.expiresOn ? (planned[0]?.expiresOn ?? null) : null,
    dateInZone(occurredAt),
    input.acceptExpired === true,
  );
  // damage is final and outranks expiry; quarantine does not hide that a lot has expired
  const counted = input.openingBooks === true ? input.arrivesAs : null;
  return counted === "DAMAGED" || (counted === "QUARANTINED" && judged === "SERVICEABLE") ? counted : judged;
}

async function assertSerialsFree(tx: Executor, countyId: number, itemId: number, planned: PlannedLot[]) {
  const serials = planned.flatMap((p) => (p.serialNumber ? [p.serialNumber] : []));
  const taken = await lotReads.serialNumbersTaken(tx, countyId, itemId, serials);
  if (taken.length > 0) {
    throw new DomainError("INVALID_INPUT", `serial number already on the books: ${taken.join(", ")}`, [
      "serialNumbers",
    ]);
  }
}

/** Each planned lot is inserted empty and filled by its receipt line, so its balance is its ledger. */
async function writeLots(
  tx: Executor,
  place: { countyId: number; depotId: number; itemId: number },
  planned: PlannedLot[],
  condition: LotCondition,
  line: {
    description: lotWrites.LotDescription;
    by: Recording;
    details: Parameters<typeof receiptLine>[3];
  },
): Promise<ReceiveStockResult> {
  const result: ReceiveStockResult = { lots: [], movements: [] };
  for (const p of planned) {
    const lot = await lotWrites.insertLot(tx, {
      ...line.description,
      ...place,
      lotCode: p.lotCode,
      receivedOn: p.receivedOn,
      expiresOn: p.expiresOn,
      serialNumber: p.serialNumber,
      condition,
      onHand: ZERO,
    });
    const movement = await movementWrites.appendMovement(
      tx,
      receiptLine(lot, p.quantity, line.by, line.details),
    );
    result.lots.push({ ...lot, onHand: p.quantity });
    result.movements.push(movement);
  }
  return result;
}
