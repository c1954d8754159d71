import type { Actor } from "../../domain/custody/actor.js";
import { decideStockChange } from "../../domain/custody/policy.js";
import { dateInZone } from "../../domain/shared/calendar.js";
import { DomainError } from "../../domain/shared/errors.js";
import { formatQuantity } from "../../domain/shared/quantity.js";
import type { ReceiptSource } from "../../domain/stock/movement.js";
import { planReceipt } from "../../domain/stock/receipt.js";
import type { CountyKey } from "../../db/keys.js";
import * as stock from "../../db/repositories/stock.js";
import { type AppDeps, inTransaction } from "../deps.js";
import { loadDepotFacts, loadItemFacts } from "./facts.js";

export interface ReceiveStockInput {
  depot: CountyKey;
  itemId: number;
  quantity: string;
  lotCode: string;
  receivedOn: string;
  expiresOn?: string | null;
  serialNumbers?: readonly string[] | null;
  source: ReceiptSource;
  reason: string;
  reference?: string;
  occurredAt?: Date;
}

export interface ReceiveStockResult {
  lots: stock.LotRow[];
  movements: stock.MovementRow[];
}

/** A quantity of an item arrives at a depot as a new lot (one per serial number for equipment). */
export function receiveStock(
  deps: AppDeps,
  actor: Actor,
  input: ReceiveStockInput,
): Promise<ReceiveStockResult> {
  return inTransaction(deps, async (tx) => {
    const { facts } = await loadDepotFacts(tx, input.depot, ["depotId"]);
    // a depot outside custody answers like a missing one, so scope cannot be probed
    if (!decideStockChange(actor, facts).allowed)
      throw new DomainError("NOT_FOUND", "depot not found", ["depotId"]);
    const { item, unit } = await loadItemFacts(tx, input.itemId, ["itemId"]);
    if (!input.reason.trim()) throw new DomainError("INVALID_INPUT", "a reason is required", ["reason"]);
    const now = deps.clock();
    const planned = planReceipt(
      { trackingMode: item.trackingMode, shelfLifeDays: item.shelfLifeDays, unitScale: unit.scale },
      input,
      dateInZone(now),
    );
    const result: ReceiveStockResult = { lots: [], movements: [] };
    for (const p of planned) {
      const lot = await stock.insertLot(tx, {
        countyId: facts.countyId,
        depotId: facts.depotId,
        itemId: item.id,
        lotCode: p.lotCode,
        receivedOn: p.receivedOn,
        expiresOn: p.expiresOn,
        serialNumber: p.serialNumber,
        onHand: "0",
      });
      const movement = await stock.appendMovement(tx, {
        countyId: facts.countyId,
        depotId: facts.depotId,
        lotId: lot.id,
        itemId: item.id,
        kind: "RECEIPT",
        quantity: formatQuantity(p.quantity),
        actorId: actor.userId,
        occurredAt: input.occurredAt ?? now,
        reason: input.reason.trim(),
        reference: input.reference ?? "",
        source: input.source,
      });
      result.lots.push({ ...lot, onHand: formatQuantity(p.quantity) });
      result.movements.push(movement);
    }
    return result;
  });
}
