import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Depot, Item, Township } from "../support/factories.js";
import {
  aLendingPair,
  anApprovedRequisition,
  type LendingPair,
  type Requisition,
} from "../support/requisitionFactories.js";
import { step } from "../support/requisitions.js";
import { startTestService, type TestService } from "../support/service.js";
import { query, sql } from "../support/sql.js";
import { aLotOf, stockAt } from "../support/stockFactories.js";
import { books, imbalances } from "../support/transit.js";

// Real contention needs real connections: every step below is its own HTTP call and its own transaction.
const NOW = new Date("2026-11-24T02:00:00Z");
const PAIRS = 24;
let svc: TestService;
/** Two neighbouring townships of a county of its own, each holding 100 of rock and of sand at its depot. */
let pair: LendingPair;
let rock: Item;
let sand: Item;

beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  pair = await aLendingPair(svc, { items: [{}, {}] });
  [rock, sand] = pair.county.items as [Item, Item];
  for (const side of [pair.lender, pair.borrower])
    for (const item of [rock, sand]) await aLotOf(side.depot, item, "100");
});
afterAll(() => svc.stop());

/** One township of the pair: its office asks and approves, its depot's keeper dispatches and receives. */
type Side = Township & { depot: Depot };

/** `asker` asks `giver` for one of each item, in the order given, up to approved by the giver's office. */
async function approvedRequest(asker: Side, giver: Side, items: Item[]): Promise<Crossed> {
  const approved = await anApprovedRequisition({
    from: asker,
    to: giver,
    destination: asker.depot,
    lines: items.map((item) => ({ item, quantity: "1" })),
  });
  expect(approved.view.status).toBe("APPROVED");
  return { requisition: approved, asker, giver };
}

interface Crossed {
  requisition: Requisition;
  asker: Side;
  giver: Side;
}

const dispatch = (r: Crossed) =>
  step(
    svc,
    "dispatchRequisition",
    "DispatchRequisitionInput",
    {
      requisitionId: r.requisition.id,
      carrier: "互助运输队",
      vehicle: "豫Q·X0001",
      driverContact: "13900002222",
    },
    r.giver.depot.keeper,
  );

const receive = (r: Crossed) =>
  step(
    svc,
    "receiveRequisition",
    "ReceiveRequisitionInput",
    {
      requisitionId: r.requisition.id,
      lines: r.requisition.view.lines.map((l) => ({ lineId: l.id, acceptedQuantity: "1" })),
    },
    r.asker.depot.keeper,
  );

/** Every answer succeeded: no top-level error (INTERNAL_SERVER_ERROR above all) and no refusal. */
function allSucceeded(results: Awaited<ReturnType<typeof step>>[]) {
  const tally: Record<string, number> = {};
  for (const r of results) {
    const outcome = r.topLevel ?? (r.userErrors.map((e) => e.code).join() || "OK");
    tally[outcome] = (tally[outcome] ?? 0) + 1;
  }
  expect(tally).toEqual({ OK: results.length });
}

const deadlocks = async () =>
  (
    await query<{ n: string }>(
      svc.database,
      sql`select deadlocks::text as n from pg_stat_database where datname = current_database()`,
    )
  )[0]!.n;

describe("requisitions that cross (A asks B for rock then sand, B asks A for sand then rock)", () => {
  it(`${PAIRS} pairs dispatched and received at once: every step succeeds, no deadlock, balances equal the ledger`, async () => {
    const A = pair.borrower;
    const B = pair.lender;
    const before = (await books(svc)).movements;
    const pairs: [Crossed, Crossed][] = [];
    for (let i = 0; i < PAIRS; i++) {
      pairs.push([await approvedRequest(A, B, [rock, sand]), await approvedRequest(B, A, [sand, rock])]);
    }
    const first = pairs.slice(0, PAIRS / 2).flat();
    const second = pairs.slice(PAIRS / 2).flat();
    const deadlocksBefore = await deadlocks();

    allSucceeded(await Promise.all(first.map(dispatch)));
    // receipts at each depot cross the other way round with dispatches out of it
    allSucceeded(await Promise.all([...first.map(receive), ...second.map(dispatch)]));
    allSucceeded(await Promise.all(second.map(receive)));

    // each depot gave as much of each item as it received, and nothing is left on the road
    for (const depot of [A.depot, B.depot])
      for (const item of [rock, sand])
        expect(await stockAt(depot, item)).toMatchObject({ onHand: "100", inTransit: "0", allocated: "0" });
    // two lines per requisition, out at the lender and in at the asker
    expect((await books(svc)).movements).toBe(before + PAIRS * 2 * 2 * 2);
    expect(await imbalances(svc)).toEqual([]);
    // one lock order, so PostgreSQL never had to break a deadlock (the retry is only the fallback)
    expect(await deadlocks()).toBe(deadlocksBefore);
  }, 120_000);
});
