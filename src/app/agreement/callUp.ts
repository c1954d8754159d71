import {
  assertCallable,
  assertInForce,
  CALL_UP_NUMBER_PREFIX,
  callUpNumber,
  callUpStatus,
  dueAtOf,
} from "../../domain/agreement/callUp.js";
import type { Actor } from "../../domain/custody/actor.js";
import { decideCallUp } from "../../domain/custody/policy.js";
import { dateInZone } from "../../domain/shared/calendar.js";
import { DomainError } from "../../domain/shared/errors.js";
import { parseQuantity } from "../../domain/shared/quantity.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import * as agreements from "../../db/repositories/agreements.js";
import * as agreementWrites from "../../db/repositories/agreements.writes.js";
import * as callUpReads from "../../db/repositories/callUps.js";
import * as callUpWrites from "../../db/repositories/callUps.writes.js";
import * as depotWrites from "../../db/repositories/depots.writes.js";
import { unitScales } from "../catalogue.js";
import { command } from "../command.js";
import type { AppDeps } from "../deps.js";
import { requireText } from "../stock/facts.js";

export interface CallUpLineInput {
  itemId: number;
  quantity: string;
}

export interface CallUpAgreementInput {
  agreement: CountyKey;
  lines: readonly CallUpLineInput[];
  destinationDepot: CountyKey;
  reason: string;
  idempotencyKey?: string | null;
}

export interface CallUpResult {
  callUp: callUpReads.CallUpRow;
  lines: callUpReads.CallUpLineRow[];
}

/** The county's officers call up and cancel; anyone else is told nothing about the agreement or call-up. */
function assertCounty(actor: Actor, countyId: number, notFound: DomainError) {
  if (!decideCallUp(actor, countyId).allowed) throw notFound;
}

/**
 * Where the goods go: an open depot of the county that keeps stock on its own books. Not an agreement-reserve
 * depot: that books the distributor's stock, which coverage counts by the contract, so a delivery there would
 * vanish from what is called and never show as stock.
 */
async function destinationOf(tx: Executor, countyId: number, key: CountyKey) {
  const field = ["destinationDepotId"];
  const placed = key.countyId === countyId ? await depotWrites.findPlaced(tx, key) : null;
  if (!placed) throw new DomainError("NOT_FOUND", "depot not found", field);
  if (placed.depot.kind === "AGREEMENT_RESERVE")
    throw new DomainError("INVALID_INPUT", "deliver to a depot that keeps its own stock", field);
  if (placed.depot.closedAt !== null) throw new DomainError("DEPOT_CLOSED", "the depot is closed", field);
  return placed.depot;
}

/**
 * A call-up order (协议储备调用单): the agreement row is locked first, so two call-ups of one agreement take turns
 * and the second sees what the first called; then the county's next number, under its own lock.
 */
export function callUpAgreement(
  deps: AppDeps,
  actor: Actor,
  input: CallUpAgreementInput,
): Promise<CallUpResult> {
  const key = input.agreement;
  return command(deps, actor, "callUpAgreement", key.countyId, input, async (tx, now) => {
    assertCounty(actor, key.countyId, new DomainError("NOT_FOUND", "agreement not found", ["agreementId"]));
    const reason = requireText(input.reason, "reason", "a reason");
    const agreement = await agreementWrites.lock(tx, key);
    if (!agreement) throw new DomainError("NOT_FOUND", "agreement not found", ["agreementId"]);
    const today = dateInZone(now);
    assertInForce(agreement, today);
    const depot = await destinationOf(tx, key.countyId, input.destinationDepot);
    const agreed = new Map((await agreements.linesOf(tx, [key])).map((l) => [l.itemId, l.quantity]));
    const scales = await unitScales(deps, tx, [...agreed.keys()]);
    const lines = input.lines.map((l, i) => ({
      itemId: l.itemId,
      // an item outside the agreement is refused by assertCallable; its quantity is read at the finest scale
      quantity: parseQuantity(l.quantity, scales.get(l.itemId) ?? 3, ["lines", String(i), "quantity"]),
    }));
    assertCallable(lines, agreed, await callUpReads.calledOfAgreement(tx, key));
    const prefix = `${CALL_UP_NUMBER_PREFIX}-${today.slice(0, 4)}-`;
    const sequence = await callUpWrites.nextNumberIn(tx, key.countyId, prefix);
    return callUpWrites.insert(
      tx,
      {
        countyId: key.countyId,
        number: callUpNumber(today.slice(0, 4), sequence),
        agreementId: agreement.id,
        destinationDepotId: depot.id,
        reason,
        calledBy: actor.userId,
        calledAt: now,
        dueAt: dueAtOf(now, agreement.leadHours),
      },
      lines,
    );
  });
}

export interface CancelCallUpInput {
  callUp: CountyKey;
  reason: string;
  idempotencyKey?: string | null;
}

/** What will not come: the call-up stops, and what is outstanding goes back to the agreement's remaining. */
export function cancelCallUp(deps: AppDeps, actor: Actor, input: CancelCallUpInput): Promise<CallUpResult> {
  const key = input.callUp;
  return command(deps, actor, "cancelCallUp", key.countyId, input, async (tx, now) => {
    const notFound = new DomainError("NOT_FOUND", "call-up not found", ["callUpId"]);
    assertCounty(actor, key.countyId, notFound);
    const reason = requireText(input.reason, "reason", "a reason");
    const locked = await callUpWrites.lock(tx, key);
    if (!locked) throw notFound;
    if (callUpStatus(locked.callUp) !== "OPEN")
      throw new DomainError("INVALID_TRANSITION", "the call-up is already closed or cancelled", ["callUpId"]);
    const callUp = await callUpWrites.cancel(tx, key, { userId: actor.userId, at: now, reason });
    return { callUp, lines: locked.lines };
  });
}

/** A call-up line's figures as the domain reads them. */
export const lineFacts = (l: callUpReads.CallUpLineRow) => ({
  itemId: l.itemId,
  quantity: l.quantity,
  delivered: l.deliveredQuantity,
});
