import { sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { noteLedgerLine } from "../ledgerTally.js";
import type { MovementRow } from "./movements.js";
import { quantityParam } from "../schema/columns.js";
import { lots, movements, stockLevels } from "../schema/index.js";
import type {
  IssuePurpose,
  MovementKind,
  ReceiptSource,
  WriteOffCause,
} from "../../domain/stock/movement.js";
import { type Quantity, ZERO } from "../../domain/shared/quantity.js";

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
}

/**
 * Appends one ledger line and moves the lot's and the depot-item's balances by the same amount, in the same
 * statement: one round trip per line, the three never written apart, so balances equal the ledger by construction.
 * Runs inside the caller's transaction; the ledger has no update. A deduction updates the existing balance: an
 * upsert would first test its candidate row (a negative on-hand) against the CHECK constraint and fail.
 */
export async function appendMovement(db: Executor, m: NewMovement): Promise<MovementRow> {
  const lotMoved = db.$with("lot_moved", { id: sql<number>`id` }).as(sql`
    update ${lots} set on_hand = on_hand + ${quantityParam(m.quantity)}
     where county_id = ${m.countyId}::bigint and id = ${m.lotId}::bigint returning id`);
  const levelMoved = db.$with("level_moved", { itemId: sql<number>`item_id` }).as(
    m.quantity < ZERO
      ? sql`
    update ${stockLevels} set on_hand = on_hand + ${quantityParam(m.quantity)}, updated_at = now()
     where county_id = ${m.countyId}::bigint and depot_id = ${m.depotId}::bigint and item_id = ${m.itemId}::bigint
     returning item_id`
      : sql`
    insert into ${stockLevels} (county_id, depot_id, item_id, on_hand)
    values (${m.countyId}::bigint, ${m.depotId}::bigint, ${m.itemId}::bigint, ${quantityParam(m.quantity)})
    on conflict (county_id, depot_id, item_id)
    do update set on_hand = ${stockLevels}.on_hand + excluded.on_hand, updated_at = now()
    returning item_id`,
  );
  const [row] = await db.with(lotMoved, levelMoved).insert(movements).values(m).returning();
  noteLedgerLine(m.kind);
  return row!;
}
