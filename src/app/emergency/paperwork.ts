import type { Actor } from "../../domain/custody/actor.js";
import { decidePaperwork, readScope } from "../../domain/custody/policy.js";
import { assertResolvable } from "../../domain/emergency/emergency.js";
import { DomainError } from "../../domain/shared/errors.js";
import type { CountyKey } from "../../db/keys.js";
import * as paperwork from "../../db/repositories/emergencyPaperwork.js";
import * as paperworkWrites from "../../db/repositories/emergencyPaperwork.writes.js";
import { command } from "../command.js";
import type { AppDeps } from "../deps.js";
import { requireText } from "../stock/facts.js";
import { assertAllowed, loadRegionFacts } from "./facts.js";

export interface ResolvePaperworkInput {
  item: CountyKey;
  note: string;
  idempotencyKey?: string | null;
}

/** The owing office approves after the fact what went out first under the emergency (补办手续). */
export const approvePaperwork = (deps: AppDeps, actor: Actor, input: ResolvePaperworkInput) =>
  resolvePaperwork(deps, actor, input, "APPROVED");

/** The owing office contests it: the issue stays on the ledger, and the dispute is on the record. */
export const contestPaperwork = (deps: AppDeps, actor: Actor, input: ResolvePaperworkInput) =>
  resolvePaperwork(deps, actor, input, "CONTESTED");

function resolvePaperwork(
  deps: AppDeps,
  actor: Actor,
  input: ResolvePaperworkInput,
  status: "APPROVED" | "CONTESTED",
): Promise<paperwork.PaperworkRow> {
  const operation = status === "APPROVED" ? "approvePaperwork" : "contestPaperwork";
  return command(deps, actor, operation, input.item.countyId, input, async (tx, now) => {
    const notFound = new DomainError("NOT_FOUND", "paperwork not found", ["itemId"]);
    // paperwork out of sight (a keeper's, another township's) answers like none
    const [visible] = await paperwork.findVisibleByKeys(tx, readScope(actor), [input.item]);
    if (!visible) throw notFound;
    const item = await paperworkWrites.lock(tx, input.item);
    if (!item) throw notFound;
    const owedBy = await loadRegionFacts(tx, actor, { countyId: item.countyId, id: item.owedByRegionId }, [
      "itemId",
    ]);
    assertAllowed(decidePaperwork(actor, owedBy), ["itemId"]);
    assertResolvable(item.status);
    const note = requireText(input.note, "note", "a note");
    return paperworkWrites.resolve(tx, input.item, {
      status,
      resolvedBy: actor.userId,
      resolvedAt: now,
      note,
    });
  });
}
