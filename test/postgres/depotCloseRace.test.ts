import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutate } from "../support/admin.js";
import { aCounty, aDepot, type Item, type ProvisionedCounty, type Township } from "../support/factories.js";
import { startTestService, type TestService } from "../support/service.js";
import { query, sql } from "../support/sql.js";
import { RECEIVE } from "../support/world.js";

// Real contention needs real connections: each request is its own HTTP call and its own transaction.
const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
/** A township whose keeper is given a new, empty depot each round. */
let county: ProvisionedCounty;
let township: Township;
let keeper: string;
let cement: Item;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  county = await aCounty(svc, { townships: 1, items: [{ unitCode: "tonne", shelfLifeDays: 90 }] });
  township = county.townships[0]!;
  keeper = county.townships[0]!.depot.keeper;
  [cement] = county.items as [Item];
});
afterAll(() => svc.stop());

describe("closing a depot while stock arrives", () => {
  it("either the receipt lands and the close is refused, or the close wins and the receipt is refused", async () => {
    const depots: string[] = [];
    for (let n = 0; n < 12; n++) {
      const depotId = (await aDepot(township, { keeper })).id;
      depots.push(depotId);
      const [received, closed] = await Promise.all([
        svc.gql<{ receiveStock: { userErrors: { code: string }[] } }>(
          RECEIVE,
          {
            input: {
              depotId,
              itemId: cement.id,
              quantity: "1",
              lotCode: `RACE-${n}`,
              receivedOn: "2026-11-20",
              source: "PURCHASE",
              reason: "race",
            },
          },
          keeper,
        ),
        mutate(
          svc,
          "closeDepot",
          "CloseDepotInput",
          "depot { id }",
          { depotId, reason: "race" },
          county.admin,
        ),
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
