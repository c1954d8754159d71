import type { TestService } from "./service.js";
import { query, sql } from "./sql.js";

/** Every lot's balance and the ledger's length: what "nothing else changed" compares. */
export async function books(svc: TestService) {
  const [lines] = await query<{ n: number }>(svc.database, sql`select count(*)::int as n from movements`);
  const lots = await query<{ id: string; on_hand: string; allocated: string }>(
    svc.database,
    sql`select id::text, on_hand::text, allocated::text from lots order by id`,
  );
  const levels = await query<{ k: string; on_hand: string; allocated: string }>(
    svc.database,
    sql`select depot_id || ':' || item_id as k, on_hand::text, allocated::text from stock_levels order by 1`,
  );
  return { movements: lines!.n, lots, levels };
}

/** Lots whose balance is not the sum of their ledger lines, and levels that are not the sum of their lots. */
export async function imbalances(svc: TestService) {
  const lots = await query(
    svc.database,
    sql`select l.id from lots l left join movements m on m.county_id = l.county_id and m.lot_id = l.id
         group by l.id, l.on_hand having l.on_hand <> coalesce(sum(m.quantity), 0)`,
  );
  const levels = await query(
    svc.database,
    sql`select s.depot_id, s.item_id from stock_levels s left join lots l
          on l.county_id = s.county_id and l.depot_id = s.depot_id and l.item_id = s.item_id
         group by s.depot_id, s.item_id, s.on_hand, s.allocated
        having s.on_hand <> coalesce(sum(l.on_hand), 0) or s.allocated <> coalesce(sum(l.allocated), 0)`,
  );
  return [...lots, ...levels];
}
