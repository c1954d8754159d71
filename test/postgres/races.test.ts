import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCounty, anItem, type Depot, type Item, type ProvisionedCounty } from "../support/factories.js";
import { type GqlResult, startTestService, type TestService } from "../support/service.js";
import { query, sql } from "../support/sql.js";
import { aLotOf } from "../support/stockFactories.js";
import { type ChangeView, ISSUE, lotNow, REVERSE } from "../support/world.js";

// Real contention needs real connections: every request below is its own HTTP call and its own transaction.
const NOW = new Date("2026-11-24T02:00:00Z");

let svc: TestService;
/** One township's depot; each test stocks an item new to the catalogue there, so its lots are the test's alone. */
let county: ProvisionedCounty;
let depot: Depot;
let KEEPER: string;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  county = await aCounty(svc, { townships: 1 });
  depot = county.townships[0]!.depot;
  KEEPER = depot.keeper;
});
afterAll(() => svc.stop());

/** A lot of life jackets (or tents) at the depot, of an item no other test stocks. */
const aLot = async (item: Item, quantity: string, expiresOn = "2030-01-01") => {
  const [lot] = await aLotOf(depot, item, quantity, { expiresOn });
  return lot!;
};
const onHand = async (lotId: string) => (await lotNow(svc, lotId, county.auditor)).onHand;

/** Fires `n` requests at once and waits for every answer. */
const together = <T>(n: number, send: () => Promise<T>): Promise<T[]> =>
  Promise.all(Array.from({ length: n }, send));

const issue = (input: Record<string, unknown>, fields = "") =>
  svc.gql<{ issueStock: ChangeView }>(
    fields ? ISSUE.replace("movements {", `movements { ${fields}`) : ISSUE,
    { input: { purpose: "FLOOD_FIGHTING", recipient: "城关镇抢险队", reason: "levee breach", ...input } },
    KEEPER,
  );

/** "OK" or the refusal codes of each answer; a top-level error fails the test on its own. */
function outcomes(results: GqlResult<Record<string, ChangeView>>[]): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const res of results) {
    expect(res.errors).toBeUndefined();
    expect(res.status).toBe(200);
    const payload = Object.values(res.data!)[0]!;
    const outcome = payload.userErrors.map((e) => e.code).join() || "OK";
    tally[outcome] = (tally[outcome] ?? 0) + 1;
  }
  return tally;
}

const dbId = (globalId: string) => Number(Buffer.from(globalId, "base64url").toString("utf8").split(":")[2]);

/** The lot's ledger lines in the order they were written, and whether its balance is their sum. */
async function ledgerOf(lotId: string) {
  const lines = await query<{ kind: string; quantity: string; reverses_id: string | null }>(
    svc.database,
    sql`select kind, quantity::text, reverses_id::text from movements where lot_id = ${dbId(lotId)} order by id`,
  );
  const [balance] = await query<{ matches: boolean; neverNegative: boolean }>(
    svc.database,
    sql`select l.on_hand = coalesce(sum(m.quantity), 0) as matches,
               coalesce(min(m.running), 0) >= 0 as "neverNegative"
          from lots l left join (select lot_id, quantity,
                   sum(quantity) over (order by id) as running from movements where lot_id = ${dbId(lotId)}) m
            on m.lot_id = l.id
         where l.id = ${dbId(lotId)} group by l.id, l.on_hand`,
  );
  return { lines, ...balance! };
}

/** The depot's total of the item, which every ledger line moves in the same transaction, against its lots. */
async function expectLevelIsSumOfLots(item: Item) {
  const rows = await query<{ level: string; lots: string }>(
    svc.database,
    sql`select s.on_hand::text as level, (select sum(l.on_hand) from lots l
           where l.county_id = s.county_id and l.depot_id = s.depot_id and l.item_id = s.item_id)::text as lots
         from stock_levels s
         where s.county_id = ${county.countyId} and s.depot_id = ${depot.depotId} and s.item_id = ${item.itemId}`,
  );
  expect(rows).toHaveLength(1);
  // both are numeric(18, 3) text, so equal quantities print alike
  expect(rows[0]!.level).toBe(rows[0]!.lots);
}

describe("concurrent issues", () => {
  it("50 concurrent issues against a lot of 10 units leave exactly 10 issued and the rest refused with INSUFFICIENT_STOCK", async () => {
    const jackets = await anItem(county);
    const [depotId, itemId] = [depot.id, jackets.id];
    const lot = await aLot(jackets, "10");

    const results = await together(50, () => issue({ depotId, itemId, lotId: lot.id, quantity: "1" }));

    expect(outcomes(results)).toEqual({ OK: 10, INSUFFICIENT_STOCK: 40 });
    const written = results.flatMap((r) => r.data!.issueStock.movements);
    expect(written.map((m) => [m.lot.id, m.quantity])).toEqual(Array(10).fill([lot.id, "-1"]));
    expect(await onHand(lot.id)).toBe("0");
    const ledger = await ledgerOf(lot.id);
    expect(ledger.lines.map((l) => l.kind)).toEqual(["RECEIPT", ...Array(10).fill("ISSUE")]);
    expect(ledger).toMatchObject({ matches: true, neverNegative: true });
    await expectLevelIsSumOfLots(jackets);
  });

  it("first-expiry-first-out under contention empties the earlier lot first and never goes below zero", async () => {
    // tents new to the catalogue: any other tent here would be issued too and change the count
    const tents = await anItem(county);
    const [depotId, itemId] = [depot.id, tents.id];
    const early = await aLot(tents, "5", "2027-05-01");
    const late = await aLot(tents, "5", "2028-05-01");

    const results = await together(30, () => issue({ depotId, itemId, quantity: "1" }));

    expect(outcomes(results)).toEqual({ OK: 10, INSUFFICIENT_STOCK: 20 });
    expect(await onHand(early.id)).toBe("0");
    expect(await onHand(late.id)).toBe("0");
    const issued = await query<{ lot_id: string }>(
      svc.database,
      sql`select lot_id::text from movements where kind = 'ISSUE' and lot_id in (${dbId(early.id)}, ${dbId(late.id)})
           order by id`,
    );
    // each issue saw the lots as the previous one left them, so the later lot was touched only once the earlier was empty
    expect(issued.map((m) => Number(m.lot_id))).toEqual([
      ...Array(5).fill(dbId(early.id)),
      ...Array(5).fill(dbId(late.id)),
    ]);
    for (const lot of [early, late])
      expect(await ledgerOf(lot.id)).toMatchObject({ matches: true, neverNegative: true });
    await expectLevelIsSumOfLots(tents);
  });
});

describe("concurrent retries and corrections", () => {
  it("20 concurrent identical issues with one idempotency key write one line and all get the same answer", async () => {
    const jackets = await anItem(county);
    const [depotId, itemId] = [depot.id, jackets.id];
    const lot = await aLot(jackets, "10");
    const input = { depotId, itemId, lotId: lot.id, quantity: "3", idempotencyKey: `race-${lot.id}` };

    // the instants too: a replay must not answer with a differently shaped copy of the first response
    const results = await together(20, () => issue(input, "occurredAt recordedAt"));

    expect(outcomes(results)).toEqual({ OK: 20 });
    const first = results[0]!.data!.issueStock;
    expect(first.movements).toHaveLength(1);
    for (const res of results) expect(res.data!.issueStock).toEqual(first);
    expect(await onHand(lot.id)).toBe("7");
    const ledger = await ledgerOf(lot.id);
    expect(ledger.lines).toEqual([
      { kind: "RECEIPT", quantity: "10.000", reverses_id: null },
      { kind: "ISSUE", quantity: "-3.000", reverses_id: null },
    ]);
    expect(ledger.matches).toBe(true);
  });

  it("10 concurrent reversals of one line: exactly one succeeds, the others are INVALID_TRANSITION", async () => {
    const jackets = await anItem(county);
    const [depotId, itemId] = [depot.id, jackets.id];
    const lot = await aLot(jackets, "10");
    const issued = await issue({ depotId, itemId, lotId: lot.id, quantity: "4" });
    const line = issued.data!.issueStock.movements[0]!.id;

    const results = await together(10, () =>
      svc.gql<{ reverseMovement: ChangeView }>(
        REVERSE,
        { input: { movementId: line, reason: "issued from the wrong lot" } },
        KEEPER,
      ),
    );

    expect(outcomes(results)).toEqual({ OK: 1, INVALID_TRANSITION: 9 });
    expect(await onHand(lot.id)).toBe("10");
    const ledger = await ledgerOf(lot.id);
    expect(ledger.lines).toEqual([
      { kind: "RECEIPT", quantity: "10.000", reverses_id: null },
      { kind: "ISSUE", quantity: "-4.000", reverses_id: null },
      { kind: "REVERSAL", quantity: "4.000", reverses_id: String(dbId(line)) },
    ]);
    expect(ledger.matches).toBe(true);
  });
});
