import type { Actor } from "../../domain/custody/actor.js";
import { nextStatus } from "../../domain/requisition/lifecycle.js";
import { type CalendarDate, dateInZone } from "../../domain/shared/calendar.js";
import { DomainError } from "../../domain/shared/errors.js";
import { unusableReason } from "../../domain/requisition/dispatch.js";
import { releaseOrderFor } from "../../domain/stock/releaseOrder.js";
import { add, type Quantity, ZERO } from "../../domain/shared/quantity.js";
import type * as lotReads from "../../db/repositories/lots.js";
import * as movementWrites from "../../db/repositories/movements.writes.js";
import * as requisitionWrites from "../../db/repositories/requisitions.writes.js";
import type * as requisitions from "../../db/repositories/requisitions.js";
import type { Executor } from "../../db/client.js";
import type { AppDeps } from "../deps.js";
import { announce } from "../events.js";
import { requireText } from "../stock/facts.js";
import { type RequisitionCommand, requisitionCommand } from "./command.js";
import {
  assertCustodyOfSources,
  heldAllocations,
  type LoadedRequisition,
  lockLotsAndBalances,
  transition,
} from "./facts.js";
import { transferOutLine } from "../stock/ledgerLines.js";
import { setOff } from "./vehicles.js";

export interface DispatchRequisitionInput extends RequisitionCommand {
  carrier: string;
  vehicle: string;
  driverContact: string;
  /** Registered vehicles (应急运力) that carry it, each on call and free; ids within the requisition's county. */
  vehicles?: readonly number[] | null;
  note?: string | null;
}

/**
 * The allocated lots leave the lender: a TRANSFER_OUT line each, off the lender's on-hand and no longer held. Until
 * the receiver counts them they belong to neither depot (custody rule 5, docs/custody-rules.md). Whoever
 * dispatches must have custody of every depot the stock leaves.
 */
export const dispatchRequisition = (deps: AppDeps, actor: Actor, input: DispatchRequisitionInput) =>
  requisitionCommand(deps, actor, "dispatchRequisition", input, async (tx, loaded, now) => {
    nextStatus(loaded.req.status, "DISPATCH");
    const vehicle = vehicleOf(input);
    const held = await heldAllocations(tx, loaded);
    const lots = await lockLotsAndBalances(
      tx,
      held.map((a) => ({ countyId: a.countyId, id: a.lotId })),
    );
    assertAllTravelUsable(lots, dateInZone(now));
    const sources = await assertCustodyOfSources(tx, actor, loaded.key.countyId, lots);
    // the approval's release order (动用指令) travels on every line out of agent storage (rule 1)
    for (const depot of sources) releaseOrderFor(depot.kind, loaded.req.releaseOrderNo, ["requisitionId"]);
    await setOff(tx, loaded.key, input.vehicles ?? [], now);
    const lotById = new Map(lots.map((l) => [l.id, l]));
    // the hold ends first: stock on the road is no longer allocated at the lender, and no longer on hand
    await requisitionWrites.markDispatched(
      tx,
      loaded.key.countyId,
      held.map((a) => ({
        ...a,
        depotId: lotById.get(a.lotId)!.depotId,
        itemId: lotById.get(a.lotId)!.itemId,
      })),
      now,
    );
    const dispatched = await sendOff(tx, actor, loaded, held, lotById, vehicle, now);
    await recordDispatched(tx, loaded, dispatched);
    const row = await transition(
      tx,
      loaded,
      "DISPATCH",
      actor,
      now,
      input.note?.trim() || `dispatched by ${vehicle.carrier}, ${vehicle.vehicle}`,
      { ...vehicle, dispatchedBy: actor.userId, dispatchedAt: now },
    );
    await announce(tx, "DISPATCHED", loaded.key, now);
    return row;
  });

type Vehicle = Pick<DispatchRequisitionInput, "carrier" | "vehicle" | "driverContact">;

const vehicleOf = (input: DispatchRequisitionInput): Vehicle => ({
  carrier: requireText(input.carrier, "carrier", "the carrier"),
  vehicle: requireText(input.vehicle, "vehicle", "the vehicle"),
  driverContact: requireText(input.driverContact, "driverContact", "the driver's contact"),
});

/** A TRANSFER_OUT line per held lot; answers what left for each line of the request. */
async function sendOff(
  tx: Executor,
  actor: Actor,
  loaded: LoadedRequisition,
  held: readonly requisitions.AllocationRow[],
  lotById: ReadonlyMap<number, lotReads.LotRow>,
  { carrier, vehicle }: Vehicle,
  now: Date,
): Promise<Map<number, Quantity>> {
  const dispatched = new Map<number, Quantity>();
  for (const a of held) {
    await movementWrites.appendMovement(
      tx,
      transferOutLine(
        lotById.get(a.lotId)!,
        a.quantity,
        { actor, now },
        {
          reason: `requisition ${loaded.key.id} dispatched`,
          reference: `${carrier} ${vehicle}`,
          requisitionId: loaded.key.id,
          releaseOrderNo: loaded.req.releaseOrderNo,
          // what leaves under an emergency approved on the supplier's word says so on the ledger (先处置后补手续)
          emergencyId: loaded.req.emergencyId,
        },
      ),
    );
    const line = a.requisitionLineId;
    dispatched.set(line, add(dispatched.get(line) ?? ZERO, a.quantity));
  }
  return dispatched;
}

/** Every line says what left for it, zero when nothing of it was held. */
async function recordDispatched(
  tx: Executor,
  loaded: LoadedRequisition,
  dispatched: ReadonlyMap<number, Quantity>,
): Promise<void> {
  for (const line of loaded.lines) {
    await requisitionWrites.updateLine(
      tx,
      { countyId: line.countyId, id: line.id },
      { dispatchedQuantity: dispatched.get(line.id) ?? ZERO },
    );
  }
}

/**
 * Rule 2: a held lot that became unusable after approval (failed test run, quarantined, damaged, expired by the
 * dispatch day) blocks the dispatch; nothing leaves. The requester cancels and asks again, which releases the hold.
 */
function assertAllTravelUsable(lots: readonly lotReads.LotRow[], today: CalendarDate): void {
  const why = lots.flatMap((l) => {
    const reason = unusableReason(l, today);
    return reason ? [`lot ${l.lotCode}${l.serialNumber ? ` (${l.serialNumber})` : ""} ${reason}`] : [];
  });
  if (why.length > 0) {
    throw new DomainError(
      "LOT_NOT_ISSUABLE",
      `held stock is no longer usable: ${why.join("; ")}. Cancel the request and ask again`,
      ["requisitionId"],
    );
  }
}
