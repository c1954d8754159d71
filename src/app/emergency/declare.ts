import type { Actor } from "../../domain/custody/actor.js";
import { decideEmergency, readScope } from "../../domain/custody/policy.js";
import { assertEndable, assertUntil, type EmergencyLevel } from "../../domain/emergency/emergency.js";
import { DomainError } from "../../domain/shared/errors.js";
import type { CountyKey } from "../../db/keys.js";
import * as emergencies from "../../db/repositories/emergencies.js";
import * as emergencyWrites from "../../db/repositories/emergencies.writes.js";
import { command } from "../command.js";
import type { AppDeps } from "../deps.js";
import { requireText } from "../stock/facts.js";
import { assertAllowed, loadRegionFacts } from "./facts.js";

export interface DeclareEmergencyInput {
  region: CountyKey;
  level: EmergencyLevel;
  reason: string;
  until?: Date | null;
  idempotencyKey?: string | null;
}

/**
 * Declares an emergency (启动应急响应) over a region and everything under it, under the county's next running
 * number: its keepers and office may then issue first and do the paperwork after (先处置后补手续).
 */
export function declareEmergency(
  deps: AppDeps,
  actor: Actor,
  input: DeclareEmergencyInput,
): Promise<emergencies.EmergencyRow> {
  return command(deps, actor, "declareEmergency", input.region.countyId, input, async (tx, now) => {
    const region = await loadRegionFacts(tx, actor, input.region, ["regionId"]);
    assertAllowed(decideEmergency(actor, region), ["regionId"]);
    const reason = requireText(input.reason, "reason", "a reason");
    const until = input.until ?? null;
    assertUntil(until, now);
    return emergencyWrites.insertNumbered(tx, {
      countyId: region.countyId,
      regionId: region.regionId,
      level: input.level,
      reason,
      declaredBy: actor.userId,
      declaredAt: now,
      until,
    });
  });
}

export interface EndEmergencyInput {
  emergency: CountyKey;
  note: string;
  idempotencyKey?: string | null;
}

/**
 * Ends an emergency (终止应急响应) by the kind of office that may declare it for its region; ordinary rules hold
 * again from then on. Paperwork it left stays owed.
 */
export function endEmergency(
  deps: AppDeps,
  actor: Actor,
  input: EndEmergencyInput,
): Promise<emergencies.EmergencyRow> {
  return command(deps, actor, "endEmergency", input.emergency.countyId, input, async (tx, now) => {
    const notFound = new DomainError("NOT_FOUND", "emergency not found", ["emergencyId"]);
    // one out of sight answers like one that does not exist
    const [visible] = await emergencies.findVisibleByKeys(tx, readScope(actor), [input.emergency]);
    if (!visible) throw notFound;
    const emergency = await emergencyWrites.lock(tx, input.emergency);
    if (!emergency) throw notFound;
    const region = await loadRegionFacts(
      tx,
      actor,
      { countyId: emergency.countyId, id: emergency.regionId },
      ["emergencyId"],
    );
    assertAllowed(decideEmergency(actor, region), ["emergencyId"]);
    assertEndable(emergency, now);
    const note = requireText(input.note, "note", "a note");
    return emergencyWrites.end(tx, input.emergency, { endedBy: actor.userId, endedAt: now, endNote: note });
  });
}
