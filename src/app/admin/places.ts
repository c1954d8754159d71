import type { Actor } from "../../domain/custody/actor.js";
import { childDivisionCode } from "../../domain/region/divisionCode.js";
import { childLevel } from "../../domain/region/region.js";
import { DomainError } from "../../domain/shared/errors.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import * as regionWrites from "../../db/repositories/regions.writes.js";
import * as regions from "../../db/repositories/regions.js";
import type { AppDeps } from "../deps.js";
import { adminCommand } from "./command.js";
import { definedOnly, optionalText, requiredName, wholeNumber } from "./fields.js";

export interface CreateRegionInput {
  parent: CountyKey;
  divisionCode: string;
  nameZh: string;
  nameEn?: string | null;
  population: number;
  idempotencyKey?: string | null;
}

const MAX_POPULATION = 50_000_000;

/**
 * A township under the county or a village under a township; the level follows from the parent, and the division
 * code must extend the parent's and be unused anywhere (codes are national). The closure table grows with it.
 */
export function createRegion(deps: AppDeps, actor: Actor, input: CreateRegionInput) {
  const { parent } = input;
  return adminCommand(
    deps,
    actor,
    "createRegion",
    parent.countyId,
    input,
    { regions: true },
    async (tx, _now, audit) => {
      const parentRow = await regionWrites.lock(tx, parent);
      if (!parentRow) throw new DomainError("NOT_FOUND", "parent region not found", ["parentId"]);
      const level = childLevel(parentRow.level);
      if (!level) throw new DomainError("INVALID_INPUT", "a village has no regions below it", ["parentId"]);
      const divisionCode = childDivisionCode(level, parentRow.divisionCode, input.divisionCode);
      if ((await regionWrites.claimDivisionCode(tx, divisionCode)).length > 0) {
        throw new DomainError("DUPLICATE", `division code ${divisionCode} is already in use`, [
          "divisionCode",
        ]);
      }
      const row = await regionWrites.insertChildRegion(tx, parent, {
        level,
        divisionCode,
        nameZh: requiredName(input.nameZh, "nameZh", "a Chinese name"),
        nameEn: optionalText(input.nameEn, "nameEn", 200),
        population: wholeNumber(input.population, "population", 0, MAX_POPULATION),
      });
      await audit({ targetType: "Region", targetId: row.id, before: null, after: row });
      return row;
    },
  );
}

export interface UpdateRegionInput {
  region: CountyKey;
  nameZh?: string | null;
  nameEn?: string | null;
  population?: number | null;
  idempotencyKey?: string | null;
}

/** Names and population; coverage per 1,000 residents follows the new population at once. */
export function updateRegion(deps: AppDeps, actor: Actor, input: UpdateRegionInput) {
  const { region } = input;
  return adminCommand(
    deps,
    actor,
    "updateRegion",
    region.countyId,
    input,
    { regions: true },
    async (tx, _now, audit) => {
      const before = await regionWrites.lock(tx, region);
      if (!before) throw new DomainError("NOT_FOUND", "region not found", ["regionId"]);
      const patch = definedOnly({
        nameZh: input.nameZh == null ? undefined : requiredName(input.nameZh, "nameZh", "a Chinese name"),
        nameEn: input.nameEn === undefined ? undefined : optionalText(input.nameEn, "nameEn", 200),
        population:
          input.population == null
            ? undefined
            : wholeNumber(input.population, "population", 0, MAX_POPULATION),
      });
      if (Object.keys(patch).length === 0) return before;
      const after = await regionWrites.update(tx, region, patch);
      await audit({ targetType: "Region", targetId: after.id, before, after });
      return after;
    },
  );
}

export interface MutualAidInput {
  region: CountyKey;
  neighbour: CountyKey;
  travelMinutes?: number;
  idempotencyKey?: string | null;
}

/** Both ends, locked in id order; mutual aid is between townships of one county (相邻乡镇互助). */
async function lockTownships(tx: Executor, input: MutualAidInput) {
  const { region, neighbour } = input;
  if (region.countyId !== neighbour.countyId)
    throw new DomainError("NOT_FOUND", "neighbour not found", ["neighbourId"]);
  if (region.id === neighbour.id)
    throw new DomainError("INVALID_INPUT", "a township is not its own neighbour", ["neighbourId"]);
  const rows = await regionWrites.lockMany(tx, region.countyId, [region.id, neighbour.id]);
  const a = rows.find((r) => r.id === region.id);
  const b = rows.find((r) => r.id === neighbour.id);
  if (!a) throw new DomainError("NOT_FOUND", "region not found", ["regionId"]);
  if (!b) throw new DomainError("NOT_FOUND", "neighbour not found", ["neighbourId"]);
  if (a.level !== "TOWNSHIP")
    throw new DomainError("INVALID_INPUT", "mutual aid links townships", ["regionId"]);
  if (b.level !== "TOWNSHIP")
    throw new DomainError("INVALID_INPUT", "mutual aid links townships", ["neighbourId"]);
  return { a, b };
}

/** Links two townships for mutual aid with a travel time, or changes the time of an existing link. */
export function setMutualAid(deps: AppDeps, actor: Actor, input: MutualAidInput & { travelMinutes: number }) {
  const countyId = input.region.countyId;
  return adminCommand(deps, actor, "setMutualAid", countyId, input, {}, async (tx, _now, audit) => {
    const { a, b } = await lockTownships(tx, input);
    const minutes = wholeNumber(input.travelMinutes, "travelMinutes", 1, 24 * 60);
    const before = await regions.findLink(tx, countyId, a.id, b.id);
    await regionWrites.setLink(tx, countyId, a.id, b.id, minutes);
    await audit({
      targetType: "Region",
      targetId: a.id,
      before: before && { neighbourId: b.id, travelMinutes: before.travelMinutes },
      after: { neighbourId: b.id, travelMinutes: minutes },
    });
    return { region: a, neighbour: b };
  });
}

export function removeMutualAid(deps: AppDeps, actor: Actor, input: MutualAidInput) {
  const countyId = input.region.countyId;
  return adminCommand(deps, actor, "removeMutualAid", countyId, input, {}, async (tx, _now, audit) => {
    const { a, b } = await lockTownships(tx, input);
    const before = await regions.findLink(tx, countyId, a.id, b.id);
    if (!before) throw new DomainError("NOT_FOUND", "these townships are not linked", ["neighbourId"]);
    await regionWrites.unlink(tx, countyId, a.id, b.id);
    await audit({
      targetType: "Region",
      targetId: a.id,
      before: { neighbourId: b.id, travelMinutes: before.travelMinutes },
      after: null,
    });
    return { region: a, neighbour: b };
  });
}
