import { callUpStatus, planDelivery } from "../../domain/agreement/callUp.js";
import type { Actor } from "../../domain/custody/actor.js";
import { dateInZone } from "../../domain/shared/calendar.js";
import { DomainError, isDomainError } from "../../domain/shared/errors.js";
import { parseQuantity } from "../../domain/shared/quantity.js";
import type { CountyKey } from "../../db/keys.js";
import type * as callUpReads from "../../db/repositories/callUps.js";
import * as callUpWrites from "../../db/repositories/callUps.writes.js";
import { unitScales } from "../catalogue.js";
import { command } from "../command.js";
import type { AppDeps } from "../deps.js";
import { loadCustodiedDepot, requireText } from "../stock/facts.js";
import { receiveInto, type ReceiveStockResult } from "../stock/receiveStock.js";
import { lineFacts } from "./callUp.js";

export interface DeliveryLineInput {
  itemId: number;
  quantity: string;
  /** The distributor's batch; the call-up's number when not given. */
  lotCode?: string | null;
  /** The day it arrived, YYYY-MM-DD; today when not given. */
  receivedOn?: string | null;
  expiresOn?: string | null;
  serialNumbers?: readonly string[] | null;
  acceptExpired?: boolean | null;
}

export interface CallUpDeliveryInput {
  callUp: CountyKey;
  lines: readonly DeliveryLineInput[];
  /** The distributor's delivery note. */
  reference: string;
  note?: string | null;
  idempotencyKey?: string | null;
}

export interface CallUpDeliveryResult extends ReceiveStockResult {
  callUp: callUpReads.CallUpRow;
  lines: callUpReads.CallUpLineRow[];
}

/** A refusal about one delivered line names that line of the delivery. */
function onLine<T>(i: number, work: () => Promise<T>): Promise<T> {
  return work().catch((e: unknown) => {
    if (!isDomainError(e) || e.code === "FORBIDDEN") throw e;
    throw new DomainError(e.code, e.message, ["lines", String(i), ...(e.field ?? [])]);
  });
}

/**
 * Goods of a call-up arrive at its destination (custody rule 1: whoever may receive stock there today): each line
 * a RECEIPT with source AGREEMENT_CALL_UP pointing at the call-up, through receiveStock's own steps. Partial
 * deliveries are fine; more than is outstanding is refused, and the last full delivery closes the call-up.
 */
export function receiveCallUpDelivery(
  deps: AppDeps,
  actor: Actor,
  input: CallUpDeliveryInput,
): Promise<CallUpDeliveryResult> {
  const key = input.callUp;
  return command(deps, actor, "receiveCallUpDelivery", key.countyId, input, async (tx, now) => {
    const notFound = new DomainError("NOT_FOUND", "call-up not found", ["callUpId"]);
    const locked = await callUpWrites.lock(tx, key);
    if (!locked) throw notFound;
    const depot = { countyId: key.countyId, id: locked.callUp.destinationDepotId };
    // a call-up to a depot out of sight answers like one that does not exist
    await loadCustodiedDepot(tx, actor, depot, ["callUpId"], { notFound });
    if (callUpStatus(locked.callUp) !== "OPEN")
      throw new DomainError("INVALID_TRANSITION", "the call-up is delivered or cancelled", ["callUpId"]);
    const scales = await unitScales(
      deps,
      tx,
      locked.lines.map((l) => l.itemId),
    );
    const delivered = input.lines.map((l, i) => ({
      itemId: l.itemId,
      quantity: parseQuantity(l.quantity, scales.get(l.itemId) ?? 3, ["lines", String(i), "quantity"]),
    }));
    const reference = requireText(input.reference, "reference", "the delivery note");
    const plan = planDelivery(locked.lines.map(lineFacts), delivered);
    const today = dateInZone(now);
    const result: CallUpDeliveryResult = { ...locked, lots: [], movements: [] };
    for (const [i, l] of input.lines.entries()) {
      const received = await onLine(i, () =>
        receiveInto(deps, tx, actor, now, {
          depot,
          itemId: l.itemId,
          quantity: l.quantity,
          lotCode: l.lotCode?.trim() || locked.callUp.number,
          receivedOn: l.receivedOn ?? today,
          expiresOn: l.expiresOn ?? null,
          serialNumbers: l.serialNumbers ?? null,
          acceptExpired: l.acceptExpired ?? null,
          source: "AGREEMENT_CALL_UP",
          reason: input.note?.trim() || `协议储备调用 ${locked.callUp.number}`,
          reference,
          callUpId: key.id,
        }),
      );
      result.lots.push(...received.lots);
      result.movements.push(...received.movements);
    }
    const changed = new Set(delivered.map((d) => d.itemId));
    result.lines = [];
    for (const [i, l] of plan.lines.entries())
      result.lines.push(
        changed.has(l.itemId)
          ? await callUpWrites.setDelivered(tx, key, l.itemId, l.delivered)
          : locked.lines[i]!,
      );
    if (plan.complete) result.callUp = await callUpWrites.close(tx, key, now);
    return result;
  });
}
