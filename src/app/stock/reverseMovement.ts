import type { Actor } from "../../domain/custody/actor.js";
import { DomainError, isDomainError } from "../../domain/shared/errors.js";
import { formatQuantity, neg } from "../../domain/shared/quantity.js";
import { unallocatedOf } from "../../domain/stock/availability.js";
import { assertDeductionFits } from "../../domain/stock/ledger.js";
import { assertReversible } from "../../domain/stock/reversal.js";
import type { CountyKey } from "../../db/keys.js";
import * as movementReads from "../../db/repositories/movements.js";
import * as movementWrites from "../../db/repositories/movements.writes.js";
import * as stockTakes from "../../db/repositories/stockTakes.js";
import type { AppDeps } from "../deps.js";
import { command } from "../command.js";
import { lockCustodiedLot, requireText } from "./facts.js";
import { type StockChange, stockChange } from "./result.js";
import { reversalLine } from "./ledgerLines.js";

export interface ReverseMovementInput {
  movement: CountyKey;
  reason: string;
  idempotencyKey?: string | null;
}

/**
 * Corrects a mistaken ledger line with a REVERSAL line pointing at it, effective when the original was. The
 * original is never touched.
 */
export function reverseMovement(
  deps: AppDeps,
  actor: Actor,
  input: ReverseMovementInput,
): Promise<StockChange> {
  return command(deps, actor, "reverseMovement", input.movement.countyId, input, async (tx, now) => {
    const notFound = new DomainError("NOT_FOUND", "ledger line not found", ["movementId"]);
    const original = await movementReads.findMovement(tx, input.movement);
    if (!original) throw notFound;
    const lotKey = { countyId: original.countyId, id: original.lotId };
    // the lot lock serialises competing reversals of the same line
    const { lot } = await lockCustodiedLot(tx, actor, lotKey, ["movementId"]).catch((e: unknown) => {
      // out of custody reads exactly like a line that does not exist
      throw isDomainError(e) && e.code === "NOT_FOUND" ? notFound : e;
    });
    const reason = requireText(input.reason, "reason", "a reason");
    assertReversible({
      kind: original.kind,
      recordedAt: original.recordedAt,
      alreadyReversed: await movementReads.isReversed(tx, input.movement),
      lastCountedAt: await stockTakes.lastCountedAt(tx, lotKey),
      requisitionId: original.requisitionId,
    });
    const quantity = neg(original.quantity);
    if (quantity < 0n) {
      const taking = neg(quantity);
      const free = unallocatedOf(lot);
      if (taking > free) {
        throw new DomainError(
          "INSUFFICIENT_STOCK",
          `only ${formatQuantity(free)} of the lot is left to take back`,
          ["movementId"],
        );
      }
      assertDeductionFits(await movementReads.ledgerOfLot(tx, lotKey), original.occurredAt, taking, [
        "movementId",
      ]);
    }
    const reversal = await movementWrites.appendMovement(
      tx,
      reversalLine(original, quantity, { actor, now }, reason),
    );
    return stockChange(tx, [reversal]);
  });
}
