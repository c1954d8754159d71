import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "./support/service.js";
import {
  CONFIRM_WRITE_OFF,
  type ChangeView,
  demoIds,
  type DemoIds,
  ISSUE,
  lotNow,
  receiveLot,
  SET_CONDITION,
  type UserErrorView,
  WRITE_OFF,
} from "./support/world.js";

const NOW = new Date("2026-11-24T02:00:00Z");
const KEEPER = "chengguan.keeper";
const OFFICER = "chengguan.officer";

let svc: TestService;
let ids: DemoIds;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  ids = await demoIds(svc);
});
afterAll(() => svc.stop());

type WriteOffView = ChangeView & { request: { id: string; status: string; quantity?: string } | null };

const bags = (quantity: string) =>
  receiveLot(svc, KEEPER, { depotId: ids.depot("TD-CHENGGUAN"), itemId: ids.item("WOVEN_BAG"), quantity });

async function writeOff(input: Record<string, unknown>, as = KEEPER): Promise<WriteOffView> {
  const res = await svc.gql<{ writeOffStock: WriteOffView }>(
    WRITE_OFF,
    { input: { cause: "DAMAGED", reason: "rotted in the flood", ...input } },
    as,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.writeOffStock;
}

async function confirm(requestId: string, as: string, yes = true): Promise<WriteOffView> {
  const res = await svc.gql<{ confirmWriteOff: WriteOffView }>(
    CONFIRM_WRITE_OFF,
    { input: { requestId, confirm: yes } },
    as,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.confirmWriteOff;
}

async function setCondition(lotId: string, condition: string, as = KEEPER) {
  const res = await svc.gql<{
    setLotCondition: { lot: { condition: string } | null; userErrors: UserErrorView[] };
  }>(SET_CONDITION, { input: { lotId, condition, reason: "inspection" } }, as);
  return res.data!.setLotCondition;
}

describe("writing stock off", () => {
  it("a small write-off leaves the books at once as a WRITE_OFF line with its cause", async () => {
    const lot = await bags("50");
    const res = await writeOff({ lotId: lot.id, quantity: "20", cause: "LOST" });
    expect(res).toMatchObject({
      request: null,
      userErrors: [],
      movements: [{ kind: "WRITE_OFF", quantity: "-20" }],
    });
    expect((await lotNow(svc, lot.id)).onHand).toBe("30");
  });

  it("above the threshold it waits for a second person, never the one who asked", async () => {
    const lot = await bags("500");
    const asked = await writeOff({ lotId: lot.id, quantity: "300" });
    expect(asked).toMatchObject({
      movements: [],
      userErrors: [],
      request: { status: "PENDING", quantity: "300" },
    });
    expect((await lotNow(svc, lot.id)).onHand).toBe("500");

    const self = await confirm(asked.request!.id, KEEPER);
    expect(self.userErrors).toMatchObject([{ code: "SELF_CONFIRMATION" }]);
    expect((await lotNow(svc, lot.id)).onHand).toBe("500");

    const outsider = await confirm(asked.request!.id, "hekou.officer");
    expect(outsider.userErrors).toMatchObject([{ code: "NOT_FOUND" }]);

    const second = await confirm(asked.request!.id, OFFICER);
    expect(second).toMatchObject({
      userErrors: [],
      request: { status: "CONFIRMED" },
      movements: [{ kind: "WRITE_OFF", quantity: "-300" }],
    });
    expect((await lotNow(svc, lot.id)).onHand).toBe("200");

    const twice = await confirm(asked.request!.id, OFFICER);
    expect(twice.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    expect((await lotNow(svc, lot.id)).onHand).toBe("200");
  });

  it("a rejected request writes nothing", async () => {
    const lot = await bags("400");
    const asked = await writeOff({ lotId: lot.id, quantity: "150" });
    const rejected = await confirm(asked.request!.id, OFFICER, false);
    expect(rejected).toMatchObject({ userErrors: [], movements: [], request: { status: "REJECTED" } });
    expect((await lotNow(svc, lot.id)).onHand).toBe("400");
  });

  it("cannot write off more than the lot holds", async () => {
    const lot = await bags("10");
    const res = await writeOff({ lotId: lot.id, quantity: "11" });
    expect(res.userErrors).toMatchObject([{ code: "INSUFFICIENT_STOCK", field: ["input", "quantity"] }]);
  });
});

describe("lot condition", () => {
  it("quarantine stops issues, release allows them again", async () => {
    const lot = await bags("10");
    const issue = () =>
      svc.gql<{ issueStock: ChangeView }>(
        ISSUE,
        {
          input: {
            depotId: ids.depot("TD-CHENGGUAN"),
            itemId: ids.item("WOVEN_BAG"),
            lotId: lot.id,
            quantity: "1",
            purpose: "DRILL",
            recipient: "民兵连",
            reason: "drill",
          },
        },
        KEEPER,
      );
    expect((await setCondition(lot.id, "QUARANTINED")).lot).toMatchObject({ condition: "QUARANTINED" });
    expect((await issue()).data!.issueStock.userErrors).toMatchObject([{ code: "LOT_NOT_ISSUABLE" }]);
    expect((await setCondition(lot.id, "SERVICEABLE")).lot).toMatchObject({ condition: "SERVICEABLE" });
    expect((await issue()).data!.issueStock.userErrors).toEqual([]);
  });

  it("damaged stock never becomes serviceable again, and expiry is never set by hand", async () => {
    const lot = await bags("10");
    expect((await setCondition(lot.id, "DAMAGED")).userErrors).toEqual([]);
    expect((await setCondition(lot.id, "SERVICEABLE")).userErrors).toMatchObject([
      { code: "INVALID_TRANSITION" },
    ]);
    const other = await bags("10");
    expect((await setCondition(other.id, "EXPIRED")).userErrors).toMatchObject([
      { code: "INVALID_TRANSITION" },
    ]);
    expect((await lotNow(svc, lot.id)).condition).toBe("DAMAGED");
  });

  it("an auditor is FORBIDDEN to change a condition", async () => {
    const lot = await bags("10");
    const res = await svc.gql(
      SET_CONDITION,
      { input: { lotId: lot.id, condition: "QUARANTINED", reason: "x" } },
      "auditor",
    );
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect((await lotNow(svc, lot.id)).condition).toBe("SERVICEABLE");
  });
});

describe("test runs of equipment", () => {
  const RECORD = `mutation($input: RecordTestRunInput!) { recordTestRun(input: $input) {
    testRun { kind outcome performedOn } lot { condition lastTestRunOn } userErrors { field code } } }`;

  async function generator(serial: string) {
    const res = await svc.gql<{ receiveStock: ChangeView }>(
      `mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { lots { id } userErrors { code } } }`,
      {
        input: {
          depotId: ids.depot("TD-CHENGGUAN"),
          itemId: ids.item("GENERATOR_30KW"),
          quantity: "1",
          serialNumbers: [serial],
          lotCode: serial,
          receivedOn: "2026-06-01",
          source: "PURCHASE",
          reason: "new generator",
        },
      },
      KEEPER,
    );
    return res.data!.receiveStock.lots[0]!.id;
  }

  it("a passed run updates the unit's last test date; a failed one quarantines it", async () => {
    const lotId = await generator("GEN30-TR-1");
    const record = (outcome: string, performedOn: string) =>
      svc.gql<{ recordTestRun: Record<string, unknown> }>(
        RECORD,
        { input: { lotId, kind: "TEST_RUN", outcome, performedOn, runMinutes: 30 } },
        KEEPER,
      );
    expect((await record("PASSED", "2026-11-20")).data!.recordTestRun).toEqual({
      testRun: { kind: "TEST_RUN", outcome: "PASSED", performedOn: "2026-11-20" },
      lot: { condition: "SERVICEABLE", lastTestRunOn: "2026-11-20" },
      userErrors: [],
    });
    expect((await record("FAILED", "2026-11-23")).data!.recordTestRun).toMatchObject({
      lot: { condition: "QUARANTINED", lastTestRunOn: "2026-11-23" },
    });
    expect((await record("PASSED", "2026-11-25")).data!.recordTestRun).toMatchObject({
      userErrors: [{ field: ["input", "performedOn"], code: "INVALID_INPUT" }],
    });
  });

  it("bulk stock is not test-run", async () => {
    const lot = await bags("5");
    const res = await svc.gql<{ recordTestRun: { userErrors: UserErrorView[] } }>(
      RECORD,
      { input: { lotId: lot.id, kind: "TEST_RUN", outcome: "PASSED", performedOn: "2026-11-20" } },
      KEEPER,
    );
    expect(res.data!.recordTestRun.userErrors).toMatchObject([
      { field: ["input", "lotId"], code: "INVALID_INPUT" },
    ]);
  });
});
