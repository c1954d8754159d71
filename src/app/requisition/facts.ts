import type { Actor } from "../../domain/custody/actor.js";
import { readScope } from "../../domain/custody/policy.js";
import { nextStatus, type RequisitionAction } from "../../domain/requisition/lifecycle.js";
import { DomainError } from "../../domain/shared/errors.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import type * as lotReads from "../../db/repositories/lots.js";
import * as lotWrites from "../../db/repositories/lots.writes.js";
import * as regions from "../../db/repositories/regions.js";
import * as requisitionWrites from "../../db/repositories/requisitions.writes.js";
import * as requisitions from "../../db/repositories/requisitions.js";
import * as stockLevelWrites from "../../db/repositories/stockLevels.writes.js";
import * as stockLevels from "../../db/repositories/stockLevels.js";
import type { DepotRow } from "../../db/repositories/depots.js";
import { loadCustodiedDepot } from "../stock/facts.js";
import { recordStep } from "./timeline.js";

export const scopeKeys = (actor: Actor) => {
  const scope = readScope(actor);
  return {
    subtrees: scope.subtrees.map((s) => ({ countyId: s.countyId, id: s.regionId })),
    depots: scope.depots.map((d) => ({ countyId: d.countyId, id: d.depotId })),
  };
};

export interface LoadedRequisition {
  req: requisitions.RequisitionRow;
  lines: requisitions.LineRow[];
  approvals: requisitions.ApprovalRow[];
  key: CountyKey;
}

/**
 * Locks a requisition the actor may see; one they may not see is NOT_FOUND, exactly like one that does not exist.
 * The requisition row is always locked first, then lots in id order: one order for every command.
 */
export async function lockVisible(tx: Executor, actor: Actor, key: CountyKey): Promise<LoadedRequisition> {
  const locked = await requisitionWrites.lockVisible(tx, scopeKeys(actor), key);
  if (!locked) throw new DomainError("NOT_FOUND", "requisition not found", ["requisitionId"]);
  const [lines, approvals] = await Promise.all([
    requisitions.linesOf(tx, [key]),
    requisitions.approvalsOf(tx, [key]),
  ]);
  return { req: locked, lines, approvals, key };
}

/** Moves a requisition along its lifecycle and writes the timeline entry, or refuses with INVALID_TRANSITION. */
export async function transition(
  tx: Executor,
  loaded: LoadedRequisition,
  action: RequisitionAction,
  actor: Actor,
  at: Date,
  note: string,
  extra: Parameters<typeof requisitionWrites.update>[2] = {},
): Promise<requisitions.RequisitionRow> {
  const to = nextStatus(loaded.req.status, action);
  const row = await requisitionWrites.update(tx, loaded.key, { ...extra, status: to });
  await recordStep(tx, loaded.key, { from: loaded.req.status, to, note }, actor, at);
  return row;
}

/** A line of this requisition named by the input's `lines[index]`; another request's line is NOT_FOUND. */
export function lineOf({ lines }: LoadedRequisition, lineId: number, index: number): requisitions.LineRow {
  const line = lines.find((l) => l.id === lineId);
  if (!line)
    throw new DomainError("NOT_FOUND", "no such line in this request", ["lines", String(index), "lineId"]);
  return line;
}

export const lineKeys = ({ lines }: LoadedRequisition): CountyKey[] =>
  lines.map((l) => ({ countyId: l.countyId, id: l.id }));

/** Every allocation of the requisition's lines, whatever became of it; callers pick the ones they move. */
export const allocationsOfRequest = (tx: Executor, loaded: LoadedRequisition) =>
  requisitions.allocationsOf(tx, lineKeys(loaded));

/** What the approval still holds at the lender: neither on the road nor given back. */
export const heldAllocations = async (tx: Executor, loaded: LoadedRequisition) =>
  (await allocationsOfRequest(tx, loaded)).filter((a) => a.releasedAt === null && a.dispatchedAt === null);

/**
 * Locks lots by id, then the balances of their depots and items, all before any ledger line (decision 22: one lock
 * order for every command).
 */
export async function lockLotsAndBalances(
  tx: Executor,
  keys: readonly CountyKey[],
): Promise<lotReads.LotRow[]> {
  const lots = await lotWrites.lockLots(tx, keys);
  await stockLevelWrites.lockStockLevels(tx, stockLevels.levelsOf(lots));
  return lots;
}

/** Whether the actor holds an office role over the region itself (or is the county's officer). */
export function speaksFor(actor: Actor, countyId: number, regionId: number, countyRegionId: number): boolean {
  return actor.grants.some(
    (g) =>
      g.countyId === countyId &&
      ((g.role === "TOWNSHIP_OFFICER" && g.regionId === regionId) ||
        (g.role === "COUNTY_OFFICER" && g.regionId === countyRegionId)),
  );
}

export async function regionFacts(tx: Executor, key: CountyKey, field: string[]) {
  const [row] = await regions.findByKeys(tx, [key]);
  if (!row) throw new DomainError("NOT_FOUND", "region not found", field);
  return row;
}

/**
 * Custody of every depot the requisition's lots sit at (custody rule 1, docs/custody-rules.md): sending stock out
 * (dispatch) or calling it back (recall) is the sender's act at each of those depots, checked like any stock
 * command (decision 38). Answers each depot's row, so the caller can check what else it needs of them (a release
 * order out of agent storage).
 */
export async function assertCustodyOfSources(
  tx: Executor,
  actor: Actor,
  countyId: number,
  lots: readonly { depotId: number }[],
): Promise<DepotRow[]> {
  const rows: DepotRow[] = [];
  for (const depotId of new Set(lots.map((l) => l.depotId))) {
    const { depot } = await loadCustodiedDepot(tx, actor, { countyId, id: depotId }, ["requisitionId"]);
    rows.push(depot);
  }
  return rows;
}

/** The depot the requisition delivers to: its custodians count what arrives and send lent equipment back (rule 1). */
export async function assertCustodyOfDestination(
  tx: Executor,
  actor: Actor,
  req: requisitions.RequisitionRow,
): Promise<void> {
  await loadCustodiedDepot(tx, actor, { countyId: req.countyId, id: req.destinationDepotId }, [
    "requisitionId",
  ]);
}
