import type { Actor } from "../../domain/custody/actor.js";
import { dateInZone } from "../../domain/shared/calendar.js";
import { parseQuantity } from "../../domain/shared/quantity.js";
import { releaseOrderFor } from "../../domain/stock/releaseOrder.js";
import { assertTransferRoute } from "../../domain/stock/transfer.js";
import type { Pick } from "../../domain/stock/fefo.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import type * as lotReads from "../../db/repositories/lots.js";
import type * as movementReads from "../../db/repositories/movements.js";
import * as movementWrites from "../../db/repositories/movements.writes.js";
import * as stockLevelWrites from "../../db/repositories/stockLevels.writes.js";
import type { AppDeps } from "../deps.js";
import { command } from "../command.js";
import { loadCustodiedDepot, loadItemFacts, requireText } from "./facts.js";
import { insertLotCopy } from "./lotCopy.js";
import { pickUsable } from "./picking.js";
import { lockedStockChange, type StockChange } from "./result.js";
import { type Recording, transferInLine, transferOutLine } from "./ledgerLines.js";

export interface TransferStockInput {
  from: CountyKey;
  to: CountyKey;
  itemId: number;
  /** Move this lot; otherwise first-expiry-first-out across the source depot's usable lots. */
  lotId?: number | null;
  quantity: string;
  reason: string;
  reference?: string | null;
  /** Required out of agent storage (动用指令). */
  releaseOrderNo?: string | null;
  changeFromQuantity?: string | null;
  idempotencyKey?: string | null;
}

/**
 * Stock moves between depots of one holder (a township's own depots, or the county's) without a requisition: a
 * TRANSFER_OUT line at the source and a TRANSFER_IN line on a copy of each lot at the destination, in one
 * transaction, so it is never on nobody's books. Whoever moves it must have custody of both depots; only usable,
 * unallocated stock above the source's reserve floor moves (rules 1–3).
 */
export function transferStock(deps: AppDeps, actor: Actor, input: TransferStockInput): Promise<StockChange> {
  return command(deps, actor, "transferStock", input.from.countyId, input, async (tx, now) => {
    const source = await loadCustodiedDepot(tx, actor, input.from, ["fromDepotId"]);
    const target = await loadCustodiedDepot(tx, actor, input.to, ["toDepotId"]);
    assertTransferRoute(source.facts, target.facts);
    const releaseOrderNo = releaseOrderFor(source.depot.kind, input.releaseOrderNo);
    const { item, unit } = await loadItemFacts(deps, tx, input.itemId, ["itemId"]);
    const quantity = parseQuantity(input.quantity, unit.scale, ["quantity"]);
    const reason = requireText(input.reason, "reason", "a reason");
    const { lots, picks } = await pickUsable(tx, {
      depot: input.from,
      itemId: item.id,
      lotId: input.lotId ?? null,
      quantity,
      today: dateInZone(now),
      changeFromQuantity: input.changeFromQuantity,
      scale: unit.scale,
    });
    // both ends' balances at once, in one order: two transfers the opposite way round cannot wait on each other
    await stockLevelWrites.lockStockLevels(tx, [
      { countyId: input.from.countyId, depotId: input.from.id, itemId: item.id },
      { countyId: input.to.countyId, depotId: input.to.id, itemId: item.id },
    ]);
    const extra = input.reference?.trim();
    const leg = (ref: string) => ({ reason, reference: extra ? `${ref} / ${extra}` : ref, releaseOrderNo });
    return moveLots(
      tx,
      lots,
      picks,
      { actor, now },
      {
        target: target.depot.id,
        out: leg(`to ${target.depot.code}`),
        in: leg(`from ${source.depot.code}`),
      },
    );
  });
}

/** Each pick leaves its lot at the source and arrives on a copy of the lot at the target. */
async function moveLots(
  tx: Executor,
  locked: lotReads.LotRow[],
  picks: Pick[],
  by: Recording,
  legs: {
    target: number;
    out: Parameters<typeof transferOutLine>[3];
    in: Parameters<typeof transferInLine>[3];
  },
): Promise<StockChange> {
  const outs: movementReads.MovementRow[] = [];
  const ins: { movement: movementReads.MovementRow; lot: lotReads.LotRow }[] = [];
  for (const pick of picks) {
    const lot = locked.find((l) => l.id === pick.lotId)!;
    // out first: a serial number is unique among lots holding stock, so the unit leaves before it arrives
    outs.push(await movementWrites.appendMovement(tx, transferOutLine(lot, pick.quantity, by, legs.out)));
    const copy = await insertLotCopy(tx, lot, { depotId: legs.target });
    const movement = await movementWrites.appendMovement(
      tx,
      transferInLine(copy, pick.quantity, by, legs.in),
    );
    ins.push({ movement, lot: { ...copy, onHand: pick.quantity } });
  }
  const left = lockedStockChange(locked, outs);
  return {
    movements: [...outs, ...ins.map((i) => i.movement)],
    lots: [...left.lots, ...ins.map((i) => i.lot)],
  };
}
