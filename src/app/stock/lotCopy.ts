import type { Executor } from "../../db/client.js";
import type * as lotReads from "../../db/repositories/lots.js";
import * as lotWrites from "../../db/repositories/lots.writes.js";
import type { LotCondition } from "../../domain/stock/lot.js";
import { ZERO } from "../../domain/shared/quantity.js";

/**
 * A lot's twin at another depot (or in another condition), empty until a ledger line fills it. Every attribute the
 * lot carries travels with it (custody rule 2, docs/custody-rules.md: expiry, condition, serial number and last
 * test run are facts about the goods, not about the depot); the rest spread means a column added to lots later travels too, without touching this.
 */
export function insertLotCopy(
  tx: Executor,
  source: lotReads.LotRow,
  at: { depotId: number; condition?: LotCondition },
): Promise<lotReads.LotRow> {
  const { id: _id, createdAt: _createdAt, onHand: _onHand, allocated: _allocated, ...attributes } = source;
  return lotWrites.insertLot(tx, {
    ...attributes,
    depotId: at.depotId,
    condition: at.condition ?? attributes.condition,
    onHand: ZERO,
  });
}
