import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/db/client.js";
import { openTestDatabase } from "./support/service.js";
import { rowsOf } from "../src/db/keys.js";
import { type Breach, LEDGER_INVARIANT, ledgerBreaches } from "./support/ledgerInvariant.js";
import { query, sql } from "./support/sql.js";

let database: Database;
let drop: () => Promise<void>;

beforeAll(async () => ({ database, drop } = await openTestDatabase()));
afterAll(() => drop());

async function refusal(statement: ReturnType<typeof sql>): Promise<string> {
  try {
    await query(database, statement);
  } catch (e) {
    const err = e as { message: string; cause?: { message: string } };
    return err.cause?.message ?? err.message;
  }
  return "accepted";
}

describe("the database guards the ledger itself", () => {
  it("refuses UPDATE of a ledger line", async () => {
    const message = await refusal(
      sql`update movements set quantity = quantity + 1 where id = (select min(id) from movements)`,
    );
    expect(message).toMatch(/append-only/);
  });

  it("refuses DELETE of a ledger line", async () => {
    const count = async () =>
      (await query<{ n: number }>(database, sql`select count(*)::int as n from movements`))[0]!.n;
    const before = await count();
    const message = await refusal(sql`delete from movements where id = (select min(id) from movements)`);
    expect(message).toMatch(/append-only/);
    expect(await count()).toBe(before);
  });

  it("refuses TRUNCATE of the ledger", async () => {
    expect(await refusal(sql`truncate movements cascade`)).toMatch(/append-only/);
  });

  it("refuses a line whose sign contradicts its kind", async () => {
    const message = await refusal(sql`
      insert into movements (county_id, depot_id, lot_id, item_id, kind, quantity, actor_id, occurred_at, reason, source)
      select county_id, depot_id, lot_id, item_id, 'RECEIPT', -5, actor_id, now(), 'wrong sign', 'PURCHASE'
        from movements limit 1`);
    expect(message).toMatch(/movements_sign_matches_kind/);
  });

  it("refuses a negative on-hand balance", async () => {
    const message = await refusal(sql`update lots set on_hand = -1 where id = (select min(id) from lots)`);
    // -1 breaks both "on hand ≥ 0" and "allocated ≤ on hand"; either refusal keeps the lot whole
    expect(message).toMatch(/check constraint "lots_(on_hand_nonnegative|allocated_within_on_hand)"/);
  });

  it("refuses allocating more than is on hand", async () => {
    const message = await refusal(
      sql`update lots set allocated = on_hand + 1 where id = (select min(id) from lots)`,
    );
    expect(message).toMatch(/lots_allocated_within_on_hand/);
  });
});

describe("the demo county", () => {
  it("keeps its books in balance: lots equal their ledger lines, depot-items equal their lots", async () => {
    expect(await ledgerBreaches(database)).toEqual([]);
    const [{ lots }] = (await query<{ lots: number }>(
      database,
      sql`select count(*)::int as lots from lots`,
    )) as [{ lots: number }];
    expect(lots).toBeGreaterThan(50);
  });

  it("the check after every test file names each balance that disagrees", async () => {
    // broken inside a transaction that is rolled back, so the file's own check still finds the books whole
    const seen = await database.db
      .transaction(async (tx) => {
        await tx.execute(sql`update lots set on_hand = on_hand + 1, allocated = 1
                              where id = (select min(id) from lots where allocated = 0 and on_hand > 0)`);
        const rows = rowsOf<Breach>(await tx.execute(sql.raw(LEDGER_INVARIANT)));
        throw Object.assign(new Error("roll back"), { rows });
      })
      .catch((e: { rows?: Breach[] }) => e.rows ?? []);
    expect(seen.map((b) => b.breach)).toEqual([
      "lot on hand is not the sum of its ledger lines",
      "stock level allocated is not the sum of its lots",
      "stock level on hand is not the sum of its lots",
    ]);
    expect(await ledgerBreaches(database)).toEqual([]);
  });

  it("records the flagship township's flood-control reserve from the work summary", async () => {
    const rows = await query<{ code: string; total: string }>(
      database,
      sql`select i.code, sum(l.on_hand)::text as total from lots l join items i on i.id = l.item_id
           join depots d on d.county_id = l.county_id and d.id = l.depot_id
          where d.kind = 'TOWNSHIP_DEPOT' and d.id = (select min(id) from depots where kind = 'TOWNSHIP_DEPOT')
          group by i.code`,
    );
    const totals = Object.fromEntries(rows.map((r) => [r.code, Number(r.total)]));
    expect(totals).toMatchObject({ WOVEN_BAG: 20000, LIFE_JACKET: 40 });
  });
});
