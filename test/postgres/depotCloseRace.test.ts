import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminWorld, type AdminWorld, insertUser, mutate, userGlobalId } from "../support/admin.js";
import { startTestService, type TestService } from "../support/service.js";
import { query, sql } from "../support/sql.js";
import { demoIds, type DemoIds, RECEIVE } from "../support/world.js";

// Real contention needs real connections: each request is its own HTTP call and its own transaction.
const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
let w: AdminWorld;
let ids: DemoIds;
let keeper: string;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  w = await adminWorld(svc);
  ids = await demoIds(svc);
  await insertUser(svc, "race.keeper", w.countyId);
  keeper = await userGlobalId(svc, "race.keeper");
});
afterAll(() => svc.stop());

async function emptyDepot(n: number): Promise<string> {
  const created = await mutate<{ depot: { id: string } }>(
    svc,
    "createDepot",
    "CreateDepotInput",
    "depot { id }",
    {
      regionId: w.region("杨湖乡"),
      code: `RACE-${n}`,
      kind: "TOWNSHIP_DEPOT",
      nameZh: `竞争库${n}`,
      custodianOrg: "杨湖乡应急办",
    },
  );
  await mutate(svc, "assignKeeper", "AssignKeeperInput", "depot { id }", {
    depotId: created.depot.id,
    userId: keeper,
  });
  return created.depot.id;
}

describe("closing a depot while stock arrives", () => {
  it("either the receipt lands and the close is refused, or the close wins and the receipt is refused", async () => {
    for (let n = 0; n < 12; n++) {
      const depotId = await emptyDepot(n);
      const [received, closed] = await Promise.all([
        svc.gql<{ receiveStock: { userErrors: { code: string }[] } }>(
          RECEIVE,
          {
            input: {
              depotId,
              itemId: ids.item("CEMENT"),
              quantity: "1",
              lotCode: `RACE-${n}`,
              receivedOn: "2026-11-20",
              source: "PURCHASE",
              reason: "race",
            },
          },
          "race.keeper",
        ),
        mutate(svc, "closeDepot", "CloseDepotInput", "depot { id }", { depotId, reason: "race" }),
      ]);
      const receipt = received.data!.receiveStock.userErrors.map((e) => e.code);
      const close = closed.userErrors.map((e) => e.code);
      expect([receipt, close], `round ${n}`).toSatisfy(
        ([r, c]: string[][]) =>
          (r!.length === 0 && c![0] === "DEPOT_HOLDS_STOCK") || (r![0] === "DEPOT_CLOSED" && c!.length === 0),
      );
    }
    // no closed depot holds anything
    const held = await query<{ n: number }>(
      svc.database,
      sql`select count(*)::int as n from lots l join depots d on d.county_id = l.county_id and d.id = l.depot_id
           where d.closed_at is not null and l.on_hand > 0`,
    );
    expect(held[0]!.n).toBe(0);
  });
});
