import { unitScales } from "../catalogue.js";
import type { Actor } from "../../domain/custody/actor.js";
import { type ApprovalLevel, approvalLevelFor } from "../../domain/requisition/approval.js";
import type { LenderLot, LineToFill } from "../../domain/requisition/allocation.js";
import {
  type ApprovalPlan,
  type ApprovedLine,
  linesToFill,
  planApproval,
} from "../../domain/requisition/approvalPlan.js";
import { nextStatus } from "../../domain/requisition/lifecycle.js";
import { travelMinutesFrom } from "../../domain/region/travel.js";
import { dateInZone } from "../../domain/shared/calendar.js";
import { DomainError } from "../../domain/shared/errors.js";
import {
  formatQuantity,
  parseQuantity,
  type Quantity,
  quantityFromThousandths,
} from "../../domain/shared/quantity.js";
import type { Executor } from "../../db/client.js";
import * as depots from "../../db/repositories/depots.js";
import * as lotWrites from "../../db/repositories/lots.writes.js";
import * as regions from "../../db/repositories/regions.js";
import * as emergencyWrites from "../../db/repositories/emergencies.writes.js";
import * as paperworkWrites from "../../db/repositories/emergencyPaperwork.writes.js";
import { keyString } from "../../db/keys.js";
import { coveringEmergency } from "../../domain/emergency/emergency.js";
import * as requisitionWrites from "../../db/repositories/requisitions.writes.js";
import type * as requisitions from "../../db/repositories/requisitions.js";
import * as stockLevels from "../../db/repositories/stockLevels.js";
import type { AppDeps } from "../deps.js";
import { announce } from "../events.js";
import { toCandidate } from "../stock/issueStock.js";
import { approvalFacts, type RequisitionCommand, requisitionCommand } from "./command.js";
import { type LoadedRequisition, lineOf, transition } from "./facts.js";
import { recordNote } from "./timeline.js";
import { depotItemKey } from "../../domain/shared/keys.js";

export interface ApproveRequisitionInput extends RequisitionCommand {
  /** Per line, the quantity approved; lines left out are approved in full. */
  lines?: { lineId: number; approvedQuantity: string }[] | null;
  /** 动用指令: required when stock held by an agent custodian would move. */
  releaseOrderNo?: string | null;
  /** When lent equipment must be back; default 30 days from approval. */
  returnDueOn?: string | null;
  note?: string | null;
}

/**
 * The supplying office approves (in full or in part), and allocation happens here: specific lots are held,
 * nearest depot first, earliest expiry first. When the request is the county's, was escalated, or would take the
 * lender below its reserve floor, the county approves too; only an EMERGENCY approved at county level dips into
 * the floor, or one the supplier approves under a declared emergency over the requester (the county's approval then
 * owed as paperwork).
 */
export const approveRequisition = (deps: AppDeps, actor: Actor, input: ApproveRequisitionInput) =>
  requisitionCommand(deps, actor, "approveRequisition", input, async (tx, loaded, now) => {
    nextStatus(loaded.req.status, "APPROVE");
    const level = approvalLevelFor(actor, approvalFacts(loaded));
    const scales = await unitScales(
      deps,
      tx,
      loaded.lines.map((l) => l.itemId),
    );
    const lines = approvedLines(loaded, input, scales);
    const lender = await lockLender(tx, loaded, linesToFill(lines));
    const emergency = await emergencyOver(tx, loaded, level, now);
    const plan = planApproval({
      lines,
      lots: lender.lots,
      floors: lender.floors,
      depotKinds: lender.depotKinds,
      steps: new Map([...scales].map(([itemId, scale]) => [itemId, unitStep(scale)])),
      priority: loaded.req.priority,
      level,
      underEmergency: emergency !== null,
      today: dateInZone(now),
      releaseOrderNo: input.releaseOrderNo,
      returnDueOn: input.returnDueOn,
    });
    await recordApprovedQuantities(tx, loaded, lines);
    const approval = { level, note: input.note?.trim() ?? "", now };
    if (plan.kind === "AWAITS_COUNTY") return awaitCounty(tx, actor, loaded, approval);
    return hold(tx, actor, loaded, { ...approval, plan, lots: lender.lots, codes: lender.codes, emergency });
  });

/**
 * An EMERGENCY request the supplying township approves while a declared emergency covers the requesting region
 * (held FOR SHARE, so it does not end meanwhile): its approval alone lets the stock go, and the county's follows as
 * paperwork. Null for any other request or approval.
 */
async function emergencyOver(
  tx: Executor,
  { req }: LoadedRequisition,
  level: ApprovalLevel,
  now: Date,
): Promise<{ id: number; number: number } | null> {
  if (req.priority !== "EMERGENCY" || level !== "SUPPLIER") return null;
  const key = { countyId: req.countyId, id: req.requestingRegionId };
  const lineage = (await regions.findLineages(tx, [key])).get(keyString(key)) ?? [req.requestingRegionId];
  return coveringEmergency(await emergencyWrites.shareOpenFor(tx, req.countyId, lineage), lineage, now);
}

interface Approval {
  level: ApprovalLevel;
  note: string;
  now: Date;
}

/** Per line, what this approval grants; a second (county) approval starts from what the supplier approved. */
function approvedLines(
  loaded: LoadedRequisition,
  input: ApproveRequisitionInput,
  scales: Map<number, number>,
): ApprovedLine[] {
  const out = new Map<number, Quantity>();
  for (const line of loaded.lines) out.set(line.id, line.approvedQuantity ?? line.requestedQuantity);
  (input.lines ?? []).forEach((l, i) => {
    const line = lineOf(loaded, l.lineId, i);
    const field = ["lines", String(i), "approvedQuantity"];
    const q = parseQuantity(l.approvedQuantity, scales.get(line.itemId) ?? 3, field, { allowZero: true });
    if (q > line.requestedQuantity)
      throw new DomainError("INVALID_QUANTITY", "more than was requested", field);
    out.set(line.id, q);
  });
  return loaded.lines.map((l) => ({
    lineId: l.id,
    itemId: l.itemId,
    requested: l.requestedQuantity,
    approved: out.get(l.id)!,
  }));
}

/** The lender's lots for the lines, locked, with what the plan needs of their depots: floors, kinds and codes. */
async function lockLender(tx: Executor, loaded: LoadedRequisition, wanted: readonly LineToFill[]) {
  const itemIds = wanted.map((w) => w.itemId);
  const { lots, depotKinds, codes } = await lenderLots(tx, loaded, itemIds);
  const floors = await stockLevels.floorsOf(
    tx,
    loaded.key.countyId,
    [...new Set(lots.map((l) => l.depotId))],
    itemIds,
  );
  return {
    lots,
    depotKinds,
    codes,
    floors: new Map(floors.map((f) => [depotItemKey(f), f.floor])),
  };
}

async function recordApprovedQuantities(
  tx: Executor,
  loaded: LoadedRequisition,
  lines: readonly ApprovedLine[],
): Promise<void> {
  for (const [i, line] of loaded.lines.entries()) {
    await requisitionWrites.updateLine(
      tx,
      { countyId: line.countyId, id: line.id },
      { approvedQuantity: lines[i]!.approved },
    );
  }
}

/** The supplier has said yes to an emergency that needs the floor: its approval is recorded, the county decides. */
async function awaitCounty(
  tx: Executor,
  actor: Actor,
  loaded: LoadedRequisition,
  { level, note, now }: Approval,
): Promise<requisitions.RequisitionRow> {
  await requisitionWrites.recordApproval(tx, {
    countyId: loaded.key.countyId,
    requisitionId: loaded.key.id,
    level,
    approverId: actor.userId,
    note,
    approvedAt: now,
  });
  const why = `approved by the supplier; it reaches into the reserve floor and awaits the county${note ? `: ${note}` : ""}`;
  await recordNote(tx, loaded.req, why, actor, now);
  return loaded.req;
}

type Hold = Extract<ApprovalPlan, { kind: "HOLD" }>;

/** The plan's lots are held for the request, the approval recorded, and the request moves on. */
async function hold(
  tx: Executor,
  actor: Actor,
  loaded: LoadedRequisition,
  a: Approval & {
    plan: Hold;
    lots: readonly LenderLot[];
    codes: ReadonlyMap<number, string>;
    emergency: { id: number; number: number } | null;
  },
): Promise<requisitions.RequisitionRow> {
  const { plan, level, note, now, emergency } = a;
  const itemOfLot = new Map(a.lots.map((l) => [l.id, l.itemId]));
  await requisitionWrites.hold(
    tx,
    loaded.key.countyId,
    plan.allocations.map((x) => ({ ...x, itemId: itemOfLot.get(x.lotId)! })),
  );
  await requisitionWrites.recordApproval(tx, {
    countyId: loaded.key.countyId,
    requisitionId: loaded.key.id,
    level,
    approverId: actor.userId,
    releaseOrderNo: plan.releaseOrderNo,
    note,
    approvedAt: now,
  });
  const why = [
    note || `approved at ${level.toLowerCase()} level`,
    emergency ? `under emergency ${emergency.number} (先处置后补手续)` : "",
    floorNote(plan.floorUsed, a.codes),
  ];
  const row = await transition(tx, loaded, plan.action, actor, now, why.filter(Boolean).join("; "), {
    releaseOrderNo: plan.releaseOrderNo ?? loaded.req.releaseOrderNo,
    returnDueOn: plan.returnDueOn,
    ...(emergency ? { emergencyId: emergency.id } : {}),
  });
  // what would have waited for the county (a reach into floors) goes now; the county's approval is owed after
  if (emergency && plan.floorUsed.size > 0) {
    await paperworkWrites.insertMany(tx, [
      {
        countyId: loaded.key.countyId,
        emergencyId: emergency.id,
        owedByRegionId: loaded.key.countyId,
        requisitionId: loaded.key.id,
        openedAt: now,
      },
    ]);
  }
  // in full or in part: the requisition's status says which
  await announce(tx, "APPROVED", loaded.key, now);
  return row;
}

/** The lender's lots for these items, locked, each with its travel minutes to the destination depot. */
async function lenderLots(tx: Executor, loaded: LoadedRequisition, itemIds: number[]) {
  const { req } = loaded;
  const rows = await lotWrites.lockLenderLots(
    tx,
    { countyId: req.countyId, id: req.supplyingRegionId },
    req.supplyingRegionId === req.countyId,
    itemIds,
  );
  const minutesFrom = await travelToDestination(tx, req);
  const lots: LenderLot[] = rows.map((r) => ({
    ...toCandidate(r.lot),
    depotId: r.lot.depotId,
    itemId: r.lot.itemId,
    distance: minutesFrom(r.depotRegionId),
  }));
  return {
    lots,
    depotKinds: new Map(rows.map((r) => [r.lot.depotId, r.depotKind])),
    codes: new Map(rows.map((r) => [r.lot.depotId, r.depotCode])),
  };
}

/** Travel minutes from a region's township to the destination depot's; null when either is not known. */
async function travelToDestination(tx: Executor, req: requisitions.RequisitionRow) {
  const [countyRegions, links, destination] = await Promise.all([
    regions.countyRegions(tx, req.countyId),
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
  return (regionId: number): number | null => {
    const township = townshipOf.get(regionId) ?? null;
    return township === null ? null : (distances.get(township) ?? null);
  };
}

/** The smallest quantity of a unit with `scale` decimals, in thousandths: a whole piece is 1000. */
const unitStep = (scale: number): Quantity => quantityFromThousandths(10n ** BigInt(3 - scale));

/** What an emergency took from below floors, per depot, for the timeline (rule 3). */
function floorNote(floorUsed: ReadonlyMap<number, Quantity>, codes: ReadonlyMap<number, string>): string {
  if (floorUsed.size === 0) return "";
  const parts = [...floorUsed].map(([depot, q]) => `${codes.get(depot) ?? depot} ${formatQuantity(q)}`);
  return `reserve floor used (动用储备底线) ${parts.join(", ")}`;
}
