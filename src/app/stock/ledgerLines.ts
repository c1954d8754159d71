import type { Actor } from "../../domain/custody/actor.js";
import { neg, type Quantity } from "../../domain/shared/quantity.js";
import { MOVEMENT_SIGN, type MovementKind } from "../../domain/stock/movement.js";
import type { MovementRow } from "../../db/repositories/movements.js";
import type { NewMovement } from "../../db/repositories/movements.writes.js";

/**
 * The ledger lines (出入库流水) a use case writes, one named builder per kind, so a call site says what happened
 * (an issue from this lot, a transfer pair, a reversal) and the fields every line carries are spelled once.
 */

/** The lot a line moves, at its depot: a lot row, or any value naming the four. */
export interface LotPlace {
  countyId: number;
  depotId: number;
  id: number;
  itemId: number;
}

/**
 * Who records the line and when (custody rule 7): the command's actor and the one instant command() handed in;
 * `occurredAt` only when the goods moved at another time (a backdated issue, a paper count).
 */
export interface Recording {
  actor: Actor;
  now: Date;
  occurredAt?: Date;
}

type Details = Omit<
  NewMovement,
  "countyId" | "depotId" | "lotId" | "itemId" | "kind" | "quantity" | "actorId" | "occurredAt" | "recordedAt"
>;

/** A line of one kind; `amount` is what moved, and the kind gives it its sign (MOVEMENT_SIGN). */
function lineOf(
  kind: MovementKind,
  lot: LotPlace,
  amount: Quantity,
  by: Recording,
  details: Details,
): NewMovement {
  return {
    countyId: lot.countyId,
    depotId: lot.depotId,
    lotId: lot.id,
    itemId: lot.itemId,
    kind,
    quantity: MOVEMENT_SIGN[kind] === "NEGATIVE" ? neg(amount) : amount,
    actorId: by.actor.userId,
    occurredAt: by.occurredAt ?? by.now,
    recordedAt: by.now,
    ...details,
  };
}

type Builder<D extends Details = Details> = (
  lot: LotPlace,
  amount: Quantity,
  by: Recording,
  d: D,
) => NewMovement;

export const receiptLine: Builder<Details & Pick<NewMovement, "source">> = (lot, amount, by, d) =>
  lineOf("RECEIPT", lot, amount, by, d);

export const issueLine: Builder<Details & Pick<NewMovement, "recipient" | "purpose">> = (
  lot,
  amount,
  by,
  d,
) => lineOf("ISSUE", lot, amount, by, d);

export const writeOffLine: Builder<Details & Pick<NewMovement, "writeOffCause">> = (lot, amount, by, d) =>
  lineOf("WRITE_OFF", lot, amount, by, d);

export const rotationOutLine: Builder = (lot, amount, by, d) => lineOf("ROTATION_OUT", lot, amount, by, d);

/** One leg of a move between depots: out of the lot it leaves, or into its copy where it arrives. */
export const transferOutLine: Builder = (lot, amount, by, d) => lineOf("TRANSFER_OUT", lot, amount, by, d);
export const transferInLine: Builder = (lot, amount, by, d) => lineOf("TRANSFER_IN", lot, amount, by, d);

/** Stock coming back onto a lot it left (a recall, a returned loan, missing stock found at the lender). */
export const returnLine: Builder = (lot, amount, by, d) => lineOf("RETURN", lot, amount, by, d);

/** A counted difference, signed, dated when the lot was counted (docs/decisions.md 14). */
export const adjustmentLine = (lot: LotPlace, delta: Quantity, by: Recording, stockTakeId: number) =>
  lineOf("ADJUSTMENT", lot, delta, by, { reason: `stock-take ${stockTakeId}`, stockTakeId });

/** The line that undoes `original` (rule 7): on its lot, dated when it happened, pointing at it. */
export const reversalLine = (original: MovementRow, quantity: Quantity, by: Recording, reason: string) =>
  lineOf(
    "REVERSAL",
    { countyId: original.countyId, depotId: original.depotId, id: original.lotId, itemId: original.itemId },
    quantity,
    { ...by, occurredAt: original.occurredAt },
    { reason, reference: `reverses line ${original.id}`, reversesId: original.id },
  );
