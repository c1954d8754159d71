import type { Actor } from "../../domain/custody/actor.js";
import { DomainError } from "../../domain/shared/errors.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import * as depotWrites from "../../db/repositories/depots.writes.js";
import type * as depots from "../../db/repositories/depots.js";
import * as keeperWrites from "../../db/repositories/depotKeepers.writes.js";
import type * as keepers from "../../db/repositories/depotKeepers.js";
import * as lotReads from "../../db/repositories/lots.js";
import * as userWrites from "../../db/repositories/users.writes.js";
import * as users from "../../db/repositories/users.js";
import type { AppDeps } from "../deps.js";
import { requireText } from "../stock/facts.js";
import { type Audit, adminCommand } from "./command.js";

/** An open depot of the county, locked: keeper changes about one depot are serialised on its row. */
async function lockOpenDepot(tx: Executor, key: CountyKey) {
  const depot = await depotWrites.lock(tx, key);
  if (!depot) throw new DomainError("NOT_FOUND", "depot not found", ["depotId"]);
  if (depot.closedAt !== null) throw new DomainError("DEPOT_CLOSED", "the depot is closed", ["depotId"]);
  return depot;
}

/** A keeper must be a user of the depot's county (users.home_county_id); anyone else is not found. */
async function userOfCounty(tx: Executor, countyId: number, userId: number, field: string) {
  const [user] = await users.findByIds(tx, [userId]);
  if (!user || user.homeCountyId !== countyId)
    throw new DomainError("NOT_FOUND", "no such user in this county", [field]);
  return user;
}

/**
 * Custody needs both the assignment and a KEEPER grant in the county: a person given a depot without the role
 * gets it over the depot's region, so the assignment is never silently useless.
 */
async function ensureKeeperRole(tx: Executor, depot: depots.DepotRow, userId: number): Promise<boolean> {
  const grants = await users.findGrants(tx, [userId]);
  if (grants.some((g) => g.role === "KEEPER" && g.countyId === depot.countyId)) return false;
  await userWrites.grant(tx, { countyId: depot.countyId, userId, role: "KEEPER", regionId: depot.regionId });
  return true;
}

const keeperIds = (rows: keepers.AssignmentRow[]) => rows.map((r) => r.userId).sort((a, b) => a - b);

async function auditKeepers(audit: Audit, depot: CountyKey, before: number[], after: number[], extra = {}) {
  await audit({
    targetType: "Depot",
    targetId: depot.id,
    before: { keepers: before },
    after: { keepers: after, ...extra },
  });
}

export interface AssignKeeperInput {
  depot: CountyKey;
  userId: number;
  idempotencyKey?: string | null;
}

/** Gives a user custody of a depot (专人管理) from now; the assignment is kept when it ends. */
export function assignKeeper(deps: AppDeps, actor: Actor, input: AssignKeeperInput) {
  const { depot: key } = input;
  return adminCommand(
    deps,
    actor,
    "assignKeeper",
    key.countyId,
    input,
    { actors: true },
    async (tx, now, audit) => {
      const depot = await lockOpenDepot(tx, key);
      await userOfCounty(tx, key.countyId, input.userId, "userId");
      const current = await keeperWrites.lockCurrent(tx, key);
      if (current.some((a) => a.userId === input.userId))
        throw new DomainError("DUPLICATE", "this user already keeps this depot", ["userId"]);
      await keeperWrites.assign(tx, key, input.userId, now);
      const grantedKeeperRole = await ensureKeeperRole(tx, depot, input.userId);
      await auditKeepers(
        audit,
        key,
        keeperIds(current),
        [...keeperIds(current), input.userId].sort((a, b) => a - b),
        {
          grantedKeeperRole,
        },
      );
      return depot;
    },
  );
}

export interface UnassignKeeperInput {
  depot: CountyKey;
  userId: number;
  reason?: string | null;
  idempotencyKey?: string | null;
}

/** Ends a user's custody of a depot now; they lose write access on their next request. */
export function unassignKeeper(deps: AppDeps, actor: Actor, input: UnassignKeeperInput) {
  const { depot: key } = input;
  return adminCommand(
    deps,
    actor,
    "unassignKeeper",
    key.countyId,
    input,
    { actors: true },
    async (tx, now, audit) => {
      const depot = await depotWrites.lock(tx, key);
      if (!depot) throw new DomainError("NOT_FOUND", "depot not found", ["depotId"]);
      const current = await keeperWrites.lockCurrent(tx, key);
      const assignment = current.find((a) => a.userId === input.userId);
      if (!assignment) throw new DomainError("NOT_FOUND", "this user does not keep this depot", ["userId"]);
      await keeperWrites.end(tx, { countyId: key.countyId, id: assignment.id }, now);
      const after = keeperIds(current).filter((id) => id !== input.userId);
      await auditKeepers(audit, key, keeperIds(current), after, { reason: (input.reason ?? "").trim() });
      return depot;
    },
  );
}

export interface HandOverInput {
  depot: CountyKey;
  fromUserId: number;
  toUserId: number;
  note: string;
  idempotencyKey?: string | null;
}

/**
 * The leaving keeper's assignment ends and the arriving one's begins (unless they keep the depot already), with
 * the depot and its current keepers locked first. Answers the depot and the keepers as they were before.
 */
async function passCustody(tx: Executor, input: HandOverInput, now: Date) {
  const key = input.depot;
  const depot = await lockOpenDepot(tx, key);
  const current = await keeperWrites.lockCurrent(tx, key);
  const leaving = current.find((a) => a.userId === input.fromUserId);
  if (!leaving) throw new DomainError("NOT_FOUND", "this user does not keep this depot", ["fromUserId"]);
  await userOfCounty(tx, key.countyId, input.toUserId, "toUserId");
  await keeperWrites.end(tx, { countyId: key.countyId, id: leaving.id }, now);
  if (!current.some((a) => a.userId === input.toUserId))
    await keeperWrites.assign(tx, key, input.toUserId, now);
  return { depot, current };
}

/**
 * A handover (交接): custody passes from one keeper to another at one instant, recorded with both names and the
 * stock on hand per item by the books at that instant. The old keeper loses write access at once.
 */
export function handOverDepot(deps: AppDeps, actor: Actor, input: HandOverInput) {
  const { depot: key } = input;
  return adminCommand(
    deps,
    actor,
    "handOverDepot",
    key.countyId,
    input,
    { actors: true },
    async (tx, now, audit) => {
      const note = requireText(input.note, "note", "a handover note");
      if (input.fromUserId === input.toUserId)
        throw new DomainError("INVALID_INPUT", "a keeper does not hand over to themselves", ["toUserId"]);
      const { depot, current } = await passCustody(tx, input, now);
      const grantedKeeperRole = await ensureKeeperRole(tx, depot, input.toUserId);
      const handover = await keeperWrites.insertHandover(tx, {
        countyId: key.countyId,
        depotId: key.id,
        fromUserId: input.fromUserId,
        toUserId: input.toUserId,
        at: now,
        note,
        stock: await lotReads.onHandByItem(tx, key),
        recordedBy: actor.userId,
      });
      const staying = keeperIds(current).filter((id) => id !== input.fromUserId);
      const after = [...new Set([...staying, input.toUserId])].sort((a, b) => a - b);
      const extra = { handoverId: handover.id, grantedKeeperRole };
      await auditKeepers(audit, key, keeperIds(current), after, extra);
      return handover;
    },
  );
}
