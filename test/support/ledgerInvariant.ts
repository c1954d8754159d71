import postgres from "postgres";
import type { Database } from "../../src/db/client.js";
import { rowsOf } from "../../src/db/keys.js";
import { sql } from "./sql.js";

/**
 * The ledger/balance invariant (docs/custody-rules.md, rules 2 and 7): every lot's on hand is the sum of its
 * ledger lines, 0 ≤ allocated ≤ on hand, and each depot-item balance is the sum of its lots' on hand and
 * allocated. One row per breach, naming what broke; none when the books agree.
 */
export const LEDGER_INVARIANT = `
  with lot_ledger as (
    select l.county_id, l.id, l.depot_id, l.item_id, l.on_hand, l.allocated,
           coalesce(sum(m.quantity), 0) as ledger
      from lots l left join movements m on m.county_id = l.county_id and m.lot_id = l.id
     group by l.county_id, l.id),
  lot_totals as (
    select county_id, depot_id, item_id, sum(on_hand) as on_hand, sum(allocated) as allocated
      from lots group by county_id, depot_id, item_id)
  select 'lot on hand is not the sum of its ledger lines' as breach, county_id::text, depot_id::text,
         item_id::text, id::text as lot_id, on_hand::text as book, ledger::text as expected
    from lot_ledger where on_hand <> ledger
  union all
  select 'lot allocated outside 0..on hand', county_id::text, depot_id::text, item_id::text, id::text,
         allocated::text, on_hand::text
    from lot_ledger where allocated < 0 or allocated > on_hand
  union all
  select 'stock level on hand is not the sum of its lots', coalesce(s.county_id, t.county_id)::text,
         coalesce(s.depot_id, t.depot_id)::text, coalesce(s.item_id, t.item_id)::text, null,
         coalesce(s.on_hand, 0)::text, coalesce(t.on_hand, 0)::text
    from stock_levels s full join lot_totals t
      on t.county_id = s.county_id and t.depot_id = s.depot_id and t.item_id = s.item_id
   where coalesce(s.on_hand, 0) <> coalesce(t.on_hand, 0)
  union all
  select 'stock level allocated is not the sum of its lots', coalesce(s.county_id, t.county_id)::text,
         coalesce(s.depot_id, t.depot_id)::text, coalesce(s.item_id, t.item_id)::text, null,
         coalesce(s.allocated, 0)::text, coalesce(t.allocated, 0)::text
    from stock_levels s full join lot_totals t
      on t.county_id = s.county_id and t.depot_id = s.depot_id and t.item_id = s.item_id
   where coalesce(s.allocated, 0) <> coalesce(t.allocated, 0)
  order by 1, 2, 3, 4, 5`;

export interface Breach {
  breach: string;
  county_id: string;
  depot_id: string;
  item_id: string;
  lot_id: string | null;
  book: string;
  expected: string;
}

/**
 * The breaches in a test file's database. Given its URL, PostgreSQL is read through a connection of its own, so
 * a file that closed the service's pool (an outage) is still checked; an embedded PGlite that a file closed is
 * gone with its data, and answers null.
 */
export async function ledgerBreaches(
  database: Database,
  url: string | null = null,
): Promise<Breach[] | null> {
  if (database.pglite) {
    if (database.pglite.closed) return null;
    return (await database.pglite.query<Breach>(LEDGER_INVARIANT)).rows;
  }
  if (url === null) return rowsOf<Breach>(await database.db.execute(sql.raw(LEDGER_INVARIANT)));
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await client.unsafe<Breach[]>(LEDGER_INVARIANT);
  } finally {
    await client.end();
  }
}

/** Fails the file that leaves its books out of balance, showing the rows that broke. */
export async function assertLedgerHolds(database: Database, url: string | null): Promise<void> {
  const breaches = await ledgerBreaches(database, url);
  if (breaches && breaches.length > 0) {
    const shown = breaches.slice(0, 20).map((b) => JSON.stringify(b));
    throw new Error(
      `the ledger/balance invariant is broken in ${breaches.length} place(s):\n${shown.join("\n")}`,
    );
  }
}
