import type { Actor } from "../../domain/custody/actor.js";
import { dateInZone } from "../../domain/shared/calendar.js";
import { parseQuantity } from "../../domain/shared/quantity.js";
import { assertDeductionFits, assertOccurredAt } from "../../domain/stock/ledger.js";
import type { IssuePurpose } from "../../domain/stock/movement.js";
import { releaseOrderFor } from "../../domain/stock/releaseOrder.js";
import type { CountyKey } from "../../db/keys.js";
import * as stock from "../../db/repositories/stock.js";
import type { AppDeps } from "../deps.js";
import { command } from "../command.js";
import { loadCustodiedDepot, loadItemFacts, requireText } from "./facts.js";
import { pickUsable } from "./picking.js";
import { lockedStockChange, type StockChange } from "./result.js";
import { ledgerPoints } from "./shared.js";
import { issueLine } from "./ledgerLines.js";

export interface IssueStockInput {
  depot: CountyKey;
  itemId: number;
  /** Take from this lot; otherwise first-expiry-first-out across the depot's usable lots. */
  lotId?: number | null;
  quantity: string;
  purpose: IssuePurpose;
  recipient: string;
  reason: string;
  reference?: string | null;
  occurredAt?: Date | null;
  changeFromQuantity?: string | null;
  /** Required out of agent storage (动用指令). */
  releaseOrderNo?: string | null;
  idempotencyKey?: string | null;
}

// approvals pick lots the same way
export { toCandidate } from "./picking.js";

/** Stock leaves a depot for use: flood fighting, a drill, distribution. */
export function issueStock(deps: AppDeps, actor: Actor, input: IssueStockInput): Promise<StockChange> {
  return command(deps, actor, "issueStock", input.depot.countyId, input, async (tx, now) => {
    const { depot, facts } = await loadCustodiedDepot(tx, actor, input.depot, ["depotId"]);
    const releaseOrderNo = releaseOrderFor(depot.kind, input.releaseOrderNo);
    const { item, unit } = await loadItemFacts(deps, tx, input.itemId, ["itemId"]);
    const quantity = parseQuantity(input.quantity, unit.scale, ["quantity"]);
    const recipient = requireText(input.recipient, "recipient", "a recipient");
    const reason = requireText(input.reason, "reason", "a reason");
    const occurredAt = input.occurredAt ?? now;
    assertOccurredAt(occurredAt, now);
    const today = dateInZone(now);

    const { locked, picks } = await pickUsable(tx, {
      depot: input.depot,
      itemId: item.id,
      lotId: input.lotId ?? null,
      quantity,
      today,
      changeFromQuantity: input.changeFromQuantity,
      scale: unit.scale,
    });
    const movements: stock.MovementRow[] = [];
    for (const pick of picks) {
      const lotKey = { countyId: facts.countyId, id: pick.lotId };
      if (occurredAt.getTime() < now.getTime()) {
        assertDeductionFits(ledgerPoints(await stock.ledgerOfLot(tx, lotKey)), occurredAt, pick.quantity, [
          "occurredAt",
        ]);
      }
      movements.push(
        await stock.appendMovement(
          tx,
          issueLine(
            { countyId: facts.countyId, depotId: facts.depotId, id: pick.lotId, itemId: item.id },
            pick.quantity,
            { actor, now, occurredAt },
            {
              reason,
              reference: input.reference?.trim() ?? "",
              recipient,
              purpose: input.purpose,
              releaseOrderNo,
            },
          ),
        ),
      );
    }
    return lockedStockChange(locked, movements);
  });
}
