import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCounty, anItem, type Depot, type Item, type ProvisionedCounty } from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { books } from "./support/transit.js";
import { type ChangeView, ISSUE, lotNow, RECEIVE } from "./support/world.js";

// 10:00 in Shanghai on 2026-11-24; still the 23rd in some server time zones
const NOW = new Date("2026-11-24T02:00:00Z");

let svc: TestService;
let county: ProvisionedCounty;
let depot: Depot;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  county = await aCounty(svc, { townships: 1 });
  depot = county.townships[0]!.depot;
});
afterAll(() => svc.stop());

/** Disinfectant in tonnes with a shelf life, new to the catalogue: every lot of it is the test's own. */
const disinfectant = () => anItem(county, { unitCode: "tonne", shelfLifeDays: 730 });

const receive = async (item: Item, extra: Record<string, unknown>) => {
  const res = await svc.gql<{ receiveStock: ChangeView }>(
    RECEIVE,
    {
      input: {
        depotId: depot.id,
        itemId: item.id,
        quantity: "20",
        lotCode: "DS-DONATED",
        receivedOn: "2026-11-24",
        source: "DONATION",
        reason: "社会捐赠",
        ...extra,
      },
    },
    depot.keeper,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.receiveStock;
};

describe("receiving a lot that has already expired", () => {
  it("is refused without acceptExpired, and nothing is written", async () => {
    const item = await disinfectant();
    const before = await books(svc);

    // received on paper a while ago; its label ran out yesterday
    const res = await receive(item, { receivedOn: "2026-06-01", expiresOn: "2026-11-23" });

    expect(res).toMatchObject({
      lots: [],
      movements: [],
      userErrors: [
        {
          code: "EXPIRED_ON_RECEIPT",
          field: ["input", "expiresOn"],
          message: expect.stringContaining("acceptExpired"),
        },
      ],
    });
    expect(await books(svc)).toEqual(before);
  });

  it("arrives EXPIRED with acceptExpired: on the books, never usable", async () => {
    const item = await disinfectant();

    const res = await receive(item, {
      receivedOn: "2026-06-01",
      expiresOn: "2026-11-23",
      acceptExpired: true,
    });

    expect(res.userErrors).toEqual([]);
    expect(res.lots).toMatchObject([{ condition: "EXPIRED", onHand: "20", expiresOn: "2026-11-23" }]);
    expect(res.movements).toMatchObject([{ kind: "RECEIPT", quantity: "20" }]);
    const issued = await svc.gql<{ issueStock: ChangeView }>(
      ISSUE,
      {
        input: {
          depotId: depot.id,
          itemId: item.id,
          lotId: res.lots[0]!.id,
          quantity: "1",
          purpose: "DISTRIBUTION",
          recipient: "村民",
          reason: "消杀",
        },
      },
      depot.keeper,
    );
    expect(issued.data!.issueStock.userErrors).toMatchObject([{ code: "LOT_NOT_ISSUABLE" }]);
    expect(await lotNow(svc, res.lots[0]!.id, county.auditor)).toMatchObject({
      condition: "EXPIRED",
      onHand: "20",
    });
  });

  it("a lot expiring today is still fresh today and arrives serviceable", async () => {
    const item = await disinfectant();

    const res = await receive(item, { expiresOn: "2026-11-24" });

    expect(res.userErrors).toEqual([]);
    expect(res.lots).toMatchObject([{ condition: "SERVICEABLE", onHand: "20", expiresOn: "2026-11-24" }]);
  });

  it("a receipt dated back to a day before its label ran out arrived fresh (an opening balance)", async () => {
    const item = await disinfectant();

    const res = await receive(item, {
      receivedOn: "2026-06-01",
      expiresOn: "2026-11-23",
      occurredAt: "2026-06-01T09:00:00+08:00",
    });

    expect(res.userErrors).toEqual([]);
    expect(res.lots).toMatchObject([{ condition: "SERVICEABLE", onHand: "20", expiresOn: "2026-11-23" }]);
  });
});
