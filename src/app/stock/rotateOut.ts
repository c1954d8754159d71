import type { Actor } from "../../domain/custody/actor.js";
import { type CalendarDate, dateInZone } from "../../domain/shared/calendar.js";
import { DomainError } from "../../domain/shared/errors.js";
import { formatQuantity, parseQuantity, type Quantity } from "../../domain/shared/quantity.js";
import type { DisposalKind } from "../../domain/rotation/rotation.js";
import { isIssuable, unallocatedOf } from "../../domain/stock/availability.js";
import { releaseOrderFor } from "../../domain/stock/releaseOrder.js";
import type { CountyKey } from "../../db/keys.js";
import type * as lotReads from "../../db/repositories/lots.js";
import * as movementWrites from "../../db/repositories/movements.writes.js";
import * as rotationWrites from "../../db/repositories/rotations.writes.js";
import type * as rotations from "../../db/repositories/rotations.js";
import type { AppDeps } from "../deps.js";
import { command } from "../command.js";
import { loadItemFacts, lockCustodiedLot, requireText } from "./facts.js";
import { type StockChange, stockChange } from "./result.js";
import { assertUnchanged } from "./shared.js";
import { rotationOutLine } from "./ledgerLines.js";

export interface RotateOutInput {
  lot: CountyKey;
  quantity: string;
  disposal: DisposalKind;
  reason: string;
  /** False when the reserve is being reduced on purpose and nothing will replace the stock. */
  replacementRequired?: boolean | null;
  changeFromQuantity?: string | null;
  /** Required out of agent storage (动用指令). */
  releaseOrderNo?: string | null;
  idempotencyKey?: string | null;
}

export interface RotateOutResult extends StockChange {
  rotation: rotations.RotationRow;
}

/**
 * Stock leaves before it expires (定期更换) to be donated, sold or returned, as a ROTATION_OUT line, and a rotation
 * stays open until a receipt names it as its replacement. Allocated stock is promised elsewhere and never rotated.
 */
export function rotateOut(deps: AppDeps, actor: Actor, input: RotateOutInput): Promise<RotateOutResult> {
  return command(deps, actor, "rotateOut", input.lot.countyId, input, async (tx, now) => {
    const { lot, depot } = await lockCustodiedLot(tx, actor, input.lot, ["lotId"]);
    const releaseOrderNo = releaseOrderFor(depot.kind, input.releaseOrderNo);
    const { unit } = await loadItemFacts(deps, tx, lot.itemId, ["lotId"]);
    const quantity = parseQuantity(input.quantity, unit.scale, ["quantity"]);
    const reason = requireText(input.reason, "reason", "a reason");
    assertRotatable(lot, quantity, dateInZone(now), {
      changeFrom: input.changeFromQuantity,
      scale: unit.scale,
    });
    const movement = await movementWrites.appendMovement(
      tx,
      rotationOutLine(lot, quantity, { actor, now }, { reason, reference: input.disposal, releaseOrderNo }),
    );
    const rotation = await rotationWrites.insert(tx, {
      countyId: lot.countyId,
      lotId: lot.id,
      depotId: lot.depotId,
      itemId: lot.itemId,
      quantity,
      disposal: input.disposal,
      reason,
      replacementRequired: input.replacementRequired ?? true,
      movementId: movement.id,
      actorId: actor.userId,
      createdAt: now,
    });
    return { rotation, ...(await stockChange(tx, [movement])) };
  });
}

/** Only usable, unallocated stock rotates; what is promised elsewhere stays, and the rest is written off instead. */
function assertRotatable(
  lot: lotReads.LotRow,
  quantity: Quantity,
  today: CalendarDate,
  expected: { changeFrom: string | null | undefined; scale: number },
): void {
  if (!isIssuable(lot, today)) {
    throw new DomainError(
      "LOT_NOT_ISSUABLE",
      "only serviceable, unexpired stock is rotated; write the rest off",
      ["lotId"],
    );
  }
  if (expected.changeFrom != null) assertUnchanged(expected.changeFrom, lot.onHand, expected.scale);
  const free = unallocatedOf(lot);
  if (quantity > free) {
    throw new DomainError("INSUFFICIENT_STOCK", `only ${formatQuantity(free)} of the lot is unallocated`, [
      "quantity",
    ]);
  }
}
