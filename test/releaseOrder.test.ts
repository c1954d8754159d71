import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aCounty,
  aDepot,
  aKeeper,
  anItem,
  countyRegion,
  type Depot,
  type Item,
  mutation,
  type ProvisionedCounty,
} from "./support/factories.js";
import { aDispatchedRequisition } from "./support/requisitionFactories.js";
import { startTestService, type TestService } from "./support/service.js";
import { aLotOf } from "./support/stockFactories.js";
import { type ChangeView, CONFIRM_WRITE_OFF, ISSUE, WRITE_OFF } from "./support/world.js";

// 10:00 in Shanghai on 2026-11-24
const NOW = new Date("2026-11-24T02:00:00Z");
const ORDER = "清应急动〔2026〕21号";

let svc: TestService;
let county: ProvisionedCounty;
/** An agent storage point (代储点) and the county warehouse, kept by one keeper, as a county's keeper keeps both. */
let agent: Depot;
let warehouse: Depot;
let keeper: string;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  county = await aCounty(svc, { townships: 1, countyDepots: ["AGENT_STORAGE", "COUNTY_WAREHOUSE"] });
  [agent, warehouse] = county.depots as [Depot, Depot];
  keeper = agent.keeper;
  // a transfer needs custody of both ends
  await aKeeper(warehouse, keeper);
});
afterAll(() => svc.stop());

interface LineView {
  id: string;
  kind: string;
  quantity: string;
  releaseOrderNo: string | null;
  lot: { id: string; depot: { code: string } };
}
const LINES = "movements { id kind quantity releaseOrderNo lot { id depot { code } } }";
const withOrder = (q: string) => q.replace("movements { id kind quantity lot { id } }", LINES);
const ROTATE = `mutation($input: RotateOutInput!) { rotateOut(input: $input) {
  rotation { id } ${LINES} userErrors { field message code } } }`;
const TRANSFER = `mutation($input: TransferStockInput!) { transferStock(input: $input) {
  ${LINES} userErrors { field message code } } }`;

/** What a refusal must leave alone: the depot's ledger and lots. */
async function snapshot(depot: Depot) {
  const res = await svc.gql<{
    movements: { nodes: { id: string }[] };
    lots: { nodes: { id: string; onHand: string; allocated: string }[] };
  }>(
    `query($d: ID!) { movements(depotId: $d, first: 100) { nodes { id } }
      lots(depotId: $d, first: 100) { nodes { id onHand allocated } } }`,
    { d: depot.id },
    county.auditor,
  );
  return res.data;
}

/** An item new to the catalogue and one lot of it at the depot: the lot's id. */
async function stocked(depot: Depot, quantity: string): Promise<{ item: Item; lotId: string }> {
  const item = await anItem(county);
  const [lot] = await aLotOf(depot, item, quantity);
  return { item, lotId: lot!.id };
}

const refusedForOrder = (userErrors: unknown) =>
  expect(userErrors).toEqual([
    {
      field: ["input", "releaseOrderNo"],
      message: expect.stringContaining("动用指令"),
      code: "RELEASE_ORDER_REQUIRED",
    },
  ]);

describe("the release order (动用指令) guards every path out of agent storage", () => {
  it("an issue out of agent storage needs one and records it; the county warehouse does not", async () => {
    const bags = await anItem(county);
    await aLotOf(agent, bags, "1000");
    await aLotOf(warehouse, bags, "1000");
    const input = {
      depotId: agent.id,
      itemId: bags.id,
      quantity: "500",
      purpose: "FLOOD_FIGHTING",
      recipient: "河口镇抢险队",
      reason: "李庄段堤防管涌",
    };
    const before = await snapshot(agent);

    const refused = await svc.gql<{ issueStock: ChangeView }>(withOrder(ISSUE), { input }, keeper);
    const untouched = await snapshot(agent);
    const done = await svc.gql<{ issueStock: { movements: LineView[]; userErrors: unknown[] } }>(
      withOrder(ISSUE),
      { input: { ...input, releaseOrderNo: ` ${ORDER} ` } },
      keeper,
    );
    const fromWarehouse = await svc.gql<{ issueStock: { movements: LineView[]; userErrors: unknown[] } }>(
      withOrder(ISSUE),
      { input: { ...input, depotId: warehouse.id } },
      keeper,
    );

    refusedForOrder(refused.data!.issueStock.userErrors);
    expect(refused.data!.issueStock.movements).toEqual([]);
    expect(untouched).toEqual(before);
    expect(done.data!.issueStock.userErrors).toEqual([]);
    expect(done.data!.issueStock.movements).toMatchObject([
      { kind: "ISSUE", quantity: "-500", releaseOrderNo: ORDER, lot: { depot: { code: agent.code } } },
    ]);
    expect(fromWarehouse.data!.issueStock.userErrors).toEqual([]);
    expect(fromWarehouse.data!.issueStock.movements).toMatchObject([
      { kind: "ISSUE", quantity: "-500", releaseOrderNo: null, lot: { depot: { code: warehouse.code } } },
    ]);
  });

  it("a write-off needs one, and a write-off waiting for a second person carries it to the confirmed line", async () => {
    const { lotId } = await stocked(agent, "1000");
    const small = { lotId, quantity: "20", cause: "DAMAGED", reason: "仓库漏雨受潮" };
    const before = await snapshot(agent);

    const refused = [];
    for (const quantity of ["20", "500"]) {
      refused.push(
        await svc.gql<{ writeOffStock: ChangeView & { request: unknown } }>(
          WRITE_OFF,
          { input: { ...small, quantity } },
          keeper,
        ),
      );
    }
    const untouched = await snapshot(agent);
    const direct = await svc.gql<{ writeOffStock: { movements: LineView[]; userErrors: unknown[] } }>(
      withOrder(WRITE_OFF),
      { input: { ...small, releaseOrderNo: ORDER } },
      keeper,
    );
    const large = await svc.gql<{ writeOffStock: { request: { id: string; status: string } | null } }>(
      WRITE_OFF,
      { input: { ...small, quantity: "500", releaseOrderNo: "清应急动〔2026〕22号" } },
      keeper,
    );
    const request = large.data!.writeOffStock.request!;
    const confirmed = await svc.gql<{ confirmWriteOff: { movements: LineView[]; userErrors: unknown[] } }>(
      withOrder(CONFIRM_WRITE_OFF),
      { input: { requestId: request.id, confirm: true } },
      county.officer,
    );

    for (const r of refused) {
      refusedForOrder(r.data!.writeOffStock.userErrors);
      expect(r.data!.writeOffStock.request).toBeNull();
    }
    expect(untouched).toEqual(before);
    expect(direct.data!.writeOffStock.movements).toMatchObject([
      { kind: "WRITE_OFF", quantity: "-20", releaseOrderNo: ORDER },
    ]);
    expect(request.status).toBe("PENDING");
    expect(confirmed.data!.confirmWriteOff.userErrors).toEqual([]);
    expect(confirmed.data!.confirmWriteOff.movements).toMatchObject([
      { kind: "WRITE_OFF", quantity: "-500", releaseOrderNo: "清应急动〔2026〕22号" },
    ]);
  });

  it("a rotation out of agent storage needs one and records it", async () => {
    const { lotId } = await stocked(agent, "50");
    const input = { lotId, quantity: "10", disposal: "DONATE", reason: "轮换捐赠" };
    const before = await snapshot(agent);

    const refused = await svc.gql<{
      rotateOut: { rotation: unknown; movements: LineView[]; userErrors: unknown };
    }>(ROTATE, { input }, keeper);
    const untouched = await snapshot(agent);
    const done = await svc.gql<{ rotateOut: { movements: LineView[]; userErrors: unknown[] } }>(
      ROTATE,
      { input: { ...input, releaseOrderNo: ORDER } },
      keeper,
    );

    refusedForOrder(refused.data!.rotateOut.userErrors);
    expect(refused.data!.rotateOut.rotation).toBeNull();
    expect(untouched).toEqual(before);
    expect(done.data!.rotateOut.userErrors).toEqual([]);
    expect(done.data!.rotateOut.movements).toMatchObject([
      { kind: "ROTATION_OUT", quantity: "-10", releaseOrderNo: ORDER },
    ]);
  });

  it("a transfer out of agent storage needs one and writes it on both lines", async () => {
    const { item: quilts } = await stocked(agent, "300");
    const input = {
      fromDepotId: agent.id,
      toDepotId: warehouse.id,
      itemId: quilts.id,
      quantity: "100",
      reason: "调入县库备用",
    };
    const before = [await snapshot(agent), await snapshot(warehouse)];

    const refused = await svc.gql<{ transferStock: { movements: LineView[]; userErrors: unknown } }>(
      TRANSFER,
      { input },
      keeper,
    );
    const untouched = [await snapshot(agent), await snapshot(warehouse)];
    const done = await svc.gql<{ transferStock: { movements: LineView[]; userErrors: unknown[] } }>(
      TRANSFER,
      { input: { ...input, releaseOrderNo: ORDER } },
      keeper,
    );

    refusedForOrder(refused.data!.transferStock.userErrors);
    expect(untouched).toEqual(before);
    expect(done.data!.transferStock.userErrors).toEqual([]);
    expect(
      done.data!.transferStock.movements.map((m) => [m.kind, m.quantity, m.lot.depot.code, m.releaseOrderNo]),
    ).toEqual([
      ["TRANSFER_OUT", "-100", agent.code, ORDER],
      ["TRANSFER_IN", "100", warehouse.code, ORDER],
    ]);
  });

  it("a requisition dispatched out of agent storage writes the approval's release order on its lines", async () => {
    const [township] = county.townships;
    const { item: bags } = await stocked(agent, "100");

    await aDispatchedRequisition(
      {
        from: township!,
        to: countyRegion(county),
        destination: township!.depot,
        lines: [{ item: bags, quantity: "60" }],
      },
      agent,
      { approver: county.officer, input: { releaseOrderNo: ORDER } },
    );
    const lines = await svc.gql<{ movements: { nodes: LineView[] } }>(
      `query($d: ID!, $i: ID!) { movements(depotId: $d, itemId: $i, kind: TRANSFER_OUT, first: 20) {
        nodes { id kind quantity releaseOrderNo lot { id depot { code } } } } }`,
      { d: agent.id, i: bags.id },
      county.auditor,
    );

    expect(lines.data!.movements.nodes).toMatchObject([
      { kind: "TRANSFER_OUT", quantity: "-60", releaseOrderNo: ORDER, lot: { depot: { code: agent.code } } },
    ]);
  });

  it("the ledger export shows the release order of each line", async () => {
    const store = await aDepot(countyRegion(county), { kind: "AGENT_STORAGE" });
    await aKeeper(warehouse, store.keeper);
    const { item, lotId } = await stocked(store, "100");
    const as = store.keeper;
    const ordered = { releaseOrderNo: ORDER, reason: "测试动用" };
    await mutation(
      svc,
      as,
      "issueStock",
      "IssueStockInput",
      {
        ...{
          depotId: store.id,
          itemId: item.id,
          quantity: "10",
          purpose: "FLOOD_FIGHTING",
          recipient: "抢险队",
        },
        ...ordered,
      },
      "movements { id }",
    );
    await mutation(
      svc,
      as,
      "writeOffStock",
      "WriteOffStockInput",
      {
        ...{ lotId, quantity: "5", cause: "DAMAGED" },
        ...ordered,
      },
      "movements { id }",
    );
    await mutation(
      svc,
      as,
      "rotateOut",
      "RotateOutInput",
      {
        ...{ lotId, quantity: "5", disposal: "DONATE" },
        ...ordered,
      },
      "movements { id }",
    );
    await mutation(
      svc,
      as,
      "transferStock",
      "TransferStockInput",
      {
        ...{ fromDepotId: store.id, toDepotId: warehouse.id, itemId: item.id, quantity: "10" },
        ...ordered,
      },
      "movements { id }",
    );

    const res = await fetch(
      `${svc.url.replace(/\/graphql$/, "")}/export/ledger.csv?depotId=${encodeURIComponent(store.id)}`,
      { headers: { authorization: `Bearer ${await svc.token(county.auditor)}` } },
    );
    const [header, ...rows] = (await res.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n")
      .map((l) => l.split(","));
    const column = header!.indexOf("动用指令号");
    const kinds = header!.indexOf("类型");

    expect(column).toBe(header!.length - 1);
    expect(rows.map((r) => [r[kinds], r[column]])).toEqual([
      ["入库", ""],
      ["出库", ORDER],
      ["报损", ORDER],
      ["轮换出库", ORDER],
      ["调出", ORDER],
    ]);
  });
});
