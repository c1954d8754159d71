import type { Actor } from "../../domain/custody/actor.js";
import {
  canReadDepot,
  type DepotFacts,
  decideOpeningBalance,
  decideStockChange,
} from "../../domain/custody/policy.js";
import { DomainError } from "../../domain/shared/errors.js";
import { cleanText } from "../../domain/shared/text.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import { itemsWithScale } from "../catalogue.js";
import type { AppDeps } from "../deps.js";
import * as depotWrites from "../../db/repositories/depots.writes.js";
import type * as depots from "../../db/repositories/depots.js";
import * as lotWrites from "../../db/repositories/lots.writes.js";

/** A closed depot keeps its ledger for the record and takes no new movement (DEPOT_CLOSED). */
function assertOpen<T extends { depot: depots.DepotRow }>(loaded: T, field: string[]): T {
  if (loaded.depot.closedAt !== null) throw new DomainError("DEPOT_CLOSED", "the depot is closed", field);
  return loaded;
}

/** A depot and the facts custody needs about it; an unknown depot is NOT_FOUND on the given field. */
async function placedFacts(
  tx: Executor,
  key: CountyKey,
  field: string[],
): Promise<{ depot: depots.DepotRow; facts: DepotFacts }> {
  const placed = await depotWrites.findPlaced(tx, key);
  if (!placed) throw new DomainError("NOT_FOUND", "depot not found", field);
  const { depot } = placed;
  return {
    depot,
    facts: {
      countyId: depot.countyId,
      depotId: depot.id,
      regionId: depot.regionId,
      regionLevel: placed.regionLevel,
      regionLineage: placed.lineage,
    },
  };
}

/**
 * Custody rule 1 (docs/custody-rules.md), inside the caller's transaction. A depot the actor may read but not change is FORBIDDEN, saying
 * why; one outside what the actor may read answers exactly like one that does not exist (the caller's NOT_FOUND
 * for what it was asked about), so custody cannot be probed.
 */
function assertCustody(actor: Actor, facts: DepotFacts, notFound: () => DomainError): void {
  const decision = decideStockChange(actor, facts);
  if (decision.allowed) return;
  const refusal = notFound();
  if (canReadDepot(actor, facts)) {
    throw new DomainError(
      "FORBIDDEN",
      `you may read this depot but not change its stock: ${decision.reason}`,
      refusal.field,
    );
  }
  throw refusal;
}

/**
 * The one custody check of every stock and requisition command (docs/decisions.md 16 and 38): loads the depot's
 * facts, lets the policy decide, and refuses. `notFound` is the answer for a depot out of sight: NOT_FOUND of
 * whatever the command was asked about (the depot itself, a lot, a stock-take, a write-off request). `openingBalance`
 * lets the county's administrator open a depot's books (建账, decision 31) and nothing else.
 */
export async function loadCustodiedDepot(
  tx: Executor,
  actor: Actor,
  key: CountyKey,
  field: string[],
  opts: { notFound?: DomainError; openingBalance?: boolean } = {},
) {
  // custody first: a closed depot out of custody is NOT_FOUND like any other
  const loaded = await placedFacts(tx, key, field);
  if (!(opts.openingBalance && decideOpeningBalance(actor, loaded.facts).allowed))
    // made only when refusing: an error's stack trace is costly, and most commands are allowed
    assertCustody(
      actor,
      loaded.facts,
      () => opts.notFound ?? new DomainError("NOT_FOUND", "depot not found", field),
    );
  return assertOpen(loaded, field);
}

/** Locks a lot and checks custody of its depot; a lot out of sight is NOT_FOUND, like a missing one. */
export async function lockCustodiedLot(tx: Executor, actor: Actor, key: CountyKey, field: string[]) {
  const [lot] = await lotWrites.lockLots(tx, [key]);
  const notFound = new DomainError("NOT_FOUND", "lot not found", field);
  if (!lot) throw notFound;
  const { depot, facts } = await loadCustodiedDepot(
    tx,
    actor,
    { countyId: lot.countyId, id: lot.depotId },
    field,
    { notFound },
  );
  return { lot, depot, facts };
}

/** An item and its unit; an unknown item is NOT_FOUND on the given field. */
export async function loadItemFacts(deps: AppDeps, tx: Executor, itemId: number, field: string[]) {
  const found = (await itemsWithScale(deps, tx, [itemId])).get(itemId);
  if (!found) throw new DomainError("NOT_FOUND", "item not found", field);
  return found;
}

/** A required note or reason: the shared text rule (src/domain/shared/text.ts), and not empty. */
export function requireText(value: string | null | undefined, field: string, what: string): string {
  const text = cleanText(value ?? "", "NOTE", [field], what);
  if (!text) throw new DomainError("INVALID_INPUT", `${what} is required`, [field]);
  return text;
}
