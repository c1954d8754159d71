import { and, eq, sql } from "drizzle-orm";
import type { CalendarDate } from "../../domain/shared/calendar.js";
import type { MovementKind, ReceiptSource } from "../../domain/stock/movement.js";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys, rowsOf } from "../keys.js";
import type { ReadScope } from "../../domain/custody/policy.js";
import { depots, lots, movements, stockLevels } from "../schema/index.js";
import { depotInScope } from "./scope.js";

export type LotRow = typeof lots.$inferSelect;
export type MovementRow = typeof movements.$inferSelect;

export async function insertLot(
  db: Executor,
  lot: Omit<typeof lots.$inferInsert, "id" | "createdAt">,
): Promise<LotRow> {
  const [row] = await db.insert(lots).values(lot).returning();
  return row!;
}

export interface NewMovement {
  countyId: number;
  depotId: number;
  lotId: number;
  itemId: number;
  kind: MovementKind;
  /** Signed decimal text. */
  quantity: string;
  actorId: number;
  occurredAt: Date;
  reason: string;
  reference?: string;
  source?: ReceiptSource | null;
  reversesId?: number | null;
  requisitionId?: number | null;
  stockTakeId?: number | null;
}

/**
 * Appends one ledger line and moves the lot's and the depot-item's balances by the same amount, so balances
 * equal the ledger by construction. Must run inside the caller's transaction. The ledger has no update.
 */
export async function appendMovement(db: Executor, m: NewMovement): Promise<MovementRow> {
  const [row] = await db.insert(movements).values(m).returning();
  await db
    .update(lots)
    .set({ onHand: sql`${lots.onHand} + ${m.quantity}::numeric` })
    .where(inKeys(lots.countyId, lots.id, [{ countyId: m.countyId, id: m.lotId }]));
  await db
    .insert(stockLevels)
    .values({ countyId: m.countyId, depotId: m.depotId, itemId: m.itemId, onHand: m.quantity })
    .onConflictDoUpdate({
      target: [stockLevels.countyId, stockLevels.depotId, stockLevels.itemId],
      set: { onHand: sql`${stockLevels.onHand} + excluded.on_hand`, updatedAt: sql`now()` },
    });
  return row!;
}

export interface DepotItemStock {
  countyId: number;
  depotId: number;
  itemId: number;
  onHand: string;
  allocated: string;
  quarantined: string;
  damaged: string;
  expired: string;
  usable: string;
  reserveFloor: string;
  inTransit: string;
}

/**
 * Named quantities per depot and item on a given day, for many depots in one statement. Mirrors
 * domain/stock/availability.ts: usable = serviceable, unexpired on `asOf`, minus what is allocated.
 */
export async function stockByDepots(
  db: Executor,
  depotKeys: readonly CountyKey[],
  asOf: CalendarDate,
): Promise<DepotItemStock[]> {
  if (depotKeys.length === 0) return [];
  const wanted = sql.join(
    depotKeys.map((k) => sql`(${k.countyId}::bigint, ${k.id}::bigint)`),
    sql`, `,
  );
  const result = await db.execute(sql`
    with wanted(county_id, depot_id) as (values ${wanted}),
    lot_totals as (
      select l.county_id, l.depot_id, l.item_id,
        sum(l.on_hand) as on_hand,
        sum(l.allocated) as allocated,
        coalesce(sum(l.on_hand) filter (where l.condition = 'QUARANTINED'), 0) as quarantined,
        coalesce(sum(l.on_hand) filter (where l.condition = 'DAMAGED'), 0) as damaged,
        coalesce(sum(l.on_hand) filter (where l.condition = 'EXPIRED'
          or (l.condition = 'SERVICEABLE' and l.expires_on < ${asOf}::date)), 0) as expired,
        coalesce(sum(l.on_hand - l.allocated) filter (where l.condition = 'SERVICEABLE'
          and (l.expires_on is null or l.expires_on >= ${asOf}::date)), 0) as usable
      from lots l
      where (l.county_id, l.depot_id) in (select county_id, depot_id from wanted)
      group by l.county_id, l.depot_id, l.item_id
    ),
    incoming as (
      select r.county_id, r.destination_depot_id as depot_id, rl.item_id, sum(a.quantity) as in_transit
      from requisitions r
      join requisition_lines rl on rl.county_id = r.county_id and rl.requisition_id = r.id
      join allocations a on a.county_id = rl.county_id and a.requisition_line_id = rl.id
      where r.status = 'IN_TRANSIT' and a.dispatched_at is not null and a.released_at is null
        and (r.county_id, r.destination_depot_id) in (select county_id, depot_id from wanted)
      group by 1, 2, 3
    )
    select coalesce(t.county_id, i.county_id)::text as county_id,
           coalesce(t.depot_id, i.depot_id)::text as depot_id,
           coalesce(t.item_id, i.item_id)::text as item_id,
           coalesce(t.on_hand, 0)::text as on_hand, coalesce(t.allocated, 0)::text as allocated,
           coalesce(t.quarantined, 0)::text as quarantined, coalesce(t.damaged, 0)::text as damaged,
           coalesce(t.expired, 0)::text as expired, coalesce(t.usable, 0)::text as usable,
           coalesce(s.reserve_floor, 0)::text as reserve_floor, coalesce(i.in_transit, 0)::text as in_transit
    from lot_totals t
    full join incoming i on i.county_id = t.county_id and i.depot_id = t.depot_id and i.item_id = t.item_id
    left join stock_levels s on s.county_id = coalesce(t.county_id, i.county_id)
      and s.depot_id = coalesce(t.depot_id, i.depot_id) and s.item_id = coalesce(t.item_id, i.item_id)
    order by coalesce(t.depot_id, i.depot_id), coalesce(t.item_id, i.item_id)`);
  return rowsOf<Record<string, string>>(result).map((r) => ({
    countyId: Number(r.county_id),
    depotId: Number(r.depot_id),
    itemId: Number(r.item_id),
    onHand: r.on_hand!,
    allocated: r.allocated!,
    quarantined: r.quarantined!,
    damaged: r.damaged!,
    expired: r.expired!,
    usable: r.usable!,
    reserveFloor: r.reserve_floor!,
    inTransit: r.in_transit!,
  }));
}

/** Lots by key, limited to depots the scope may read; others are as absent as missing ones. */
export async function findVisibleLotsByKeys(
  db: Executor,
  scope: ReadScope,
  keys: readonly CountyKey[],
): Promise<LotRow[]> {
  const rows = await db
    .select({ lot: lots })
    .from(lots)
    .innerJoin(depots, and(eq(depots.countyId, lots.countyId), eq(depots.id, lots.depotId)))
    .where(and(inKeys(lots.countyId, lots.id, keys), depotInScope(scope, depots)));
  return rows.map((r) => r.lot);
}
