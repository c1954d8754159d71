import type { Actor } from "../../domain/custody/actor.js";
import { DomainError } from "../../domain/shared/errors.js";
import { add, formatQuantity, fromDb, parseQuantity } from "../../domain/shared/quantity.js";
import { countAdjustments } from "../../domain/stock/stockTake.js";
import type { CountyKey } from "../../db/keys.js";
import { unitScales } from "../catalogue.js";
import * as depots from "../../db/repositories/depots.js";
import * as stock from "../../db/repositories/stock.js";
import * as stockTakes from "../../db/repositories/stockTakes.js";
import type { AppDeps } from "../deps.js";
import { command } from "../command.js";
import { assertCustody, loadCustodiedDepot, loadDepotFacts } from "./facts.js";
import { stockChange, type StockChange } from "./result.js";

export interface StartStockTakeInput {
  depot: CountyKey;
  note?: string | null;
  idempotencyKey?: string | null;
}

/** Opens a count of a depot; book quantities are frozen now so later movements are not counted twice. */
export function startStockTake(deps: AppDeps, actor: Actor, input: StartStockTakeInput) {
  return command(deps, actor, "startStockTake", input.depot.countyId, input, async (tx) => {
    await loadCustodiedDepot(tx, actor, input.depot, ["depotId"]);
    // the depot lock makes "no open count yet" hold until this one is open; the lot locks make the snapshot one instant
    await depots.lock(tx, input.depot);
    await stock.lockDepotLots(tx, input.depot);
    if (await stockTakes.findOpen(tx, input.depot)) {
      throw new DomainError("INVALID_TRANSITION", "a stock-take of this depot is already open", ["depotId"]);
    }
    return stockTakes.start(tx, input.depot, actor.userId, input.note?.trim() ?? "", deps.clock());
  });
}

export interface SubmitStockTakeInput {
  stockTake: CountyKey;
  counts: { lotId: number; countedQuantity: string }[];
  idempotencyKey?: string | null;
}

export interface SubmitStockTakeResult extends StockChange {
  stockTake: stockTakes.StockTakeRow;
}

/** Records the counts; each difference from the frozen book quantity becomes an ADJUSTMENT line. */
export function submitStockTake(
  deps: AppDeps,
  actor: Actor,
  input: SubmitStockTakeInput,
): Promise<SubmitStockTakeResult> {
  return command(deps, actor, "submitStockTake", input.stockTake.countyId, input, async (tx) => {
    const take = await stockTakes.lock(tx, input.stockTake);
    const notFound = new DomainError("NOT_FOUND", "stock-take not found", ["stockTakeId"]);
    if (!take) throw notFound;
    const { facts } = await loadDepotFacts(tx, { countyId: take.countyId, id: take.depotId }, [
      "stockTakeId",
    ]);
    assertCustody(actor, facts, notFound);
    if (take.status !== "OPEN") {
      throw new DomainError("INVALID_TRANSITION", `the stock-take is ${take.status.toLowerCase()}`, [
        "stockTakeId",
      ]);
    }
    const snapshot = await stockTakes.linesOf(tx, [input.stockTake]);
    const lots = await stock.lockLots(
      tx,
      snapshot.map((l) => ({ countyId: take.countyId, id: l.lotId })),
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
      return {
        lotId: c.lotId,
        counted: parseQuantity(c.countedQuantity, lot ? units.get(lot.itemId)! : 3, field, {
          allowZero: true,
        }),
      };
    });
    const adjustments = countAdjustments(
      snapshot.map((l) => ({ lotId: l.lotId, bookQuantity: fromDb(l.bookQuantity) })),
      counts,
    );
    const now = deps.clock();
    const movements: stock.MovementRow[] = [];
    for (const a of adjustments) {
      const lot = lotById.get(a.lotId)!;
      const after = add(fromDb(lot.onHand), a.delta);
      if (after < fromDb(lot.allocated)) {
        const i = input.counts.findIndex((c) => c.lotId === a.lotId);
        throw new DomainError(
          "INSUFFICIENT_STOCK",
          `the count leaves ${formatQuantity(after)}, less than the ${formatQuantity(fromDb(lot.allocated))} allocated to requisitions`,
          ["counts", String(i), "countedQuantity"],
        );
      }
      movements.push(
        await stock.appendMovement(tx, {
          countyId: lot.countyId,
          depotId: lot.depotId,
          lotId: lot.id,
          itemId: lot.itemId,
          kind: "ADJUSTMENT",
          quantity: formatQuantity(a.delta),
          actorId: actor.userId,
          occurredAt: now,
          recordedAt: now,
          reason: `stock-take ${take.id}`,
          stockTakeId: take.id,
        }),
      );
    }
    const submitted = await stockTakes.submit(
      tx,
      input.stockTake,
      actor.userId,
      counts.map((c) => ({ lotId: c.lotId, counted: formatQuantity(c.counted) })),
      now,
    );
    return { stockTake: submitted, ...(await stockChange(tx, movements)) };
  });
}
