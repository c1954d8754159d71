import type { Actor } from "../../domain/custody/actor.js";
import { dateInZone } from "../../domain/shared/calendar.js";
import { DomainError } from "../../domain/shared/errors.js";
import { formatQuantity, fromDb, neg, parseQuantity, sum } from "../../domain/shared/quantity.js";
import { type CandidateLot, type Pick, pickFefo } from "../../domain/stock/fefo.js";
import { assertAboveFloor } from "../../domain/stock/floor.js";
import { assertDeductionFits, assertOccurredAt } from "../../domain/stock/ledger.js";
import type { IssuePurpose } from "../../domain/stock/movement.js";
import { availableOf, isIssuable } from "../../domain/stock/availability.js";
import type { CountyKey } from "../../db/keys.js";
import * as stock from "../../db/repositories/stock.js";
import type { AppDeps } from "../deps.js";
import { command } from "../command.js";
import { loadCustodiedDepot, loadItemFacts, requireText } from "./facts.js";
import { lockedStockChange, type StockChange } from "./result.js";
import { assertUnchanged, ledgerPoints } from "./shared.js";

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
  idempotencyKey?: string | null;
}

export const toCandidate = (l: stock.LotRow): CandidateLot => ({
  id: l.id,
  condition: l.condition,
  expiresOn: l.expiresOn,
  receivedOn: l.receivedOn,
  onHand: fromDb(l.onHand),
  allocated: fromDb(l.allocated),
});

/** Stock leaves a depot for use: flood fighting, a drill, distribution. */
export function issueStock(deps: AppDeps, actor: Actor, input: IssueStockInput): Promise<StockChange> {
  return command(deps, actor, "issueStock", input.depot.countyId, input, async (tx) => {
    const { facts } = await loadCustodiedDepot(tx, actor, input.depot, ["depotId"]);
    const { item, unit } = await loadItemFacts(deps, tx, input.itemId, ["itemId"]);
    const quantity = parseQuantity(input.quantity, unit.scale, ["quantity"]);
    const recipient = requireText(input.recipient, "recipient", "a recipient");
    const reason = requireText(input.reason, "reason", "a reason");
    const now = deps.clock();
    const occurredAt = input.occurredAt ?? now;
    assertOccurredAt(occurredAt, now);
    const today = dateInZone(now);

    // the floor is a setting, not stock: read before the lots are locked, so the lock is held for less
    const level = await stock.findStockLevel(tx, input.depot, item.id);
    const locked = await stock.lockDepotItemLots(tx, input.depot, item.id, input.lotId ?? null);
    const lots = locked.map(toCandidate);
    let picks: Pick[];
    if (input.lotId != null) {
      const lot = lots.find((l) => l.id === input.lotId);
      if (!lot) throw new DomainError("NOT_FOUND", "no such lot of this item at this depot", ["lotId"]);
      if (!isIssuable(lot, today)) {
        throw new DomainError(
          "LOT_NOT_ISSUABLE",
          `the lot is ${lot.condition === "SERVICEABLE" ? "expired" : lot.condition.toLowerCase()}`,
          ["lotId"],
        );
      }
      const available = availableOf(lot, today);
      if (quantity > available) {
        throw new DomainError(
          "INSUFFICIENT_STOCK",
          `only ${formatQuantity(available)} of the lot is usable`,
          ["quantity"],
        );
      }
      picks = [{ lotId: lot.id, quantity }];
    } else {
      picks = pickFefo(lots, quantity, today);
    }
    if (input.changeFromQuantity != null) {
      const current =
        input.lotId != null ? lots.find((l) => l.id === input.lotId)!.onHand : sum(lots.map((l) => l.onHand));
      assertUnchanged(input.changeFromQuantity, current, unit.scale);
    }
    assertAboveFloor(
      sum(lots.map((l) => availableOf(l, today))),
      quantity,
      fromDb(level?.reserveFloor ?? "0"),
    );

    const movements: stock.MovementRow[] = [];
    for (const pick of picks) {
      const lotKey = { countyId: facts.countyId, id: pick.lotId };
      if (occurredAt.getTime() < now.getTime()) {
        assertDeductionFits(ledgerPoints(await stock.ledgerOfLot(tx, lotKey)), occurredAt, pick.quantity, [
          "occurredAt",
        ]);
      }
      movements.push(
        await stock.appendMovement(tx, {
          countyId: facts.countyId,
          depotId: facts.depotId,
          lotId: pick.lotId,
          itemId: item.id,
          kind: "ISSUE",
          quantity: formatQuantity(neg(pick.quantity)),
          actorId: actor.userId,
          occurredAt,
          recordedAt: now,
          reason,
          reference: input.reference?.trim() ?? "",
          recipient,
          purpose: input.purpose,
        }),
      );
    }
    return lockedStockChange(locked, movements);
  });
}
