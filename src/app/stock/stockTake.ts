import type { Actor } from "../../domain/custody/actor.js";
import { DomainError } from "../../domain/shared/errors.js";
import { add, formatQuantity, neg, parseQuantity } from "../../domain/shared/quantity.js";
import { assertDeductionFits, type LedgerPoint } from "../../domain/stock/ledger.js";
import { type Adjustment, countAdjustments } from "../../domain/stock/stockTake.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import { unitScales } from "../catalogue.js";
import * as depotWrites from "../../db/repositories/depots.writes.js";
import type * as lotReads from "../../db/repositories/lots.js";
import * as lotWrites from "../../db/repositories/lots.writes.js";
import type * as movementReads from "../../db/repositories/movements.js";
import * as movementWrites from "../../db/repositories/movements.writes.js";
import * as stockTakeWrites from "../../db/repositories/stockTakes.writes.js";
import * as stockTakes from "../../db/repositories/stockTakes.js";
import type { AppDeps } from "../deps.js";
import { command } from "../command.js";
import { loadCustodiedDepot, requireText } from "./facts.js";
import { stockChange, type StockChange } from "./result.js";
import { adjustmentLine } from "./ledgerLines.js";

export interface StartStockTakeInput {
  depot: CountyKey;
  note?: string | null;
  idempotencyKey?: string | null;
}

/** Opens a count of a depot; the lots holding stock now are the ones to count. */
export function startStockTake(deps: AppDeps, actor: Actor, input: StartStockTakeInput) {
  return command(deps, actor, "startStockTake", input.depot.countyId, input, async (tx, now) => {
    await loadCustodiedDepot(tx, actor, input.depot, ["depotId"]);
    // the depot lock makes "no open count yet" hold until this one is open; the lot locks make the snapshot one instant
    await depotWrites.lock(tx, input.depot);
    await lotWrites.lockDepotLots(tx, input.depot);
    if (await stockTakes.findOpen(tx, input.depot)) {
      throw new DomainError("INVALID_TRANSITION", "a stock-take of this depot is already open", ["depotId"]);
    }
    return stockTakeWrites.start(tx, input.depot, actor.userId, input.note?.trim() ?? "", now);
  });
}

/** The stock-take locked, in the actor's custody and still open. */
async function lockOpenTake(tx: Executor, actor: Actor, key: CountyKey) {
  const take = await stockTakeWrites.lock(tx, key);
  const notFound = new DomainError("NOT_FOUND", "stock-take not found", ["stockTakeId"]);
  if (!take) throw notFound;
  await loadCustodiedDepot(tx, actor, { countyId: take.countyId, id: take.depotId }, ["stockTakeId"], {
    notFound,
  });
  if (take.status !== "OPEN") {
    throw new DomainError("INVALID_TRANSITION", `the stock-take is ${take.status.toLowerCase()}`, [
      "stockTakeId",
    ]);
  }
  return take;
}

export interface SubmitStockTakeInput {
  stockTake: CountyKey;
  counts: { lotId: number; countedQuantity: string; countedAt?: Date | null }[];
  idempotencyKey?: string | null;
}

export interface SubmitStockTakeResult extends StockChange {
  stockTake: stockTakes.StockTakeRow;
}

/**
 * Records the counts; each difference from the lot's book at the instant it was counted becomes an ADJUSTMENT line
 * dated then, so an issue during the count (before or after the lot was counted) is booked once, as the issue.
 */
export function submitStockTake(
  deps: AppDeps,
  actor: Actor,
  input: SubmitStockTakeInput,
): Promise<SubmitStockTakeResult> {
  return command(deps, actor, "submitStockTake", input.stockTake.countyId, input, async (tx, now) => {
    const take = await lockOpenTake(tx, actor, input.stockTake);
    const { snapshot, lotById, counts, ledgers } = await loadCount(deps, tx, input, now);
    const adjustments = countAdjustments(snapshot, counts, ledgers, { startedAt: take.startedAt, now });
    const movements: movementReads.MovementRow[] = [];
    for (const a of adjustments) {
      const lot = lotById.get(a.lotId)!;
      assertAdjustmentFits(lot, a, ledgers.get(a.lotId)!, now);
      movements.push(
        await movementWrites.appendMovement(
          tx,
          adjustmentLine(lot, a.delta, { actor, now, occurredAt: a.countedAt }, take.id),
        ),
      );
    }
    const submitted = await stockTakeWrites.submit(tx, input.stockTake, actor.userId, counts, now);
    return { stockTake: submitted, ...(await stockChange(tx, movements)) };
  });
}

/** The stock-take's lots locked, the counts read in each lot's unit, and each lot's ledger without this count. */
async function loadCount(deps: AppDeps, tx: Executor, input: SubmitStockTakeInput, now: Date) {
  const snapshot = await stockTakes.linesOf(tx, [input.stockTake]);
  const lotIds = snapshot.map((l) => l.lotId);
  const lots = await lotWrites.lockLots(
    tx,
    lotIds.map((id) => ({ countyId: input.stockTake.countyId, id })),
  );
  const units = await unitScales(
    deps,
    tx,
    lots.map((l) => l.itemId),
  );
  const lotById = new Map(lots.map((l) => [l.id, l]));
  const counts = input.counts.map((c, i) => {
    const lot = lotById.get(c.lotId);
    const field = ["counts", String(i), "countedQuantity"];
    const scale = lot ? units.get(lot.itemId)! : 3;
    return {
      lotId: c.lotId,
      counted: parseQuantity(c.countedQuantity, scale, field, { allowZero: true }),
      countedAt: c.countedAt ?? now,
    };
  });
  const ledger = await stockTakes.ledgerOfLots(tx, input.stockTake, lotIds);
  const ledgers = new Map(lotIds.map((id) => [id, ledger.filter((m) => m.lotId === id)]));
  return { snapshot, lotById, counts, ledgers };
}

/**
 * A loss found by the count may not leave less than is allocated to requisitions, nor, dated back to a paper count,
 * take the lot below zero at any point since (what left after the count must have been there).
 */
function assertAdjustmentFits(
  lot: lotReads.LotRow,
  a: Adjustment,
  ledger: readonly LedgerPoint[],
  now: Date,
): void {
  const field = ["counts", String(a.index), "countedQuantity"];
  const after = add(lot.onHand, a.delta);
  if (after < lot.allocated) {
    throw new DomainError(
      "INSUFFICIENT_STOCK",
      `the count leaves ${formatQuantity(after)}, less than the ${formatQuantity(lot.allocated)} allocated to requisitions`,
      field,
    );
  }
  if (a.delta < 0n && a.countedAt.getTime() < now.getTime())
    assertDeductionFits(ledger, a.countedAt, neg(a.delta), field);
}

export interface CancelStockTakeInput {
  stockTake: CountyKey;
  reason: string;
  idempotencyKey?: string | null;
}

/** An open count is abandoned with a reason; it wrote nothing on the ledger, and writes nothing now. */
export function cancelStockTake(deps: AppDeps, actor: Actor, input: CancelStockTakeInput) {
  return command(deps, actor, "cancelStockTake", input.stockTake.countyId, input, async (tx, now) => {
    await lockOpenTake(tx, actor, input.stockTake);
    const reason = requireText(input.reason, "reason", "a reason");
    return stockTakeWrites.cancel(tx, input.stockTake, actor.userId, reason, now);
  });
}
