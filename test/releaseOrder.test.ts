import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { step } from "./support/requisitions.js";
import { startTestService, type TestService } from "./support/service.js";
import {
  type ChangeView,
  demoIds,
  type DemoIds,
  ISSUE,
  WRITE_OFF,
  CONFIRM_WRITE_OFF,
} from "./support/world.js";

// 10:00 in Shanghai on 2026-11-24
const NOW = new Date("2026-11-24T02:00:00Z");
const KEEPER = "county.keeper"; // keeps CW-01 and the agent storage point AS-SHUNDA
const ORDER = "清应急动〔2026〕21号";

let svc: TestService;
let ids: DemoIds;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  ids = await demoIds(svc);
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

async function lotsAt(depot: string, item: string) {
  const res = await svc.gql<{ lots: { nodes: { id: string; onHand: string; allocated: string }[] } }>(
    "query($d: ID!, $i: ID!) { lots(depotId: $d, itemId: $i, first: 50) { nodes { id onHand allocated } } }",
    { d: ids.depot(depot), i: ids.item(item) },
    "auditor",
  );
  return res.data!.lots.nodes;
}

/** What a refusal must leave alone: the depot's ledger and lots, and the pending write-offs. */
async function snapshot(depot: string) {
  const res = await svc.gql<{
    movements: { nodes: { id: string }[] };
    lots: { nodes: { id: string; onHand: string; allocated: string }[] };
  }>(
    `query($d: ID!) { movements(depotId: $d, first: 100) { nodes { id } }
      lots(depotId: $d, first: 100) { nodes { id onHand allocated } } }`,
    { d: ids.depot(depot) },
    "auditor",
  );
  return res.data;
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
  it("an issue out of AS-SHUNDA needs one and records it; the county warehouse does not", async () => {
    const input = {
      depotId: ids.depot("AS-SHUNDA"),
      itemId: ids.item("WOVEN_BAG"),
      quantity: "500",
      purpose: "FLOOD_FIGHTING",
      recipient: "河口镇抢险队",
      reason: "李庄段堤防管涌",
    };
    const before = await snapshot("AS-SHUNDA");
    const refused = await svc.gql<{ issueStock: ChangeView }>(withOrder(ISSUE), { input }, KEEPER);
    refusedForOrder(refused.data!.issueStock.userErrors);
    expect(refused.data!.issueStock.movements).toEqual([]);
    expect(await snapshot("AS-SHUNDA")).toEqual(before);

    const done = await svc.gql<{ issueStock: { movements: LineView[]; userErrors: unknown[] } }>(
      withOrder(ISSUE),
      { input: { ...input, releaseOrderNo: ` ${ORDER} ` } },
      KEEPER,
    );
    expect(done.data!.issueStock.userErrors).toEqual([]);
    expect(done.data!.issueStock.movements).toMatchObject([
      { kind: "ISSUE", quantity: "-500", releaseOrderNo: ORDER },
    ]);

    const warehouse = await svc.gql<{ issueStock: { movements: LineView[]; userErrors: unknown[] } }>(
      withOrder(ISSUE),
      { input: { ...input, depotId: ids.depot("CW-01") } },
      KEEPER,
    );
    expect(warehouse.data!.issueStock.userErrors).toEqual([]);
    expect(warehouse.data!.issueStock.movements[0]!.releaseOrderNo).toBeNull();
  });

  it("a write-off needs one, and a write-off waiting for a second person carries it to the confirmed line", async () => {
    const [lot] = await lotsAt("AS-SHUNDA", "GEOTEXTILE");
    const small = { lotId: lot!.id, quantity: "20", cause: "DAMAGED", reason: "仓库漏雨受潮" };
    const before = await snapshot("AS-SHUNDA");
    for (const quantity of ["20", "500"]) {
      const refused = await svc.gql<{ writeOffStock: ChangeView & { request: unknown } }>(
        WRITE_OFF,
        { input: { ...small, quantity } },
        KEEPER,
      );
      refusedForOrder(refused.data!.writeOffStock.userErrors);
      expect(refused.data!.writeOffStock.request).toBeNull();
    }
    expect(await snapshot("AS-SHUNDA")).toEqual(before);

    const direct = await svc.gql<{ writeOffStock: { movements: LineView[]; userErrors: unknown[] } }>(
      withOrder(WRITE_OFF),
      { input: { ...small, releaseOrderNo: ORDER } },
      KEEPER,
    );
    expect(direct.data!.writeOffStock.movements).toMatchObject([
      { kind: "WRITE_OFF", releaseOrderNo: ORDER },
    ]);

    const large = await svc.gql<{ writeOffStock: { request: { id: string; status: string } | null } }>(
      WRITE_OFF,
      { input: { ...small, quantity: "500", releaseOrderNo: "清应急动〔2026〕22号" } },
      KEEPER,
    );
    const request = large.data!.writeOffStock.request!;
    expect(request.status).toBe("PENDING");
    const confirmed = await svc.gql<{ confirmWriteOff: { movements: LineView[]; userErrors: unknown[] } }>(
      withOrder(CONFIRM_WRITE_OFF),
      { input: { requestId: request.id, confirm: true } },
      "county.officer",
    );
    expect(confirmed.data!.confirmWriteOff.userErrors).toEqual([]);
    expect(confirmed.data!.confirmWriteOff.movements).toMatchObject([
      { kind: "WRITE_OFF", quantity: "-500", releaseOrderNo: "清应急动〔2026〕22号" },
    ]);
  });

  it("a rotation out of agent storage needs one and records it", async () => {
    const [lot] = await lotsAt("AS-SHUNDA", "TENT");
    const input = { lotId: lot!.id, quantity: "10", disposal: "DONATE", reason: "轮换捐赠" };
    const ROTATE = `mutation($input: RotateOutInput!) { rotateOut(input: $input) {
      rotation { id } ${LINES} userErrors { field message code } } }`;
    const before = await snapshot("AS-SHUNDA");
    const refused = await svc.gql<{
      rotateOut: { rotation: unknown; movements: LineView[]; userErrors: unknown };
    }>(ROTATE, { input }, KEEPER);
    refusedForOrder(refused.data!.rotateOut.userErrors);
    expect(refused.data!.rotateOut.rotation).toBeNull();
    expect(await snapshot("AS-SHUNDA")).toEqual(before);
    const done = await svc.gql<{ rotateOut: { movements: LineView[]; userErrors: unknown[] } }>(
      ROTATE,
      { input: { ...input, releaseOrderNo: ORDER } },
      KEEPER,
    );
    expect(done.data!.rotateOut.userErrors).toEqual([]);
    expect(done.data!.rotateOut.movements).toMatchObject([{ kind: "ROTATION_OUT", releaseOrderNo: ORDER }]);
  });

  it("a transfer out of agent storage needs one and writes it on both lines", async () => {
    const TRANSFER = `mutation($input: TransferStockInput!) { transferStock(input: $input) {
      ${LINES} userErrors { field message code } } }`;
    const input = {
      fromDepotId: ids.depot("AS-SHUNDA"),
      toDepotId: ids.depot("CW-01"),
      itemId: ids.item("QUILT"),
      quantity: "100",
      reason: "调入县库备用",
    };
    const before = [await snapshot("AS-SHUNDA"), await snapshot("CW-01")];
    const refused = await svc.gql<{ transferStock: { movements: LineView[]; userErrors: unknown } }>(
      TRANSFER,
      { input },
      KEEPER,
    );
    refusedForOrder(refused.data!.transferStock.userErrors);
    expect([await snapshot("AS-SHUNDA"), await snapshot("CW-01")]).toEqual(before);
    const done = await svc.gql<{ transferStock: { movements: LineView[]; userErrors: unknown[] } }>(
      TRANSFER,
      { input: { ...input, releaseOrderNo: ORDER } },
      KEEPER,
    );
    expect(done.data!.transferStock.userErrors).toEqual([]);
    expect(
      done.data!.transferStock.movements.map((m) => [m.kind, m.lot.depot.code, m.releaseOrderNo]),
    ).toEqual([
      ["TRANSFER_OUT", "AS-SHUNDA", ORDER],
      ["TRANSFER_IN", "CW-01", ORDER],
    ]);
  });

  it("a requisition dispatched out of agent storage writes the approval's release order on its lines", async () => {
    const regions = await svc.gql<{ regions: { nodes: { id: string; nameEn: string }[] } }>(
      "{ regions(first: 100) { nodes { id nameEn } } }",
    );
    const regionId = (prefix: string) =>
      regions.data!.regions.nodes.find((r) => r.nameEn.startsWith(prefix))!.id;
    const created = await step(
      svc,
      "createRequisition",
      "CreateRequisitionInput",
      {
        requestingRegionId: regionId("Hekou"),
        supplyingRegionId: regionId("Qinghe"),
        destinationDepotId: ids.depot("TD-HEKOU"),
        priority: "URGENT",
        reason: "李庄段堤防管涌",
        lines: [{ itemId: ids.item("WOVEN_BAG"), quantity: "60000" }],
      },
      "hekou.officer",
    );
    const id = created.requisition!.id;
    await step(svc, "submitRequisition", "RequisitionStepInput", { requisitionId: id }, "hekou.officer");
    const approved = await step(
      svc,
      "approveRequisition",
      "ApproveRequisitionInput",
      { requisitionId: id, releaseOrderNo: ORDER },
      "county.officer",
    );
    expect(approved.userErrors).toEqual([]);
    const dispatched = await step(
      svc,
      "dispatchRequisition",
      "DispatchRequisitionInput",
      { requisitionId: id, carrier: "县应急运输队", vehicle: "豫Q·X0001", driverContact: "13900002222" },
      KEEPER,
    );
    expect(dispatched.userErrors).toEqual([]);
    const lines = await svc.gql<{ movements: { nodes: LineView[] } }>(
      `query($d: ID!) { movements(depotId: $d, kind: TRANSFER_OUT, first: 20) { nodes { id kind quantity releaseOrderNo lot { id depot { code } } } } }`,
      { d: ids.depot("AS-SHUNDA") },
      "auditor",
    );
    expect(lines.data!.movements.nodes.length).toBeGreaterThan(0);
    expect(lines.data!.movements.nodes.every((m) => m.releaseOrderNo === ORDER)).toBe(true);
  });

  it("the ledger export shows the release order of each line", async () => {
    const res = await fetch(
      `${svc.url.replace(/\/graphql$/, "")}/export/ledger.csv?depotId=${encodeURIComponent(ids.depot("AS-SHUNDA"))}`,
      { headers: { authorization: `Bearer ${await svc.token("auditor")}` } },
    );
    const text = await res.text();
    const [header, ...rows] = text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n")
      .map((l) => l.split(","));
    const column = header!.indexOf("动用指令号");
    expect(column).toBe(header!.length - 1);
    const kinds = header!.indexOf("类型");
    const out = rows.filter((r) => ["出库", "报损", "轮换出库", "调出"].includes(r[kinds]!));
    expect(out.length).toBeGreaterThan(4);
    expect(out.every((r) => r[column]!.startsWith("清应急动"))).toBe(true);
    expect(rows.filter((r) => r[kinds] === "入库").every((r) => r[column] === "")).toBe(true);
  });
});
