import type { Actor } from "../../domain/custody/actor.js";
import type { DepotFacts } from "../../domain/custody/policy.js";
import { coveringEmergency, owingRegion } from "../../domain/emergency/emergency.js";
import { DomainError } from "../../domain/shared/errors.js";
import { dateInZone } from "../../domain/shared/calendar.js";
import { parseQuantity } from "../../domain/shared/quantity.js";
import { assertDeductionFits, assertOccurredAt } from "../../domain/stock/ledger.js";
import type { IssuePurpose } from "../../domain/stock/movement.js";
import { releaseOrderFor } from "../../domain/stock/releaseOrder.js";
import type { Pick } from "../../domain/stock/fefo.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import * as movementReads from "../../db/repositories/movements.js";
import * as movementWrites from "../../db/repositories/movements.writes.js";
import * as emergencyWrites from "../../db/repositories/emergencies.writes.js";
import * as paperworkWrites from "../../db/repositories/emergencyPaperwork.writes.js";
import type { AppDeps } from "../deps.js";
import { command } from "../command.js";
import { loadCustodiedDepot, loadItemFacts, requireText } from "./facts.js";
import { floorOf, pickUsable } from "./picking.js";
import { lockedStockChange, type StockChange } from "./result.js";
import { issueLine, type Recording } from "./ledgerLines.js";

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
  /**
   * Issue now under the declared emergency covering the depot (先处置后补手续): the reserve floor may be crossed,
   * and each line opens paperwork for the depot's office. Refused when no emergency covers the depot.
   */
  emergency?: boolean | null;
  idempotencyKey?: string | null;
}

// approvals pick lots the same way
export { toCandidate } from "./picking.js";

/** Stock leaves a depot for use: flood fighting, a drill, distribution. */
export function issueStock(deps: AppDeps, actor: Actor, input: IssueStockInput): Promise<StockChange> {
  return command(deps, actor, "issueStock", input.depot.countyId, input, async (tx, now) => {
    // the floor is read with the depot, in the same round trip, and used only once custody allows the issue
    const level = floorOf(tx, input.depot, input.itemId);
    const { depot, facts } = await loadCustodiedDepot(tx, actor, input.depot, ["depotId"]);
    const releaseOrderNo = releaseOrderFor(depot.kind, input.releaseOrderNo);
    const { item, unit } = await loadItemFacts(deps, tx, input.itemId, ["itemId"]);
    const quantity = parseQuantity(input.quantity, unit.scale, ["quantity"]);
    const recipient = requireText(input.recipient, "recipient", "a recipient");
    const reason = requireText(input.reason, "reason", "a reason");
    const occurredAt = input.occurredAt ?? now;
    assertOccurredAt(occurredAt, now);
    const today = dateInZone(now);
    // after custody, so a depot out of sight is NOT_FOUND before anything is said about emergencies
    const emergency = input.emergency ? await emergencyCovering(tx, facts, now) : null;
    const { lots, picks } = await pickUsable(tx, {
      depot: input.depot,
      itemId: item.id,
      lotId: input.lotId ?? null,
      quantity,
      today,
      changeFromQuantity: input.changeFromQuantity,
      scale: unit.scale,
      // custody rule 3's one exception on this path: an issue under a declared emergency
      mayDipIntoFloor: emergency !== null,
      level,
    });
    const place = { countyId: facts.countyId, depotId: facts.depotId, itemId: item.id };
    const details = {
      reason,
      reference: input.reference?.trim() ?? "",
      recipient,
      purpose: input.purpose,
      releaseOrderNo,
      emergencyId: emergency?.id ?? null,
    };
    const movements = await writeIssueLines(tx, place, picks, { actor, now, occurredAt }, details);
    if (emergency) await openPaperwork(tx, facts, emergency.id, movements, now);
    return lockedStockChange(lots, movements);
  });
}

/**
 * The active emergency covering the depot, held FOR SHARE until the issue commits so it cannot end meanwhile;
 * none is NO_ACTIVE_EMERGENCY, and nothing is written.
 */
async function emergencyCovering(tx: Executor, depot: DepotFacts, now: Date) {
  const declared = await emergencyWrites.shareOpenFor(tx, depot.countyId, depot.regionLineage);
  const emergency = coveringEmergency(declared, depot.regionLineage, now);
  if (!emergency)
    throw new DomainError("NO_ACTIVE_EMERGENCY", "no declared emergency covers this depot now", [
      "emergency",
    ]);
  return emergency;
}

/** One paperwork item per emergency line, owed by the office of the township holding the depot (or the county). */
async function openPaperwork(
  tx: Executor,
  depot: DepotFacts,
  emergencyId: number,
  movements: readonly movementReads.MovementRow[],
  now: Date,
): Promise<void> {
  const owedByRegionId = owingRegion(depot.regionLevel, depot.regionLineage);
  await paperworkWrites.insertMany(
    tx,
    movements.map((m) => ({
      countyId: depot.countyId,
      emergencyId,
      owedByRegionId,
      movementId: m.id,
      openedAt: now,
    })),
  );
}

/** One ISSUE line per lot picked; a backdated issue must have found the stock in the lot on the day it names. */
async function writeIssueLines(
  tx: Executor,
  place: { countyId: number; depotId: number; itemId: number },
  picks: Pick[],
  by: Recording & { occurredAt: Date },
  details: Parameters<typeof issueLine>[3],
): Promise<movementReads.MovementRow[]> {
  const movements: movementReads.MovementRow[] = [];
  for (const pick of picks) {
    const lotKey = { countyId: place.countyId, id: pick.lotId };
    if (by.occurredAt.getTime() < by.now.getTime()) {
      assertDeductionFits(await movementReads.ledgerOfLot(tx, lotKey), by.occurredAt, pick.quantity, [
        "occurredAt",
      ]);
    }
    const line = issueLine({ ...place, id: pick.lotId }, pick.quantity, by, details);
    movements.push(await movementWrites.appendMovement(tx, line));
  }
  return movements;
}
