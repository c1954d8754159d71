import type { Actor } from "../../domain/custody/actor.js";
import { type CalendarDate, dateInZone, parseCalendarDate } from "../../domain/shared/calendar.js";
import { DomainError } from "../../domain/shared/errors.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import type * as lotReads from "../../db/repositories/lots.js";
import * as lotWrites from "../../db/repositories/lots.writes.js";
import type { AppDeps } from "../deps.js";
import { command } from "../command.js";
import { loadItemFacts, lockCustodiedLot } from "./facts.js";

export interface RecordTestRunInput {
  lot: CountyKey;
  kind: "TEST_RUN" | "MAINTENANCE";
  outcome: "PASSED" | "FAILED";
  performedOn: string;
  runMinutes?: number | null;
  note?: string | null;
  idempotencyKey?: string | null;
}

export interface TestRunResult {
  testRun: Awaited<ReturnType<typeof lotWrites.recordTestRun>>;
  lot: lotReads.LotRow;
}

/**
 * A serialised unit (generator, pump) was test-run or maintained. A failed unit is quarantined at once: a
 * generator that does not start must not be sent to a levee.
 */
export function recordTestRun(
  deps: AppDeps,
  actor: Actor,
  input: RecordTestRunInput,
): Promise<TestRunResult> {
  return command(deps, actor, "recordTestRun", input.lot.countyId, input, async (tx, now) => {
    const { lot } = await lockCustodiedLot(tx, actor, input.lot, ["lotId"]);
    const { item } = await loadItemFacts(deps, tx, lot.itemId, ["lotId"]);
    if (item.trackingMode !== "SERIAL") {
      throw new DomainError("INVALID_INPUT", "only serialised equipment is test-run", ["lotId"]);
    }
    const performedOn = checkedPerformedOn(input, dateInZone(now));
    const testRun = await lotWrites.recordTestRun(tx, {
      countyId: lot.countyId,
      lotId: lot.id,
      kind: input.kind,
      outcome: input.outcome,
      performedOn,
      runMinutes: input.runMinutes ?? null,
      note: input.note?.trim() ?? "",
      actorId: actor.userId,
    });
    const condition = await quarantineIfFailed(tx, actor, lot, input, performedOn);
    const lastTestRunOn =
      !lot.lastTestRunOn || performedOn > lot.lastTestRunOn ? performedOn : lot.lastTestRunOn;
    return { testRun, lot: { ...lot, condition, lastTestRunOn } };
  });
}

/** The day of the run (not in the future) and its minutes, as the keeper entered them. */
function checkedPerformedOn(input: RecordTestRunInput, today: CalendarDate): CalendarDate {
  const performedOn = parseCalendarDate(input.performedOn);
  if (!performedOn) throw new DomainError("INVALID_INPUT", "date must be YYYY-MM-DD", ["performedOn"]);
  if (performedOn > today) {
    throw new DomainError("INVALID_INPUT", "the test run cannot be in the future", ["performedOn"]);
  }
  if (
    input.runMinutes != null &&
    (!Number.isInteger(input.runMinutes) || input.runMinutes < 0 || input.runMinutes > 10_000)
  ) {
    throw new DomainError("INVALID_INPUT", "run minutes must be a whole number up to 10000", ["runMinutes"]);
  }
  return performedOn;
}

/** A serviceable unit that failed is quarantined, with the change on record; answers the lot's condition now. */
async function quarantineIfFailed(
  tx: Executor,
  actor: Actor,
  lot: lotReads.LotRow,
  input: RecordTestRunInput,
  performedOn: CalendarDate,
): Promise<lotReads.LotRow["condition"]> {
  if (input.outcome !== "FAILED" || lot.condition !== "SERVICEABLE") return lot.condition;
  const condition = "QUARANTINED";
  await lotWrites.setLotCondition(tx, input.lot, condition);
  await lotWrites.recordConditionChange(tx, {
    countyId: lot.countyId,
    lotId: lot.id,
    fromCondition: lot.condition,
    toCondition: condition,
    reason: `failed ${input.kind === "TEST_RUN" ? "test run" : "maintenance"} on ${performedOn}`,
    actorId: actor.userId,
  });
  return condition;
}
