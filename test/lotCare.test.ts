import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCounty, anItem, type Depot, type ProvisionedCounty } from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { aLotOf } from "./support/stockFactories.js";
import { books } from "./support/transit.js";
import {
  CONFIRM_WRITE_OFF,
  type ChangeView,
  ISSUE,
  lotNow,
  SET_CONDITION,
  type UserErrorView,
  WRITE_OFF,
} from "./support/world.js";

const NOW = new Date("2026-11-24T02:00:00Z");

let svc: TestService;
/** Two townships: the first keeps the stock (its keeper, its office as second person), the second is outside. */
let county: ProvisionedCounty;
let depot: Depot;
let KEEPER: string;
let OFFICER: string;
let OUTSIDER: string;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  county = await aCounty(svc, { townships: 2 });
  depot = county.townships[0]!.depot;
  KEEPER = depot.keeper;
  OFFICER = county.townships[0]!.officer;
  OUTSIDER = county.townships[1]!.officer;
});
afterAll(() => svc.stop());

type WriteOffView = ChangeView & { request: { id: string; status: string; quantity?: string } | null };

/** A lot of a bulk item (whole pieces, no shelf life) new to the catalogue, at the township's depot. */
const bags = async (quantity: string) => {
  const item = await anItem(county);
  const [lot] = await aLotOf(depot, item, quantity);
  return { ...lot!, item };
};
const lot = (id: string) => lotNow(svc, id, county.auditor);

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
    const given = await bags("50");

    const res = await writeOff({ lotId: given.id, quantity: "20", cause: "LOST" });

    expect(res).toMatchObject({
      request: null,
      userErrors: [],
      movements: [{ kind: "WRITE_OFF", quantity: "-20" }],
    });
    expect((await lot(given.id)).onHand).toBe("30");
  });

  it("above the threshold it waits for a second person, never the one who asked", async () => {
    const given = await bags("500");

    const asked = await writeOff({ lotId: given.id, quantity: "300" });
    expect(asked).toMatchObject({
      movements: [],
      userErrors: [],
      request: { status: "PENDING", quantity: "300" },
    });
    expect((await lot(given.id)).onHand).toBe("500");

    const before = await books(svc);
    const self = await confirm(asked.request!.id, KEEPER);
    expect(self.userErrors).toMatchObject([{ code: "SELF_CONFIRMATION" }]);
    // another township's office does not see the request at all
    const outsider = await confirm(asked.request!.id, OUTSIDER);
    expect(outsider.userErrors).toMatchObject([{ code: "NOT_FOUND" }]);
    expect(await books(svc)).toEqual(before);
    expect((await lot(given.id)).onHand).toBe("500");

    const second = await confirm(asked.request!.id, OFFICER);
    expect(second).toMatchObject({
      userErrors: [],
      request: { status: "CONFIRMED" },
      movements: [{ kind: "WRITE_OFF", quantity: "-300" }],
    });
    expect((await lot(given.id)).onHand).toBe("200");

    const after = await books(svc);
    const twice = await confirm(asked.request!.id, OFFICER);
    expect(twice.userErrors).toMatchObject([{ code: "INVALID_TRANSITION" }]);
    expect(await books(svc)).toEqual(after);
    expect((await lot(given.id)).onHand).toBe("200");
  });

  it("a rejected request writes nothing", async () => {
    const given = await bags("400");
    const asked = await writeOff({ lotId: given.id, quantity: "150" });
    const before = await books(svc);

    const rejected = await confirm(asked.request!.id, OFFICER, false);

    expect(rejected).toMatchObject({ userErrors: [], movements: [], request: { status: "REJECTED" } });
    expect(await books(svc)).toEqual(before);
    expect((await lot(given.id)).onHand).toBe("400");
  });

  it("cannot write off more than the lot holds", async () => {
    const given = await bags("10");
    const before = await books(svc);

    const res = await writeOff({ lotId: given.id, quantity: "11" });

    expect(res.userErrors).toMatchObject([{ code: "INSUFFICIENT_STOCK", field: ["input", "quantity"] }]);
    expect(res.request).toBeNull();
    expect(await books(svc)).toEqual(before);
    expect((await lot(given.id)).onHand).toBe("10");
  });
});

describe("lot condition", () => {
  it("quarantine stops issues, release allows them again", async () => {
    const given = await bags("10");
    const issue = () =>
      svc.gql<{ issueStock: ChangeView }>(
        ISSUE,
        {
          input: {
            depotId: depot.id,
            itemId: given.item.id,
            lotId: given.id,
            quantity: "1",
            purpose: "DRILL",
            recipient: "民兵连",
            reason: "drill",
          },
        },
        KEEPER,
      );

    expect((await setCondition(given.id, "QUARANTINED")).lot).toMatchObject({ condition: "QUARANTINED" });
    expect((await issue()).data!.issueStock.userErrors).toMatchObject([{ code: "LOT_NOT_ISSUABLE" }]);
    expect((await lot(given.id)).onHand).toBe("10");
    expect((await setCondition(given.id, "SERVICEABLE")).lot).toMatchObject({ condition: "SERVICEABLE" });
    expect((await issue()).data!.issueStock.userErrors).toEqual([]);
    expect((await lot(given.id)).onHand).toBe("9");
  });

  it("damaged stock never becomes serviceable again, and expiry is never set by hand", async () => {
    const given = await bags("10");
    const other = await bags("10");

    expect((await setCondition(given.id, "DAMAGED")).userErrors).toEqual([]);
    expect((await setCondition(given.id, "SERVICEABLE")).userErrors).toMatchObject([
      { code: "INVALID_TRANSITION" },
    ]);
    expect((await setCondition(other.id, "EXPIRED")).userErrors).toMatchObject([
      { code: "INVALID_TRANSITION" },
    ]);

    expect((await lot(given.id)).condition).toBe("DAMAGED");
    expect((await lot(other.id)).condition).toBe("SERVICEABLE");
  });

  it("an auditor is FORBIDDEN to change a condition", async () => {
    const given = await bags("10");

    const res = await svc.gql(
      SET_CONDITION,
      { input: { lotId: given.id, condition: "QUARANTINED", reason: "x" } },
      county.auditor,
    );

    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect((await lot(given.id)).condition).toBe("SERVICEABLE");
  });
});

describe("test runs of equipment", () => {
  const RECORD = `mutation($input: RecordTestRunInput!) { recordTestRun(input: $input) {
    testRun { kind outcome performedOn } lot { condition lastTestRunOn } userErrors { field code } } }`;
  const lastRun = async (lotId: string) => {
    const res = await svc.gql<{ node: { condition: string; lastTestRunOn: string | null } }>(
      "query($id: ID!) { node(id: $id) { ... on Lot { condition lastTestRunOn } } }",
      { id: lotId },
      county.auditor,
    );
    return res.data!.node;
  };

  it("a passed run updates the unit's last test date; a failed one quarantines it", async () => {
    const generators = await anItem(county, {
      trackingMode: "SERIAL",
      returnable: true,
      testRunIntervalDays: 30,
    });
    const [unit] = await aLotOf(depot, generators, "1", { receivedOn: "2026-06-01" });
    const record = (outcome: string, performedOn: string) =>
      svc.gql<{ recordTestRun: Record<string, unknown> }>(
        RECORD,
        { input: { lotId: unit!.id, kind: "TEST_RUN", outcome, performedOn, runMinutes: 30 } },
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
    // tomorrow's run is refused and leaves the unit as it was
    expect((await record("PASSED", "2026-11-25")).data!.recordTestRun).toMatchObject({
      userErrors: [{ field: ["input", "performedOn"], code: "INVALID_INPUT" }],
    });
    expect(await lastRun(unit!.id)).toEqual({ condition: "QUARANTINED", lastTestRunOn: "2026-11-23" });
  });

  it("bulk stock is not test-run", async () => {
    const given = await bags("5");

    const res = await svc.gql<{ recordTestRun: { userErrors: UserErrorView[] } }>(
      RECORD,
      { input: { lotId: given.id, kind: "TEST_RUN", outcome: "PASSED", performedOn: "2026-11-20" } },
      KEEPER,
    );

    expect(res.data!.recordTestRun.userErrors).toMatchObject([
      { field: ["input", "lotId"], code: "INVALID_INPUT" },
    ]);
    expect(await lastRun(given.id)).toEqual({ condition: "SERVICEABLE", lastTestRunOn: null });
  });
});
