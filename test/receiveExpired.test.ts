import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import { type ChangeView, demoIds, type DemoIds, ISSUE, RECEIVE } from "./support/world.js";

// 10:00 in Shanghai on 2026-11-24; still the 23rd in some server time zones
const NOW = new Date("2026-11-24T02:00:00Z");
const KEEPER = "chengguan.keeper";

let svc: TestService;
let ids: DemoIds;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  ids = await demoIds(svc);
});
afterAll(() => svc.stop());

const receive = async (extra: Record<string, unknown>) => {
  const res = await svc.gql<{ receiveStock: ChangeView }>(
    RECEIVE,
    {
      input: {
        depotId: ids.depot("VP-CHENGGUAN-201"),
        itemId: ids.item("DISINFECTANT_84"),
        quantity: "20",
        lotCode: "DS-DONATED",
        receivedOn: "2026-11-24",
        source: "DONATION",
        reason: "社会捐赠",
        ...extra,
      },
    },
    KEEPER,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.receiveStock;
};

const books = () =>
  query(
    svc.database,
    sql`select (select count(*)::int from movements) as lines, (select count(*)::int from lots) as lots`,
  );

describe("receiving a lot that has already expired", () => {
  it("is refused without acceptExpired, and nothing is written", async () => {
    const before = await books();
    // received on paper a while ago; its label ran out yesterday
    const res = await receive({ receivedOn: "2026-06-01", expiresOn: "2026-11-23" });
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
    expect(await books()).toEqual(before);
  });

  it("arrives EXPIRED with acceptExpired: on the books, never usable", async () => {
    const res = await receive({ receivedOn: "2026-06-01", expiresOn: "2026-11-23", acceptExpired: true });
    expect(res.userErrors).toEqual([]);
    expect(res.lots).toMatchObject([{ condition: "EXPIRED", onHand: "20", expiresOn: "2026-11-23" }]);
    expect(res.movements).toMatchObject([{ kind: "RECEIPT", quantity: "20" }]);
    const issued = await svc.gql<{ issueStock: ChangeView }>(
      ISSUE,
      {
        input: {
          depotId: ids.depot("VP-CHENGGUAN-201"),
          itemId: ids.item("DISINFECTANT_84"),
          lotId: res.lots[0]!.id,
          quantity: "1",
          purpose: "DISTRIBUTION",
          recipient: "村民",
          reason: "消杀",
        },
      },
      KEEPER,
    );
    expect(issued.data!.issueStock.userErrors).toMatchObject([{ code: "LOT_NOT_ISSUABLE" }]);
  });

  it("a lot expiring today is still fresh today and arrives serviceable", async () => {
    const res = await receive({ expiresOn: "2026-11-24" });
    expect(res.userErrors).toEqual([]);
    expect(res.lots).toMatchObject([{ condition: "SERVICEABLE" }]);
  });

  it("a receipt dated back to a day before its label ran out arrived fresh (an opening balance)", async () => {
    const res = await receive({
      receivedOn: "2026-06-01",
      expiresOn: "2026-11-23",
      occurredAt: "2026-06-01T09:00:00+08:00",
    });
    expect(res.userErrors).toEqual([]);
    expect(res.lots).toMatchObject([{ condition: "SERVICEABLE", expiresOn: "2026-11-23" }]);
  });
});
