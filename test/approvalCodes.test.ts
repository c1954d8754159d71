import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutate, userGlobalId } from "./support/admin.js";
import { view } from "./support/requisitions.js";
import { startTestService, type TestService } from "./support/service.js";
import { books, leaveAboveFloor, requisitionSteps, transitWorld } from "./support/transit.js";
import { CONFIRM_WRITE_OFF, type DemoIds, lotNow, receiveLot, WRITE_OFF } from "./support/world.js";

// Custody rule 4 (four eyes) refuses four different things; each refusal has its own code, so a client can say
// which second person is missing.
const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
let steps: ReturnType<typeof requisitionSteps>;
let ids: DemoIds;

beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  const world = await transitWorld(svc);
  ids = world.ids;
  steps = requisitionSteps(svc, ids, world.region);
});
afterAll(() => svc.stop());

const submitted = async (item: string, quantity: string, extra: Record<string, unknown> = {}) => {
  const id = await steps.create([{ item, quantity }], extra);
  expect((await steps.submit(id)).userErrors).toEqual([]);
  return id;
};

describe("four eyes on requisitions and write-offs (custody rule 4)", () => {
  it("SELF_APPROVAL: whoever created a request cannot approve it, and it stays submitted", async () => {
    const id = await submitted("LIFE_JACKET", "2");
    const before = await books(svc);

    const byCreator = await steps.approve(id, "hekou.officer");

    expect(byCreator.topLevel).toBeUndefined();
    expect(byCreator.userErrors).toMatchObject([
      { code: "SELF_APPROVAL", field: ["input", "requisitionId"] },
    ]);
    expect((await view(svc, id))!.status).toBe("SUBMITTED");
    expect(await books(svc)).toEqual(before);
  });

  it("REPEAT_APPROVAL: the supplier's officer cannot give the county's approval as well", async () => {
    // the lender keeps only 100 bags above its floor, so an emergency of 150 waits for the county (rule 3)
    await leaveAboveFloor(svc, "CHENGGUAN", "WOVEN_BAG", "TD-CHENGGUAN", 100);
    const id = await submitted("WOVEN_BAG", "150", { priority: "EMERGENCY" });
    const bySupplier = await steps.approve(id, "chengguan.officer");
    expect(bySupplier.requisition).toMatchObject({ status: "SUBMITTED", awaitingCountyApproval: true });

    const again = await steps.approve(id, "chengguan.officer");

    expect(again.userErrors).toMatchObject([{ code: "REPEAT_APPROVAL", field: ["input", "requisitionId"] }]);
    const after = (await view(svc, id))!;
    expect(after).toMatchObject({ status: "SUBMITTED", awaitingCountyApproval: true });
    expect(after.lines[0]!.allocations).toEqual([]);
  });

  it("SELF_RECEIPT: whoever dispatched cannot confirm the receipt, even as a keeper of both depots", async () => {
    const assigned = await mutate(
      svc,
      "assignKeeper",
      "AssignKeeperInput",
      "depot { code }",
      { depotId: ids.depot("TD-CHENGGUAN"), userId: await userGlobalId(svc, "hekou.keeper") },
      "county.admin",
    );
    expect(assigned.userErrors).toEqual([]);
    const id = await submitted("LIFE_JACKET", "2");
    const approved = await steps.approve(id);
    expect(approved.requisition!.lines[0]!.allocations.map((a) => a.lot.depot.code)).toEqual([
      "TD-CHENGGUAN",
    ]);
    expect((await steps.dispatch(id, "hekou.keeper")).requisition!.status).toBe("IN_TRANSIT");
    const lineId = approved.requisition!.lines[0]!.id;

    const bySender = await steps.receive(id, [{ lineId, acceptedQuantity: "2" }], "hekou.keeper");

    expect(bySender.userErrors).toMatchObject([{ code: "SELF_RECEIPT", field: ["input", "requisitionId"] }]);
    expect((await view(svc, id))!.status).toBe("IN_TRANSIT");
  });

  it("SELF_CONFIRMATION: whoever asked for a large write-off cannot confirm it, and the lot keeps its stock", async () => {
    const lot = await receiveLot(svc, "chengguan.keeper", {
      depotId: ids.depot("TD-CHENGGUAN"),
      itemId: ids.item("WOVEN_BAG"),
      quantity: "500",
    });
    const asked = await svc.gql<{ writeOffStock: { request: { id: string; status: string } | null } }>(
      WRITE_OFF,
      { input: { lotId: lot.id, quantity: "300", cause: "DAMAGED", reason: "洪水浸泡霉烂" } },
      "chengguan.keeper",
    );
    expect(asked.data!.writeOffStock.request).toMatchObject({ status: "PENDING" });

    const bySelf = await svc.gql<{ confirmWriteOff: { userErrors: { code: string; field: string[] }[] } }>(
      CONFIRM_WRITE_OFF,
      { input: { requestId: asked.data!.writeOffStock.request!.id, confirm: true } },
      "chengguan.keeper",
    );

    expect(bySelf.errors).toBeUndefined();
    expect(bySelf.data!.confirmWriteOff.userErrors).toMatchObject([{ code: "SELF_CONFIRMATION" }]);
    expect((await lotNow(svc, lot.id)).onHand).toBe("500");
  });
});
