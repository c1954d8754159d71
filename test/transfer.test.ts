import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aDepot, aKeeper, anItem, aVillage, type Depot, type Item, unique } from "./support/factories.js";
import {
  aLendingPair,
  anApprovedRequisition,
  between,
  type LendingPair,
} from "./support/requisitionFactories.js";
import { startTestService, type TestService } from "./support/service.js";
import { aLotOf, aNorm, stockAt } from "./support/stockFactories.js";
import { SET_CONDITION } from "./support/world.js";

// 10:00 in Shanghai on 2026-11-24
const NOW = new Date("2026-11-24T02:00:00Z");

let svc: TestService;
/** The lender township keeps a depot and a village storage point, both kept by its depot's keeper. */
let pair: LendingPair;
let town: Depot;
let village: Depot;
let keeper: string;
/** The county warehouse and an agreement reserve, both kept by one keeper. */
let warehouse: Depot;
let reserve: Depot;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  pair = await aLendingPair(svc, { countyDepots: ["COUNTY_WAREHOUSE", "AGREEMENT_RESERVE"] });
  town = pair.lender.depot;
  keeper = town.keeper;
  village = await aDepot(await aVillage(pair.lender), { keeper });
  [warehouse, reserve] = pair.county.depots as [Depot, Depot];
  await aKeeper(reserve, warehouse.keeper);
});
afterAll(() => svc.stop());

interface LotView {
  id: string;
  lotCode: string;
  onHand: string;
  allocated: string;
  condition: string;
  expiresOn: string | null;
  depot: { code: string };
}
interface TransferView {
  movements: { kind: string; quantity: string; reason: string; requisition: unknown; lot: LotView }[];
  lots: LotView[];
  userErrors: { field: string[]; message: string; code: string }[];
}
const LOT = "id lotCode onHand allocated condition expiresOn depot { code }";
const TRANSFER = `mutation($input: TransferStockInput!) { transferStock(input: $input) {
  movements { kind quantity reason lot { ${LOT} } } lots { ${LOT} } userErrors { field message code } } }`;

const transfer = async (input: Record<string, unknown>, as = keeper) =>
  svc.gql<{ transferStock: TransferView }>(TRANSFER, { input: { reason: "汛前前置到村", ...input } }, as);

/** An item new to the catalogue with `quantity` of it at the township depot. */
async function stockedAtTown(quantity: string, opts: { expiresOn?: string } = {}): Promise<Item> {
  const item = await anItem(pair.county, opts.expiresOn ? { shelfLifeDays: 1825 } : {});
  await aLotOf(town, item, quantity, opts);
  return item;
}

/** Every lot and ledger line of the depots: what a refusal must leave alone. */
async function snapshot(...depots: Depot[]) {
  const out = [];
  for (const d of depots) {
    const res = await svc.gql(
      `query($d: ID!) { movements(depotId: $d, first: 100) { nodes { id } }
        lots(depotId: $d, first: 100) { nodes { id onHand allocated condition } } }`,
      { d: d.id },
      pair.county.auditor,
    );
    out.push(res.data);
  }
  return out;
}

describe("transfers between one holder's depots (镇库 → 村存放点, and back)", () => {
  it("moves stock as a ledger pair onto copies of the lots, without a requisition, and back again", async () => {
    const bags = await stockedAtTown("3000", { expiresOn: "2030-06-01" });

    const res = await transfer({
      itemId: bags.id,
      fromDepotId: town.id,
      toDepotId: village.id,
      quantity: "1000",
      reference: "交接单 2026-031",
    });

    expect(res.errors).toBeUndefined();
    const moved = res.data!.transferStock;
    expect(moved.userErrors).toEqual([]);
    expect(moved.movements.map((m) => [m.kind, m.quantity, m.lot.depot.code])).toEqual([
      ["TRANSFER_OUT", "-1000", town.code],
      ["TRANSFER_IN", "1000", village.code],
    ]);
    const [from, to] = [moved.movements[0]!.lot, moved.movements[1]!.lot];
    // the goods keep what they are: code, expiry and condition travel with them
    expect(to).toMatchObject({
      lotCode: from.lotCode,
      expiresOn: "2030-06-01",
      condition: "SERVICEABLE",
      onHand: "1000",
    });
    expect(from).toMatchObject({ expiresOn: "2030-06-01", onHand: "2000" });
    expect(moved.lots.map((l) => l.id).sort()).toEqual([from.id, to.id].sort());
    expect(await stockAt(town, bags)).toMatchObject({ onHand: "2000", usable: "2000" });
    expect(await stockAt(village, bags)).toMatchObject({ onHand: "1000", usable: "1000" });

    // and back, by the township office this time (it has custody of both), from the copy by name
    const back = await transfer(
      {
        itemId: bags.id,
        fromDepotId: village.id,
        toDepotId: town.id,
        lotId: to.id,
        quantity: "400",
        reason: "回收入镇库",
      },
      pair.lender.officer,
    );
    expect(back.data!.transferStock.userErrors).toEqual([]);
    expect(back.data!.transferStock.movements.map((m) => [m.kind, m.quantity, m.lot.depot.code])).toEqual([
      ["TRANSFER_OUT", "-400", village.code],
      ["TRANSFER_IN", "400", town.code],
    ]);
    expect(await stockAt(town, bags)).toMatchObject({ onHand: "2400" });
    expect(await stockAt(village, bags)).toMatchObject({ onHand: "600" });
  });

  it("needs custody of both depots: a depot the actor reads is FORBIDDEN, one it cannot see NOT_FOUND", async () => {
    const bags = await stockedAtTown("100");
    await aLotOf(warehouse, bags, "100");
    const before = await snapshot(warehouse, town, pair.borrower.depot);

    const byCounty = await transfer(
      { itemId: bags.id, fromDepotId: warehouse.id, toDepotId: town.id, quantity: "10" },
      pair.county.officer,
    );
    const toNeighbour = await transfer({
      itemId: bags.id,
      fromDepotId: town.id,
      toDepotId: pair.borrower.depot.id,
      quantity: "10",
    });
    const same = await transfer({
      itemId: bags.id,
      fromDepotId: town.id,
      toDepotId: town.id,
      quantity: "10",
    });

    expect(byCounty.errors).toMatchObject([{ extensions: { code: "FORBIDDEN" } }]);
    expect(toNeighbour.data!.transferStock).toMatchObject({
      movements: [],
      userErrors: [{ code: "NOT_FOUND", field: ["input", "toDepotId"] }],
    });
    expect(same.data!.transferStock.userErrors).toMatchObject([
      { code: "INVALID_INPUT", field: ["input", "toDepotId"] },
    ]);
    expect(await snapshot(warehouse, town, pair.borrower.depot)).toEqual(before);
  });

  it("never moves quarantined, allocated or reserve-floor stock, and writes nothing when refused", async () => {
    // a neighbour's approved request holds 5 of the 40 jackets
    const jackets = await stockedAtTown("40");
    const approved = await anApprovedRequisition(between(pair, [{ item: jackets, quantity: "5" }]));
    const held = approved.view.lines[0]!.allocations[0]!.lot.id;
    // the township keeps 5,000 of its 6,000 bags as its floor
    const bags = await stockedAtTown("6000");
    await aNorm(pair.county, bags, pair.lender.id, "6000", "5000");
    const before = await snapshot(town, village);

    const allocated = await transfer({
      fromDepotId: town.id,
      toDepotId: village.id,
      itemId: jackets.id,
      lotId: held,
      quantity: "36",
    });
    const floor = await transfer({
      itemId: bags.id,
      fromDepotId: town.id,
      toDepotId: village.id,
      quantity: "1001",
    });

    expect(allocated.data!.transferStock.userErrors).toMatchObject([
      { code: "INSUFFICIENT_STOCK", field: ["input", "quantity"] },
    ]);
    expect(floor.data!.transferStock.userErrors).toMatchObject([{ code: "RESERVE_FLOOR" }]);
    expect(await snapshot(town, village)).toEqual(before);

    const [fresh] = await aLotOf(town, jackets, "10", { expiresOn: "2030-01-01" });
    const q = await svc.gql<{ setLotCondition: { userErrors: unknown[] } }>(
      SET_CONDITION,
      { input: { lotId: fresh!.id, condition: "QUARANTINED", reason: "霉变待检" } },
      keeper,
    );
    expect(q.data!.setLotCondition.userErrors).toEqual([]);
    const before2 = await snapshot(town, village);
    const quarantined = await transfer({
      fromDepotId: town.id,
      toDepotId: village.id,
      itemId: jackets.id,
      lotId: fresh!.id,
      quantity: "1",
    });
    expect(quarantined.data!.transferStock.userErrors).toMatchObject([
      { code: "LOT_NOT_ISSUABLE", field: ["input", "lotId"] },
    ]);
    expect(await snapshot(town, village)).toEqual(before2);
  });

  it("county depots move among themselves the same way", async () => {
    const tents = await anItem(pair.county);
    await aLotOf(warehouse, tents, "20");

    const res = await transfer(
      { fromDepotId: warehouse.id, toDepotId: reserve.id, itemId: tents.id, quantity: "3" },
      warehouse.keeper,
    );

    expect(res.data!.transferStock.userErrors).toEqual([]);
    expect(res.data!.transferStock.movements.map((m) => [m.kind, m.quantity, m.lot.depot.code])).toEqual([
      ["TRANSFER_OUT", "-3", warehouse.code],
      ["TRANSFER_IN", "3", reserve.code],
    ]);
    expect(await stockAt(warehouse, tents)).toMatchObject({ onHand: "17" });
    expect(await stockAt(reserve, tents)).toMatchObject({ onHand: "3" });
  });
});

describe("a retried transfer", () => {
  it("with the same key returns the first answer and moves the stock once; other input under it is refused", async () => {
    const bags = await stockedAtTown("200");
    const input = {
      itemId: bags.id,
      fromDepotId: town.id,
      toDepotId: village.id,
      quantity: "50",
      idempotencyKey: `transfer-${unique()}`,
    };

    const first = await transfer(input);
    const again = await transfer(input);
    const other = await transfer({ ...input, quantity: "60" });

    expect(first.data!.transferStock.userErrors).toEqual([]);
    expect(again.data).toEqual(first.data);
    expect(other.data!.transferStock.userErrors).toMatchObject([
      { code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH" },
    ]);
    expect(await stockAt(village, bags)).toMatchObject({ onHand: "50" });
    expect(await stockAt(town, bags)).toMatchObject({ onHand: "150" });
  });
});
