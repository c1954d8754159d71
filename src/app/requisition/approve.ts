import { unitScales } from "../catalogue.js";
import type { Actor } from "../../domain/custody/actor.js";
import { approvalLevelFor, mayDipIntoFloor } from "../../domain/requisition/approval.js";
import { allocate, type Allocation, type LenderLot } from "../../domain/requisition/allocation.js";
import { nextStatus } from "../../domain/requisition/lifecycle.js";
import { travelMinutesFrom } from "../../domain/region/travel.js";
import { addDays, dateInZone, parseCalendarDate } from "../../domain/shared/calendar.js";
import { DomainError } from "../../domain/shared/errors.js";
import {
  formatQuantity,
  fromDb,
  parseQuantity,
  type Quantity,
  quantityFromThousandths,
} from "../../domain/shared/quantity.js";
import type { Executor } from "../../db/client.js";
import * as depots from "../../db/repositories/depots.js";
import * as expiry from "../../db/repositories/expiry.js";
import * as regions from "../../db/repositories/regions.js";
import * as requisitions from "../../db/repositories/requisitions.js";
import type { AppDeps } from "../deps.js";
import { toCandidate } from "../stock/issueStock.js";
import { approvalFacts, type RequisitionCommand, requisitionCommand } from "./command.js";
import { type LoadedRequisition, transition } from "./facts.js";

export interface ApproveRequisitionInput extends RequisitionCommand {
  /** Per line, the quantity approved; lines left out are approved in full. */
  lines?: { lineId: number; approvedQuantity: string }[] | null;
  /** 动用指令: required when stock held by an agent custodian would move. */
  releaseOrderNo?: string | null;
  /** When lent equipment must be back; default 30 days from approval. */
  returnDueOn?: string | null;
  note?: string | null;
}

export const DEFAULT_LOAN_DAYS = 30;

/**
 * The supplying office approves (in full or in part), and allocation happens here: specific lots are held,
 * nearest depot first, earliest expiry first. When the request is the county's, was escalated, or would take the
 * lender below its reserve floor, the county approves too; only an EMERGENCY approved at county level dips into
 * the floor.
 */
export const approveRequisition = (deps: AppDeps, actor: Actor, input: ApproveRequisitionInput) =>
  requisitionCommand(deps, actor, "approveRequisition", input, async (tx, loaded, now) => {
    nextStatus(loaded.req.status, "APPROVE");
    const level = approvalLevelFor(actor, approvalFacts(loaded));
    const today = dateInZone(now);
    const itemIds = loaded.lines.map((l) => l.itemId);
    const scales = await unitScales(deps, tx, itemIds);
    const approved = approvedQuantities(loaded, input, scales);
    const wanted = loaded.lines
      .map((l) => ({ lineId: l.id, itemId: l.itemId, quantity: approved.get(l.id)! }))
      .filter((l) => l.quantity > 0n);
    if (wanted.length === 0)
      throw new DomainError("INVALID_INPUT", "nothing approved: reject instead", ["lines"]);
    const { lots, kinds, codes } = await lenderLots(
      tx,
      loaded,
      wanted.map((w) => w.itemId),
    );
    const floors = await requisitions.floorsOf(
      tx,
      loaded.key.countyId,
      [...new Set(lots.map((l) => l.depotId))],
      wanted.map((w) => w.itemId),
    );
    const result = allocate(
      wanted,
      lots,
      new Map(floors.map((f) => [`${f.depotId}:${f.itemId}`, fromDb(f.floor)])),
      today,
      mayDipIntoFloor(loaded.req.priority, level),
      new Map([...scales].map(([itemId, scale]) => [itemId, unitStep(scale)])),
    );
    for (const line of loaded.lines) {
      await requisitions.updateLine(
        tx,
        { countyId: line.countyId, id: line.id },
        {
          approvedQuantity: formatQuantity(approved.get(line.id)!),
        },
      );
    }
    const note = input.note?.trim() ?? "";
    if (result.dipsIntoFloor && result.allocations.length === 0) {
      if (loaded.req.priority !== "EMERGENCY" || level === "COUNTY") {
        throw new DomainError(
          "RESERVE_FLOOR",
          "this would take the lender below its reserve floor: only an emergency request approved by the county may",
          ["lines"],
        );
      }
      // an emergency that needs the floor: the supplier has said yes, the county decides
      await requisitions.recordApproval(tx, {
        countyId: loaded.key.countyId,
        requisitionId: loaded.key.id,
        level,
        approverId: actor.userId,
        note,
        approvedAt: now,
      });
      await requisitions.recordEvent(tx, {
        countyId: loaded.key.countyId,
        requisitionId: loaded.key.id,
        fromStatus: loaded.req.status,
        toStatus: loaded.req.status,
        actorId: actor.userId,
        note: `approved by the supplier; it reaches into the reserve floor and awaits the county${note ? `: ${note}` : ""}`,
        occurredAt: now,
      });
      return loaded.req;
    }
    const releaseOrderNo = input.releaseOrderNo?.trim() || null;
    if (!releaseOrderNo && result.allocations.some((a) => kinds.get(a.depotId) === "AGENT_STORAGE")) {
      throw new DomainError(
        "RELEASE_ORDER_REQUIRED",
        "stock held by an agent custodian moves only with a release order number (动用指令)",
        ["releaseOrderNo"],
      );
    }
    const itemOfLot = new Map(lots.map((l) => [l.id, l.itemId]));
    await requisitions.hold(
      tx,
      loaded.key.countyId,
      result.allocations.map((a) => ({
        ...a,
        itemId: itemOfLot.get(a.lotId)!,
        quantity: formatQuantity(a.quantity),
        floorUsed: formatQuantity(a.floorUsed),
      })),
    );
    await requisitions.recordApproval(tx, {
      countyId: loaded.key.countyId,
      requisitionId: loaded.key.id,
      level,
      approverId: actor.userId,
      releaseOrderNo,
      note,
      approvedAt: now,
    });
    const returnDueOn = input.returnDueOn
      ? parseCalendarDate(input.returnDueOn)
      : addDays(today, DEFAULT_LOAN_DAYS);
    if (!returnDueOn || returnDueOn < today) {
      throw new DomainError("INVALID_INPUT", "the return date must be a day (YYYY-MM-DD) from today on", [
        "returnDueOn",
      ]);
    }
    const partial = loaded.lines.some((l) => approved.get(l.id)! < fromDb(l.requestedQuantity));
    return transition(
      tx,
      loaded,
      partial ? "APPROVE_PARTIALLY" : "APPROVE",
      actor,
      now,
      [note || `approved at ${level.toLowerCase()} level`, floorNote(result.allocations, codes)]
        .filter(Boolean)
        .join("; "),
      {
        releaseOrderNo: releaseOrderNo ?? loaded.req.releaseOrderNo,
        returnDueOn,
      },
    );
  });

function approvedQuantities(
  loaded: LoadedRequisition,
  input: ApproveRequisitionInput,
  scales: Map<number, number>,
): Map<number, Quantity> {
  const out = new Map<number, Quantity>();
  for (const line of loaded.lines) {
    // a second (county) approval starts from what the supplier approved
    out.set(line.id, fromDb(line.approvedQuantity ?? line.requestedQuantity));
  }
  (input.lines ?? []).forEach((l, i) => {
    const line = loaded.lines.find((x) => x.id === l.lineId);
    const field = ["lines", String(i), "approvedQuantity"];
    if (!line)
      throw new DomainError("NOT_FOUND", "no such line in this request", ["lines", String(i), "lineId"]);
    const q = parseQuantity(l.approvedQuantity, scales.get(line.itemId) ?? 3, field, { allowZero: true });
    if (q > fromDb(line.requestedQuantity))
      throw new DomainError("INVALID_QUANTITY", "more than was requested", field);
    out.set(line.id, q);
  });
  return out;
}

/** The lender's lots for these items, locked, each with its travel minutes to the destination depot. */
async function lenderLots(tx: Executor, loaded: LoadedRequisition, itemIds: number[]) {
  const { req } = loaded;
  const rows = await requisitions.lockLenderLots(
    tx,
    { countyId: req.countyId, id: req.supplyingRegionId },
    req.supplyingRegionId === req.countyId,
    itemIds,
  );
  const [countyRegions, links, destination] = await Promise.all([
    expiry.countyRegions(tx, req.countyId),
    regions.linksOfCounty(tx, req.countyId),
    depots.findByKeys(tx, [{ countyId: req.countyId, id: req.destinationDepotId }]).then((r) => r[0]),
  ]);
  const townshipOf = new Map(countyRegions.map((r) => [r.id, r.townshipId]));
  const target = townshipOf.get(destination!.regionId) ?? null;
  const distances =
    target === null
      ? new Map<number, number>()
      : travelMinutesFrom(
          target,
          links.map((l) => ({ from: l.regionId, to: l.neighbourId, minutes: l.travelMinutes })),
        );
  const kinds = new Map(rows.map((r) => [r.lot.depotId, r.depotKind]));
  const codes = new Map(rows.map((r) => [r.lot.depotId, r.depotCode]));
  const lots: LenderLot[] = rows.map((r) => {
    const township = townshipOf.get(r.depotRegionId) ?? null;
    return {
      ...toCandidate(r.lot),
      depotId: r.lot.depotId,
      itemId: r.lot.itemId,
      distance: township === null ? null : (distances.get(township) ?? null),
    };
  });
  return { lots, kinds, codes };
}

/** The smallest quantity of a unit with `scale` decimals, in thousandths: a whole piece is 1000. */
const unitStep = (scale: number): Quantity => quantityFromThousandths(10n ** BigInt(3 - scale));

/** What an emergency took from below floors, per depot, for the timeline (rule 3). */
function floorNote(allocations: readonly Allocation[], codes: ReadonlyMap<number, string>): string {
  const perDepot = new Map<number, Quantity>();
  for (const a of allocations) {
    if (a.floorUsed > 0n)
      perDepot.set(a.depotId, ((perDepot.get(a.depotId) ?? 0n) + a.floorUsed) as Quantity);
  }
  if (perDepot.size === 0) return "";
  const parts = [...perDepot].map(([depot, q]) => `${codes.get(depot) ?? depot} ${formatQuantity(q)}`);
  return `reserve floor used (动用储备底线) ${parts.join(", ")}`;
}
