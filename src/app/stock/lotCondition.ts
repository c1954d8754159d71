import type { Actor } from "../../domain/custody/actor.js";
import { assertConditionChange } from "../../domain/stock/condition.js";
import type { LotCondition } from "../../domain/stock/lot.js";
import type { CountyKey } from "../../db/keys.js";
import type * as lotReads from "../../db/repositories/lots.js";
import * as lotWrites from "../../db/repositories/lots.writes.js";
import type { AppDeps } from "../deps.js";
import { command } from "../command.js";
import { lockCustodiedLot, requireText } from "./facts.js";

export interface SetLotConditionInput {
  lot: CountyKey;
  condition: LotCondition;
  reason: string;
  idempotencyKey?: string | null;
}

/** Quarantine, release from quarantine, or mark damaged: recorded with actor and reason. */
export function setLotCondition(
  deps: AppDeps,
  actor: Actor,
  input: SetLotConditionInput,
): Promise<lotReads.LotRow> {
  return command(deps, actor, "setLotCondition", input.lot.countyId, input, async (tx) => {
    const { lot } = await lockCustodiedLot(tx, actor, input.lot, ["lotId"]);
    const reason = requireText(input.reason, "reason", "a reason");
    assertConditionChange(lot.condition, input.condition);
    await lotWrites.setLotCondition(tx, input.lot, input.condition);
    await lotWrites.recordConditionChange(tx, {
      countyId: lot.countyId,
      lotId: lot.id,
      fromCondition: lot.condition,
      toCondition: input.condition,
      reason,
      actorId: actor.userId,
    });
    return { ...lot, condition: input.condition };
  });
}
