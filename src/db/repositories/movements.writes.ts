import type { Executor } from "../client.js";
import { noteLedgerLine } from "../ledgerTally.js";
import type { MovementRow } from "./movements.js";
import { rowsOf } from "../keys.js";
import { movements } from "../schema/index.js";
import { runStatement, TableRows } from "../statements.js";
import type {
  IssuePurpose,
  MovementKind,
  ReceiptSource,
  WriteOffCause,
} from "../../domain/stock/movement.js";
import { formatQuantity, type Quantity, ZERO } from "../../domain/shared/quantity.js";

export interface NewMovement {
  countyId: number;
  depotId: number;
  lotId: number;
  itemId: number;
  kind: MovementKind;
  /** Signed: a deduction is negative. */
  quantity: Quantity;
  actorId: number;
  occurredAt: Date;
  /** The app's clock, like every other recorded instant, so "before" and "after" compare on one clock. */
  recordedAt: Date;
  reason: string;
  reference?: string;
  source?: ReceiptSource | null;
  recipient?: string | null;
  purpose?: IssuePurpose | null;
  writeOffCause?: WriteOffCause | null;
  reversesId?: number | null;
  requisitionId?: number | null;
  stockTakeId?: number | null;
  releaseOrderNo?: string | null;
  /** A delivery against an agreement call-up (RECEIPT, source AGREEMENT_CALL_UP only). */
  callUpId?: number | null;
  /** Done first under a declared emergency, its paperwork to follow (先处置后补手续). */
  emergencyId?: number | null;
}

/**
 * Appends one ledger line and moves the lot's and the depot-item's balances by the same amount, in the same
 * statement: one round trip per line, the three never written apart, so balances equal the ledger by construction.
 * Runs inside the caller's transaction; the ledger has no update. A deduction updates the existing balance: an
 * upsert would first test its candidate row (a negative on-hand) against the CHECK constraint and fail.
 */
export async function appendMovement(db: Executor, m: NewMovement): Promise<MovementRow> {
  const { keys, values } = movementRows.given(m);
  const text = appendText(keys, m.quantity < ZERO);
  const moved = [formatQuantity(m.quantity), m.countyId, m.lotId, m.depotId, m.itemId];
  const [row] = rowsOf<Record<string, unknown>>(await runStatement(db, text, [...moved, ...values]));
  noteLedgerLine(db, m.kind);
  return movementRows.decode(row!);
}

const movementRows = new TableRows(movements);
/** Written once per shape of line (which of its optional fields it has), not built by drizzle on every call. */
const appendTexts = new Map<string, string>();

function appendText(keys: readonly string[], deduction: boolean): string {
  const shape = `${deduction}:${keys.join(",")}`;
  let text = appendTexts.get(shape);
  if (text) return text;
  const level = deduction
    ? `update stock_levels set on_hand = on_hand + $1::numeric, updated_at = now()
        where county_id = $2::bigint and depot_id = $4::bigint and item_id = $5::bigint returning item_id`
    : `insert into stock_levels (county_id, depot_id, item_id, on_hand) values ($2::bigint, $4::bigint, $5::bigint, $1::numeric)
       on conflict (county_id, depot_id, item_id)
       do update set on_hand = stock_levels.on_hand + excluded.on_hand, updated_at = now() returning item_id`;
  text = `with lot_moved as (
      update lots set on_hand = on_hand + $1::numeric where county_id = $2::bigint and id = $3::bigint returning id),
    level_moved as (${level})
    ${movementRows.insertText(keys, 5)}`;
  appendTexts.set(shape, text);
  return text;
}
