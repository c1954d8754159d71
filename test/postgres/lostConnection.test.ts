import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "../support/service.js";
import { aCounty, anItem, type Depot, type Item, type ProvisionedCounty } from "../support/factories.js";
import { expectCountyKey } from "../../src/graphql/ids.js";
import { databaseUrl } from "../support/engine.js";
import { query, sql } from "../support/sql.js";
import { aLotOf, stockAt } from "../support/stockFactories.js";
import { type ChangeView, ISSUE } from "../support/world.js";

// A transaction's connection killed under it (a DBA's pg_terminate_backend, a failover): the command fails as the
// database being unavailable, writes nothing, and the pool goes on serving with the connections it has left.
let svc: TestService;
let county: ProvisionedCounty;
let depot: Depot;
let item: Item;
let side: postgres.Sql;
beforeAll(async () => {
  svc = await startTestService();
  county = await aCounty(svc, { townships: 1 });
  depot = county.townships[0]!.depot;
  item = await anItem(county);
  await aLotOf(depot, item, "100");
  const [db] = await query<{ name: string }>(svc.database, sql`select current_database() as name`);
  side = postgres(databaseUrl(db!.name), { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  await side.end();
  await svc.stop();
});

const issueOne = () =>
  svc.gql<{ issueStock: ChangeView }>(
    ISSUE,
    {
      input: {
        depotId: depot.id,
        itemId: item.id,
        quantity: "1",
        purpose: "FLOOD_FIGHTING",
        recipient: "河口村抢险队",
        reason: "管涌抢险",
      },
    },
    depot.keeper,
  );

/** The backend of a statement waiting for a row lock: the service's command, held up by the side transaction. */
async function waitingBackend(): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const [row] = await side<{ pid: number }[]>`
      select pid from pg_stat_activity
       where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`;
    if (row) return row.pid;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the issue never waited on the lot's lock");
}

describe("a connection lost in the middle of a command", () => {
  it("fails that command as unavailable, writes nothing, and every later command is served", async () => {
    const before = await stockAt(depot, item);
    const reserved = await side.reserve();
    let answer: Awaited<ReturnType<typeof issueOne>>;
    try {
      await reserved`begin`;
      const key = expectCountyKey(depot.id, "Depot", "depotId");
      await reserved`select id from lots where county_id = ${key.countyId} and depot_id = ${key.id} for update`;
      const pending = issueOne();
      const pid = await waitingBackend();
      await side`select pg_terminate_backend(${pid})`;
      answer = await pending;
    } finally {
      await reserved`rollback`;
      reserved.release();
    }
    expect(answer.errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");
    expect(await stockAt(depot, item)).toEqual(before);
    // one after another, so each takes the connection the last one gave back, the killed one's turn included
    for (let i = 0; i < 12; i++) {
      const res = await issueOne();
      expect(res.data?.issueStock.userErrors).toEqual([]);
    }
    const together = await Promise.all(Array.from({ length: 12 }, issueOne));
    expect(together.map((r) => r.errors ?? r.data?.issueStock.userErrors)).toEqual(together.map(() => []));
    expect((await stockAt(depot, item)).onHand).toBe("76");
  });
});
