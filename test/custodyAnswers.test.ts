import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../src/graphql/ids.js";
import {
  aCounty,
  aDepot,
  aVillage,
  type Depot,
  type Item,
  type ProvisionedCounty,
} from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import { aLotOf } from "./support/stockFactories.js";
import { RECEIVE, SET_CONDITION, WRITE_OFF } from "./support/world.js";

const NOW = new Date("2026-11-24T02:00:00Z");

let svc: TestService;
/** Two townships, each with its office, depot and keeper; the first also has a village point. */
let county: ProvisionedCounty;
let town: Depot;
let villagePoint: Depot;
let cement: Item;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  county = await aCounty(svc, { townships: 2, items: [{ unitCode: "tonne", shelfLifeDays: 90 }] });
  town = county.townships[0]!.depot;
  villagePoint = await aDepot(await aVillage(county.townships[0]!));
  [cement] = county.items as [Item];
});
afterAll(() => svc.stop());

const receipt = (depot: string) => ({
  depotId: depot,
  itemId: cement.id,
  quantity: "5",
  lotCode: "CUSTODY-1",
  receivedOn: "2026-11-24",
  source: "PURCHASE",
  reason: "到货",
});

/** The whole ledger and every lot: a refusal leaves both exactly as they were. */
async function books() {
  return query(
    svc.database,
    sql`select (select count(*)::int from movements) as lines, (select count(*)::int from lots) as lots,
               (select coalesce(sum(on_hand), 0)::text from lots) as on_hand,
               (select count(*)::int from stock_takes) as takes, (select count(*)::int from write_off_requests) as requests`,
  );
}

/** A lot of the first township's depot, received by its keeper. */
async function aTownshipLot(): Promise<string> {
  const [lot] = await aLotOf(town, cement, "5");
  return lot!.id;
}

describe("a depot the actor may read but not change answers FORBIDDEN, saying why", () => {
  it("the county officer recording a receipt at a township depot it can read", async () => {
    const before = await books();
    const res = await svc.gql(RECEIVE, { input: receipt(town.id) }, county.officer);
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /may read this depot but not change its stock: the county changes stock only at county-level depots/,
        ),
        extensions: { code: "FORBIDDEN" },
      }),
    ]);
    expect(await books()).toEqual(before);
  });

  it.each([
    [
      "setLotCondition",
      SET_CONDITION,
      (lotId: string) => ({ lotId, condition: "QUARANTINED", reason: "抽检" }),
    ],
    [
      "writeOffStock",
      WRITE_OFF,
      (lotId: string) => ({ lotId, quantity: "1", cause: "DAMAGED", reason: "破损" }),
    ],
  ])("the county officer's %s on a township lot", async (_name, mutation, input) => {
    const lotId = await aTownshipLot();
    const before = await books();
    const res = await svc.gql(mutation, { input: input(lotId) }, county.officer);
    expect(res.errors).toMatchObject([{ extensions: { code: "FORBIDDEN" } }]);
    expect(await books()).toEqual(before);
  });

  it("the county officer opening a count of a township depot", async () => {
    const before = await books();
    const res = await svc.gql(
      `mutation($input: StartStockTakeInput!) { startStockTake(input: $input) { stockTake { id } userErrors { code } } }`,
      { input: { depotId: villagePoint.id } },
      county.officer,
    );
    expect(res.errors).toMatchObject([{ extensions: { code: "FORBIDDEN" } }]);
    expect(await books()).toEqual(before);
  });
});

describe("a depot the actor cannot see stays NOT_FOUND, like one that does not exist", () => {
  it.each(["office", "keeper"] as const)(
    "another township's %s recording a receipt at the first",
    async (who) => {
      const other = county.townships[1]!;
      const as = who === "office" ? other.officer : other.depot.keeper;
      const missing = toGlobalId("Depot", { countyId: county.countyId, id: 999999999 });
      const before = await books();
      const outside = await svc.gql<{ receiveStock: { userErrors: unknown[] } }>(
        RECEIVE,
        { input: receipt(town.id) },
        as,
      );
      const absent = await svc.gql<{ receiveStock: { userErrors: unknown[] } }>(
        RECEIVE,
        { input: receipt(missing) },
        as,
      );
      expect(outside.errors).toBeUndefined();
      expect(outside.data!.receiveStock.userErrors).toEqual([
        { field: ["input", "depotId"], message: "depot not found", code: "NOT_FOUND" },
      ]);
      expect(outside.data).toEqual(absent.data);
      expect(await books()).toEqual(before);
    },
  );
});
