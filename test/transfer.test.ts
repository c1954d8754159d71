import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { step } from "./support/requisitions.js";
import { startTestService, type TestService } from "./support/service.js";
import { demoIds, type DemoIds, receiveLot, SET_CONDITION } from "./support/world.js";

// 10:00 in Shanghai on 2026-11-24
const NOW = new Date("2026-11-24T02:00:00Z");
const KEEPER = "chengguan.keeper";

let svc: TestService;
let ids: DemoIds;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  ids = await demoIds(svc);
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

const transfer = async (input: Record<string, unknown>, as = KEEPER) => {
  const res = await svc.gql<{ transferStock: TransferView }>(
    TRANSFER,
    { input: { itemId: ids.item("WOVEN_BAG"), reason: "汛前前置到村", ...input } },
    as,
  );
  return res;
};

async function stockOf(depot: string, item: string) {
  const res = await svc.gql<{
    node: { stock: { item: { code: string }; onHand: string; usable: string }[] };
  }>(
    `query($id: ID!) { node(id: $id) { ... on Depot { stock { item { code } onHand usable } } } }`,
    { id: ids.depot(depot) },
    "auditor",
  );
  return res.data!.node.stock.find((s) => s.item.code === item) ?? { onHand: "0", usable: "0" };
}

/** Every lot and ledger line of the depots: what a refusal must leave alone. */
async function snapshot(...depots: string[]) {
  const out = [];
  for (const d of depots) {
    const res = await svc.gql(
      `query($d: ID!) { movements(depotId: $d, first: 100) { nodes { id } }
        lots(depotId: $d, first: 100) { nodes { id onHand allocated condition } } }`,
      { d: ids.depot(d) },
      "auditor",
    );
    out.push(res.data);
  }
  return out;
}

describe("transfers between one holder's depots (镇库 → 村存放点, and back)", () => {
  it("moves stock as a ledger pair onto copies of the lots, without a requisition, and back again", async () => {
    const tdBefore = await stockOf("TD-CHENGGUAN", "WOVEN_BAG");
    const vpBefore = await stockOf("VP-CHENGGUAN-201", "WOVEN_BAG");
    const res = await transfer({
      fromDepotId: ids.depot("TD-CHENGGUAN"),
      toDepotId: ids.depot("VP-CHENGGUAN-201"),
      quantity: "1000",
      reference: "交接单 2026-031",
    });
    expect(res.errors).toBeUndefined();
    const moved = res.data!.transferStock;
    expect(moved.userErrors).toEqual([]);
    expect(moved.movements.map((m) => [m.kind, m.quantity, m.lot.depot.code])).toEqual([
      ["TRANSFER_OUT", "-1000", "TD-CHENGGUAN"],
      ["TRANSFER_IN", "1000", "VP-CHENGGUAN-201"],
    ]);
    const [from, to] = [moved.movements[0]!.lot, moved.movements[1]!.lot];
    // the goods keep what they are: code, expiry and condition travel with them
    expect(to).toMatchObject({
      lotCode: from.lotCode,
      expiresOn: from.expiresOn,
      condition: "SERVICEABLE",
      onHand: "1000",
    });
    expect(moved.lots.map((l) => l.id).sort()).toEqual([from.id, to.id].sort());
    expect(await stockOf("TD-CHENGGUAN", "WOVEN_BAG")).toEqual({
      ...tdBefore,
      onHand: String(Number(tdBefore.onHand) - 1000),
      usable: String(Number(tdBefore.usable) - 1000),
    });
    expect(Number((await stockOf("VP-CHENGGUAN-201", "WOVEN_BAG")).onHand)).toBe(
      Number(vpBefore.onHand) + 1000,
    );

    // and back, by the township office this time (it has custody of both), from the copy by name
    const back = await transfer(
      {
        fromDepotId: ids.depot("VP-CHENGGUAN-201"),
        toDepotId: ids.depot("TD-CHENGGUAN"),
        lotId: to.id,
        quantity: "400",
        reason: "回收入镇库",
      },
      "chengguan.officer",
    );
    expect(back.data!.transferStock.userErrors).toEqual([]);
    expect(back.data!.transferStock.movements.map((m) => [m.kind, m.quantity, m.lot.depot.code])).toEqual([
      ["TRANSFER_OUT", "-400", "VP-CHENGGUAN-201"],
      ["TRANSFER_IN", "400", "TD-CHENGGUAN"],
    ]);
    expect(Number((await stockOf("TD-CHENGGUAN", "WOVEN_BAG")).onHand)).toBe(Number(tdBefore.onHand) - 600);
  });

  it("needs custody of both depots: a depot the actor reads is FORBIDDEN, one it cannot see NOT_FOUND", async () => {
    const before = await snapshot("CW-01", "TD-CHENGGUAN", "TD-HEKOU");
    const county = await transfer(
      { fromDepotId: ids.depot("CW-01"), toDepotId: ids.depot("TD-CHENGGUAN"), quantity: "10" },
      "county.officer",
    );
    expect(county.errors).toMatchObject([{ extensions: { code: "FORBIDDEN" } }]);
    const neighbour = await transfer({
      fromDepotId: ids.depot("TD-CHENGGUAN"),
      toDepotId: ids.depot("TD-HEKOU"),
      quantity: "10",
    });
    expect(neighbour.data!.transferStock).toMatchObject({
      movements: [],
      userErrors: [{ code: "NOT_FOUND", field: ["input", "toDepotId"] }],
    });
    const same = await transfer({
      fromDepotId: ids.depot("TD-CHENGGUAN"),
      toDepotId: ids.depot("TD-CHENGGUAN"),
      quantity: "10",
    });
    expect(same.data!.transferStock.userErrors).toMatchObject([
      { code: "INVALID_INPUT", field: ["input", "toDepotId"] },
    ]);
    expect(await snapshot("CW-01", "TD-CHENGGUAN", "TD-HEKOU")).toEqual(before);
  });

  it("never moves quarantined, allocated or reserve-floor stock, and writes nothing when refused", async () => {
    // a neighbour's approved request holds 5 of the jackets
    const regions = await svc.gql<{ regions: { nodes: { id: string; nameEn: string }[] } }>(
      "{ regions(first: 100) { nodes { id nameEn } } }",
    );
    const regionId = (p: string) => regions.data!.regions.nodes.find((r) => r.nameEn.startsWith(p))!.id;
    const asked = await step(
      svc,
      "createRequisition",
      "CreateRequisitionInput",
      {
        requestingRegionId: regionId("Hekou"),
        supplyingRegionId: regionId("Chengguan"),
        destinationDepotId: ids.depot("TD-HEKOU"),
        priority: "URGENT",
        reason: "渡口救援",
        lines: [{ itemId: ids.item("LIFE_JACKET"), quantity: "5" }],
      },
      "hekou.officer",
    );
    const id = asked.requisition!.id;
    await step(svc, "submitRequisition", "RequisitionStepInput", { requisitionId: id }, "hekou.officer");
    const approved = await step(
      svc,
      "approveRequisition",
      "ApproveRequisitionInput",
      { requisitionId: id },
      "chengguan.officer",
    );
    expect(approved.userErrors).toEqual([]);
    const held = approved.requisition!.lines[0]!.allocations[0]!.lot.id;

    const before = await snapshot("TD-CHENGGUAN", "VP-CHENGGUAN-202");
    const allocated = await transfer({
      fromDepotId: ids.depot("TD-CHENGGUAN"),
      toDepotId: ids.depot("VP-CHENGGUAN-202"),
      itemId: ids.item("LIFE_JACKET"),
      lotId: held,
      quantity: "36",
    });
    expect(allocated.data!.transferStock.userErrors).toMatchObject([
      { code: "INSUFFICIENT_STOCK", field: ["input", "quantity"] },
    ]);

    // the flagship township keeps 5,000 bags as its floor
    const usable = Number((await stockOf("TD-CHENGGUAN", "WOVEN_BAG")).usable);
    const floor = await transfer({
      fromDepotId: ids.depot("TD-CHENGGUAN"),
      toDepotId: ids.depot("VP-CHENGGUAN-202"),
      quantity: String(usable - 4999),
    });
    expect(floor.data!.transferStock.userErrors).toMatchObject([{ code: "RESERVE_FLOOR" }]);
    expect(await snapshot("TD-CHENGGUAN", "VP-CHENGGUAN-202")).toEqual(before);

    const fresh = await receiveLot(svc, KEEPER, {
      depotId: ids.depot("TD-CHENGGUAN"),
      itemId: ids.item("LIFE_JACKET"),
      quantity: "10",
      expiresOn: "2030-01-01",
    });
    const q = await svc.gql<{ setLotCondition: { userErrors: unknown[] } }>(
      SET_CONDITION,
      { input: { lotId: fresh.id, condition: "QUARANTINED", reason: "霉变待检" } },
      KEEPER,
    );
    expect(q.data!.setLotCondition.userErrors).toEqual([]);
    const before2 = await snapshot("TD-CHENGGUAN", "VP-CHENGGUAN-202");
    const quarantined = await transfer({
      fromDepotId: ids.depot("TD-CHENGGUAN"),
      toDepotId: ids.depot("VP-CHENGGUAN-202"),
      itemId: ids.item("LIFE_JACKET"),
      lotId: fresh.id,
      quantity: "1",
    });
    expect(quarantined.data!.transferStock.userErrors).toMatchObject([
      { code: "LOT_NOT_ISSUABLE", field: ["input", "lotId"] },
    ]);
    expect(await snapshot("TD-CHENGGUAN", "VP-CHENGGUAN-202")).toEqual(before2);
  });

  it("county depots move among themselves the same way", async () => {
    const res = await transfer(
      {
        fromDepotId: ids.depot("CW-01"),
        toDepotId: ids.depot("AR-HUALIAN"),
        itemId: ids.item("TENT"),
        quantity: "3",
      },
      "county.keeper",
    );
    expect(res.data!.transferStock.userErrors).toEqual([]);
    expect(res.data!.transferStock.movements.map((m) => [m.kind, m.lot.depot.code])).toEqual([
      ["TRANSFER_OUT", "CW-01"],
      ["TRANSFER_IN", "AR-HUALIAN"],
    ]);
  });
});

describe("a retried transfer", () => {
  it("with the same key returns the first answer and moves the stock once; other input under it is refused", async () => {
    const input = {
      fromDepotId: ids.depot("TD-CHENGGUAN"),
      toDepotId: ids.depot("VP-CHENGGUAN-203"),
      quantity: "50",
      idempotencyKey: "transfer-vp203-bags-1",
    };
    const before = Number((await stockOf("VP-CHENGGUAN-203", "WOVEN_BAG")).onHand);
    const first = await transfer(input);
    const again = await transfer(input);
    expect(first.data!.transferStock.userErrors).toEqual([]);
    expect(again.data).toEqual(first.data);
    expect(Number((await stockOf("VP-CHENGGUAN-203", "WOVEN_BAG")).onHand)).toBe(before + 50);
    const other = await transfer({ ...input, quantity: "60" });
    expect(other.data!.transferStock.userErrors).toMatchObject([
      { code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH" },
    ]);
    expect(Number((await stockOf("VP-CHENGGUAN-203", "WOVEN_BAG")).onHand)).toBe(before + 50);
  });
});
