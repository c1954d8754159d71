import type { Actor } from "../../domain/custody/actor.js";
import { assertClosable } from "../../domain/region/depotClosure.js";
import type { DepotKind, RegionLevel } from "../../domain/region/region.js";
import { DomainError } from "../../domain/shared/errors.js";
import type { CountyKey } from "../../db/keys.js";
import * as depotWrites from "../../db/repositories/depots.writes.js";
import * as depots from "../../db/repositories/depots.js";
import * as regionWrites from "../../db/repositories/regions.writes.js";
import type { AppDeps } from "../deps.js";
import { requireText } from "../stock/facts.js";
import { adminCommand } from "./command.js";
import { codeOf, definedOnly, optionalText, requiredName, wholeNumber } from "./fields.js";

export interface DepotFields {
  nameZh?: string | null;
  nameEn?: string | null;
  address?: string | null;
  custodianOrg?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  callUpLeadHours?: number | null;
}

export interface CreateDepotInput extends DepotFields {
  region: CountyKey;
  code: string;
  kind: DepotKind;
  nameZh: string;
  custodianOrg: string;
  idempotencyKey?: string | null;
}

/** The level a depot of each kind stands at; agent storage and agreement reserves may serve any level. */
const LEVEL_OF_KIND: Partial<Record<DepotKind, RegionLevel>> = {
  COUNTY_WAREHOUSE: "COUNTY",
  TOWNSHIP_DEPOT: "TOWNSHIP",
  VILLAGE_POINT: "VILLAGE",
};

function coordinate(value: number | null | undefined, field: string, bound: number) {
  if (value == null) return value;
  if (!Number.isFinite(value) || Math.abs(value) > bound)
    throw new DomainError("INVALID_INPUT", `must be between -${bound} and ${bound}`, [field]);
  return value;
}

/** Call-up lead hours belong to agreement reserves only: a distributor's promise to deliver within them. */
function leadHours(kind: DepotKind, value: number | null | undefined) {
  if (value == null) return value;
  if (kind !== "AGREEMENT_RESERVE")
    throw new DomainError("INVALID_INPUT", "only an agreement reserve has call-up lead hours", [
      "callUpLeadHours",
    ]);
  return wholeNumber(value, "callUpLeadHours", 1, 24 * 30);
}

export function createDepot(deps: AppDeps, actor: Actor, input: CreateDepotInput) {
  const { region } = input;
  return adminCommand(deps, actor, "createDepot", region.countyId, input, {}, async (tx, _now, audit) => {
    const regionRow = await regionWrites.lock(tx, region);
    if (!regionRow) throw new DomainError("NOT_FOUND", "region not found", ["regionId"]);
    const level = LEVEL_OF_KIND[input.kind];
    if (level && level !== regionRow.level)
      throw new DomainError("INVALID_INPUT", `a ${input.kind} stands in a ${level} region`, ["kind"]);
    const code = codeOf(input.code, "code");
    if (await depots.findByCode(tx, region.countyId, code))
      throw new DomainError("DUPLICATE", `depot code ${code} is already in use in this county`, ["code"]);
    const row = await depotWrites.insert(tx, {
      countyId: region.countyId,
      regionId: region.id,
      code,
      kind: input.kind,
      nameZh: requiredName(input.nameZh, "nameZh", "a Chinese name"),
      nameEn: optionalText(input.nameEn, "nameEn", 200),
      address: optionalText(input.address, "address", 500),
      custodianOrg: requiredName(input.custodianOrg, "custodianOrg", "the custodian organisation"),
      latitude: coordinate(input.latitude, "latitude", 90) ?? null,
      longitude: coordinate(input.longitude, "longitude", 180) ?? null,
      callUpLeadHours: leadHours(input.kind, input.callUpLeadHours) ?? null,
    });
    await audit({ targetType: "Depot", targetId: row.id, before: null, after: row });
    return row;
  });
}

export interface UpdateDepotInput extends DepotFields {
  depot: CountyKey;
  idempotencyKey?: string | null;
}

/** Names, address, custodian, map position and call-up hours; code, kind and region stay as created. */
export function updateDepot(deps: AppDeps, actor: Actor, input: UpdateDepotInput) {
  const { depot } = input;
  return adminCommand(deps, actor, "updateDepot", depot.countyId, input, {}, async (tx, _now, audit) => {
    const before = await depotWrites.lock(tx, depot);
    if (!before) throw new DomainError("NOT_FOUND", "depot not found", ["depotId"]);
    if (before.closedAt !== null) throw new DomainError("DEPOT_CLOSED", "the depot is closed", ["depotId"]);
    const patch = definedOnly({
      nameZh: input.nameZh == null ? undefined : requiredName(input.nameZh, "nameZh", "a Chinese name"),
      nameEn: input.nameEn === undefined ? undefined : optionalText(input.nameEn, "nameEn", 200),
      address: input.address === undefined ? undefined : optionalText(input.address, "address", 500),
      custodianOrg:
        input.custodianOrg == null
          ? undefined
          : requiredName(input.custodianOrg, "custodianOrg", "the custodian organisation"),
      latitude: coordinate(input.latitude, "latitude", 90),
      longitude: coordinate(input.longitude, "longitude", 180),
      callUpLeadHours: leadHours(before.kind, input.callUpLeadHours),
    });
    if (Object.keys(patch).length === 0) return before;
    const after = await depotWrites.update(tx, depot, patch);
    await audit({ targetType: "Depot", targetId: after.id, before, after });
    return after;
  });
}

export interface CloseDepotInput {
  depot: CountyKey;
  reason: string;
  idempotencyKey?: string | null;
}

/**
 * Closes a depot that holds nothing and owes nothing. Its rows, ledger and keeper history stay readable; stock
 * commands refuse it from now on (app/stock/facts.ts).
 */
export function closeDepot(deps: AppDeps, actor: Actor, input: CloseDepotInput) {
  const { depot } = input;
  return adminCommand(deps, actor, "closeDepot", depot.countyId, input, {}, async (tx, now, audit) => {
    const reason = requireText(input.reason, "reason", "a reason");
    // waits out every stock command in flight at this depot; those after it find the depot closed
    const before = await depotWrites.lockForClosing(tx, depot);
    if (!before) throw new DomainError("NOT_FOUND", "depot not found", ["depotId"]);
    if (before.closedAt !== null)
      throw new DomainError("INVALID_TRANSITION", "the depot is already closed", ["depotId"]);
    assertClosable(await depots.ties(tx, depot));
    const after = await depotWrites.close(tx, depot, now, reason);
    await audit({ targetType: "Depot", targetId: after.id, before, after });
    return after;
  });
}
