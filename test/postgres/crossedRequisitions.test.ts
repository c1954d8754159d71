import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { step } from "../support/requisitions.js";
import { startTestService, type TestService } from "../support/service.js";
import { query, sql } from "../support/sql.js";
import { books, imbalances, stockOf, transitWorld } from "../support/transit.js";
import type { DemoIds } from "../support/world.js";

// Real contention needs real connections: every step below is its own HTTP call and its own transaction.
const NOW = new Date("2026-11-24T02:00:00Z");
const PAIRS = 24;
let svc: TestService;
let ids: DemoIds;
let region: Record<string, string>;

beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  ({ ids, region } = await transitWorld(svc));
});
afterAll(() => svc.stop());

/** One township of the pair: who speaks for it, who keeps its depot, and the depot. */
interface Side {
  key: string;
  depot: string;
}
const HEKOU: Side = { key: "hekou", depot: "TD-HEKOU" };
const CHENGGUAN: Side = { key: "chengguan", depot: "TD-CHENGGUAN" };

/** `asker` asks `giver` for one of each item, in the order given, up to approved. */
async function approvedRequest(asker: Side, giver: Side, items: string[]): Promise<string> {
  const created = await step(
    svc,
    "createRequisition",
    "CreateRequisitionInput",
    {
      requestingRegionId: region[asker.key],
      supplyingRegionId: region[giver.key],
      destinationDepotId: ids.depot(asker.depot),
      priority: "URGENT",
      reason: "互助调运：堤防抢险",
      lines: items.map((item) => ({ itemId: ids.item(item), quantity: "1" })),
    },
    `${asker.key}.officer`,
  );
  expect(created.userErrors).toEqual([]);
  const id = created.requisition!.id;
  const input = { requisitionId: id };
  expect(
    (await step(svc, "submitRequisition", "RequisitionStepInput", input, `${asker.key}.officer`)).userErrors,
  ).toEqual([]);
  const approved = await step(
    svc,
    "approveRequisition",
    "ApproveRequisitionInput",
    input,
    `${giver.key}.officer`,
  );
  expect(approved.userErrors).toEqual([]);
  expect(approved.requisition!.status).toBe("APPROVED");
  return id;
}

interface Crossed {
  id: string;
  asker: Side;
  giver: Side;
}

const dispatch = (r: Crossed) =>
  step(
    svc,
    "dispatchRequisition",
    "DispatchRequisitionInput",
    { requisitionId: r.id, carrier: "互助运输队", vehicle: "豫Q·X0001", driverContact: "13900002222" },
    `${r.giver.key}.keeper`,
  );

async function receive(r: Crossed) {
  const res = await svc.gql<{ requisition: { lines: { id: string }[] } }>(
    "query($id: ID!) { requisition(id: $id) { lines { id } } }",
    { id: r.id },
    "county.officer",
  );
  const lines = res.data!.requisition.lines.map((l) => ({ lineId: l.id, acceptedQuantity: "1" }));
  return step(
    svc,
    "receiveRequisition",
    "ReceiveRequisitionInput",
    { requisitionId: r.id, lines },
    `${r.asker.key}.keeper`,
  );
}

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
    const before = {
      hekou: await stockOf(svc, ids.depot(HEKOU.depot), "ROCK"),
      chengguan: await stockOf(svc, ids.depot(CHENGGUAN.depot), "SAND_GRAVEL"),
      movements: (await books(svc)).movements,
    };
    const pairs: [Crossed, Crossed][] = [];
    for (let i = 0; i < PAIRS; i++) {
      pairs.push([
        {
          id: await approvedRequest(HEKOU, CHENGGUAN, ["ROCK", "SAND_GRAVEL"]),
          asker: HEKOU,
          giver: CHENGGUAN,
        },
        {
          id: await approvedRequest(CHENGGUAN, HEKOU, ["SAND_GRAVEL", "ROCK"]),
          asker: CHENGGUAN,
          giver: HEKOU,
        },
      ]);
    }
    const first = pairs.slice(0, PAIRS / 2).flat();
    const second = pairs.slice(PAIRS / 2).flat();
    const deadlocksBefore = await deadlocks();

    allSucceeded(await Promise.all(first.map(dispatch)));
    // receipts at each depot cross the other way round with dispatches out of it
    allSucceeded(await Promise.all([...first.map(receive), ...second.map(dispatch)]));
    allSucceeded(await Promise.all(second.map(receive)));

    // each depot gave as much of each item as it received, and nothing is left on the road
    const hekou = await stockOf(svc, ids.depot(HEKOU.depot), "ROCK");
    const chengguan = await stockOf(svc, ids.depot(CHENGGUAN.depot), "SAND_GRAVEL");
    expect(hekou).toMatchObject({ onHand: before.hekou.onHand, inTransit: "0", allocated: "0" });
    expect(chengguan).toMatchObject({ onHand: before.chengguan.onHand, inTransit: "0", allocated: "0" });
    // two lines per requisition, out at the lender and in at the asker
    expect((await books(svc)).movements).toBe(before.movements + PAIRS * 2 * 2 * 2);
    expect(await imbalances(svc)).toEqual([]);
    // one lock order, so PostgreSQL never had to break a deadlock (the retry is only the fallback)
    expect(await deadlocks()).toBe(deadlocksBefore);
  }, 120_000);
});
