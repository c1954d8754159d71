import type { Actor } from "../../domain/custody/actor.js";
import { assertSettlement, type Settlement } from "../../domain/requisition/discrepancy.js";
import { DomainError } from "../../domain/shared/errors.js";
import { formatQuantity, type Quantity } from "../../domain/shared/quantity.js";
import type { WriteOffCause } from "../../domain/stock/movement.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import * as lotReads from "../../db/repositories/lots.js";
import * as lotWrites from "../../db/repositories/lots.writes.js";
import * as movementWrites from "../../db/repositories/movements.writes.js";
import * as requisitionWrites from "../../db/repositories/requisitions.writes.js";
import * as requisitions from "../../db/repositories/requisitions.js";
import * as stockLevelWrites from "../../db/repositories/stockLevels.writes.js";
import * as stockLevels from "../../db/repositories/stockLevels.js";
import { command } from "../command.js";
import type { AppDeps } from "../deps.js";
import { requireText } from "../stock/facts.js";
import { insertLotCopy } from "../stock/lotCopy.js";
import { lockVisible, speaksFor } from "./facts.js";
import { recordNote } from "./timeline.js";
import { freeOf, sendReturnLegs } from "./returnLeg.js";
import { returnLine, transferInLine, writeOffLine } from "../stock/ledgerLines.js";

export interface SettleDiscrepancyInput {
  discrepancy: CountyKey;
  settlement: Settlement;
  /** FOUND: where it turned up — the destination depot or the depot it left. */
  foundAt?: CountyKey | null;
  /** WRITTEN_OFF: why it is gone. */
  cause?: WriteOffCause | null;
  note: string;
  idempotencyKey?: string | null;
}

interface Facts {
  req: requisitions.RequisitionRow;
  d: requisitions.DiscrepancyRow;
  source: lotReads.LotRow;
  quarantined: lotReads.LotRow | null;
  quantity: Quantity;
  why: string;
}

/**
 * The county or the lender's township office settles what was rejected or went missing on the way (rule 5): found
 * (booked in where it turned up), written off with a cause, or returned to the lender. Each is a ledger line, or a
 * return leg in transit; the discrepancy then shows who settled it, how and when.
 */
export function settleDiscrepancy(deps: AppDeps, actor: Actor, input: SettleDiscrepancyInput) {
  const { countyId } = input.discrepancy;
  return command(deps, actor, "settleDiscrepancy", countyId, input, async (tx, now) => {
    const { req, d } = await lockDiscrepancy(tx, actor, input.discrepancy);
    assertSettlement(d, input.settlement);
    const why = requireText(input.note, "note", "what happened to it");
    const facts = await lockSettlementFacts(tx, req, d, why);
    if (!facts.quarantined) await assertUnitNotElsewhere(tx, facts.source);
    const returnRequisitionId = await settle(tx, actor, facts, input, now);
    await requisitionWrites.settleDiscrepancy(tx, input.discrepancy, {
      settlement: input.settlement,
      settlementNote: why,
      settledBy: actor.userId,
      settledAt: now,
      returnRequisitionId,
    });
    const how = input.settlement.toLowerCase().replace("_", " ");
    await recordNote(
      tx,
      req,
      `${d.kind.toLowerCase()} ${formatQuantity(facts.quantity)} settled as ${how}: ${why}`,
      actor,
      now,
    );
    return req;
  });
}

/**
 * The discrepancy's requisition first, then the discrepancy itself (one lock order, decision 22). One on a
 * requisition the actor may not see is NOT_FOUND, like one that does not exist; only the county or the lender's
 * township office settles.
 */
async function lockDiscrepancy(tx: Executor, actor: Actor, key: CountyKey) {
  const notFound = () => new DomainError("NOT_FOUND", "discrepancy not found", ["discrepancyId"]);
  const peek = await requisitions.findDiscrepancy(tx, key);
  if (!peek) throw notFound();
  const { req } = await lockVisible(tx, actor, { countyId: key.countyId, id: peek.requisitionId }).catch(
    () => {
      throw notFound();
    },
  );
  if (!speaksFor(actor, key.countyId, req.supplyingRegionId, key.countyId)) {
    throw new DomainError("FORBIDDEN", "settled by the county or the lender's township office", [
      "discrepancyId",
    ]);
  }
  const d = (await requisitionWrites.lockDiscrepancy(tx, key))!.discrepancy;
  return { req, d };
}

/** The lot the stock left and the quarantined lot it sits in (if any), locked with every balance it may move. */
async function lockSettlementFacts(
  tx: Executor,
  req: requisitions.RequisitionRow,
  d: requisitions.DiscrepancyRow,
  why: string,
): Promise<Facts> {
  const { countyId } = req;
  const [allocation] = (await requisitions.allocationsOf(tx, [{ countyId, id: d.requisitionLineId }])).filter(
    (a) => a.id === d.allocationId,
  );
  if (!allocation)
    throw new DomainError("INVALID_INPUT", "this discrepancy predates settlement", ["discrepancyId"]);
  const lots = await lotWrites.lockLots(tx, [
    { countyId, id: allocation.lotId },
    ...(d.lotId !== null ? [{ countyId, id: d.lotId }] : []),
  ]);
  // stock found at the destination is booked in there: its balance is locked with the lots' own
  await stockLevelWrites.lockStockLevels(tx, [
    ...stockLevels.levelsOf(lots),
    ...lots.map((l) => ({ countyId, depotId: req.destinationDepotId, itemId: l.itemId })),
  ]);
  return {
    req,
    d,
    source: lots.find((l) => l.id === allocation.lotId)!,
    quarantined: lots.find((l) => l.id === d.lotId) ?? null,
    quantity: d.quantity,
    why,
  };
}

/** The settlement's ledger lines; answers the return leg that carries the stock back, if one does. */
function settle(
  tx: Executor,
  actor: Actor,
  f: Facts,
  input: SettleDiscrepancyInput,
  now: Date,
): Promise<number | null> {
  const by = { actor, now };
  if (input.settlement === "WRITTEN_OFF") return writeOff(tx, by, f, input.cause);
  if (input.settlement === "RETURNED") return giveBack(tx, by, f);
  return bookFound(tx, by, f, input.foundAt);
}

type By = { actor: Actor; now: Date };

const about = (f: Facts, what: string) => ({
  reason: `requisition ${f.req.id}: ${what}: ${f.why}`,
  requisitionId: f.req.id,
});

async function writeOff(tx: Executor, by: By, f: Facts, cause: WriteOffCause | null | undefined) {
  if (!cause) throw new DomainError("INVALID_INPUT", "say why it is written off", ["cause"]);
  // missing stock is the lender's until someone counted it: back on its lot, then off its books with the cause
  const lot = f.quarantined ?? f.source;
  if (!f.quarantined)
    await movementWrites.appendMovement(
      tx,
      returnLine(lot, f.quantity, by, about(f, "missing, to be written off")),
    );
  else assertFree(f.quarantined, f.quantity);
  await movementWrites.appendMovement(
    tx,
    writeOffLine(lot, f.quantity, by, { ...about(f, "written off"), writeOffCause: cause }),
  );
  return f.d.returnRequisitionId;
}

/** Missing stock that came back is the lender's again; quarantined stock goes back on a return leg. */
async function giveBack(tx: Executor, by: By, f: Facts): Promise<number | null> {
  if (!f.quarantined) {
    await movementWrites.appendMovement(
      tx,
      returnLine(f.source, f.quantity, by, about(f, "missing, came back to the lender")),
    );
    return null;
  }
  assertFree(f.quarantined, f.quantity);
  const legs = await sendReturnLegs(
    tx,
    by.actor,
    f.req,
    [{ lot: f.quarantined, quantity: f.quantity, lenderDepotId: f.source.depotId }],
    by.now,
    f.why,
  );
  return legs.get(f.source.depotId)!;
}

/** Found stock is booked where it turned up: back on its lot at the lender, or a lot copy at the destination. */
async function bookFound(tx: Executor, by: By, f: Facts, foundAt: CountyKey | null | undefined) {
  if (foundAt?.id === f.source.depotId) {
    await movementWrites.appendMovement(
      tx,
      returnLine(f.source, f.quantity, by, about(f, "missing, found at the lender")),
    );
  } else if (foundAt?.id === f.req.destinationDepotId) {
    const lot = await insertLotCopy(tx, f.source, { depotId: f.req.destinationDepotId });
    await movementWrites.appendMovement(
      tx,
      transferInLine(lot, f.quantity, by, about(f, "missing, found at the destination")),
    );
  } else {
    throw new DomainError("INVALID_INPUT", "found stock is booked at the destination or the depot it left", [
      "foundAtDepotId",
    ]);
  }
  return null;
}

function assertFree(lot: lotReads.LotRow, q: Quantity): void {
  if (freeOf(lot) < q) {
    throw new DomainError(
      "INSUFFICIENT_STOCK",
      `the quarantined lot holds only ${formatQuantity(freeOf(lot))} free`,
      ["discrepancyId"],
    );
  }
}

/** A missing serialised unit is booked back only if the same number has not since been received somewhere else. */
async function assertUnitNotElsewhere(tx: Executor, source: lotReads.LotRow): Promise<void> {
  if (!source.serialNumber) return;
  const taken = await lotReads.serialNumbersTaken(tx, source.countyId, source.itemId, [source.serialNumber]);
  if (taken.length > 0) {
    throw new DomainError("INVALID_INPUT", `unit ${source.serialNumber} is already on the books elsewhere`, [
      "discrepancyId",
    ]);
  }
}
