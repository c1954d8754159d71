import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "../support/service.js";
import { query, sql } from "../support/sql.js";
import { demoIds, type DemoIds, lotNow, receiveLot, WRITE_OFF } from "../support/world.js";

// Real contention needs real connections: every request below is its own HTTP call and its own transaction.
const NOW = new Date("2026-11-24T02:00:00Z");
const KEEPER = "chengguan.keeper";

let svc: TestService;
let ids: DemoIds;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  ids = await demoIds(svc);
});
afterAll(() => svc.stop());

const together = <T>(n: number, send: () => Promise<T>): Promise<T[]> =>
  Promise.all(Array.from({ length: n }, send));
const dbId = (globalId: string) => Number(Buffer.from(globalId, "base64url").toString("utf8").split(":")[2]);

describe("races on the stock paths", () => {
  it("two write-offs of 75 at once by one person: one is written, the other waits for a second person", async () => {
    const lot = await receiveLot(svc, KEEPER, {
      depotId: ids.depot("TD-CHENGGUAN"),
      itemId: ids.item("WOVEN_BAG"),
      quantity: "1000",
    });
    const results = await together(2, () =>
      svc.gql<{
        writeOffStock: { movements: unknown[]; request: { status: string } | null; userErrors: unknown[] };
      }>(
        WRITE_OFF,
        { input: { lotId: lot.id, quantity: "75", cause: "DAMAGED", reason: "水浸破损" } },
        KEEPER,
      ),
    );
    const payloads = results.map((r) => r.data!.writeOffStock);
    expect(payloads.every((p) => p.userErrors.length === 0)).toBe(true);
    expect(payloads.filter((p) => p.request === null && p.movements.length === 1)).toHaveLength(1);
    expect(payloads.filter((p) => p.request?.status === "PENDING" && p.movements.length === 0)).toHaveLength(
      1,
    );
    expect((await lotNow(svc, lot.id)).onHand).toBe("925");
  });

  it("two transfers of the last usable units at once: exactly one moves them, the books stay whole", async () => {
    const lot = await receiveLot(svc, KEEPER, {
      depotId: ids.depot("VP-CHENGGUAN-201"),
      itemId: ids.item("LIFE_JACKET"),
      quantity: "6",
      expiresOn: "2030-01-01",
    });
    const results = await together(2, () =>
      svc.gql<{ transferStock: { movements: unknown[]; userErrors: { code: string }[] } }>(
        `mutation($input: TransferStockInput!) { transferStock(input: $input) {
          movements { kind } userErrors { code } } }`,
        {
          input: {
            fromDepotId: ids.depot("VP-CHENGGUAN-201"),
            toDepotId: ids.depot("TD-CHENGGUAN"),
            itemId: ids.item("LIFE_JACKET"),
            lotId: lot.id,
            quantity: "6",
            reason: "回收入镇库",
          },
        },
        KEEPER,
      ),
    );
    const codes = results
      .map((r) => r.data!.transferStock.userErrors.map((e) => e.code).join() || "OK")
      .sort();
    expect(codes).toEqual(["INSUFFICIENT_STOCK", "OK"]);
    expect((await lotNow(svc, lot.id)).onHand).toBe("0");
    const [copies] = await query<{ n: number; total: string }>(
      svc.database,
      sql`select count(*)::int as n, coalesce(sum(on_hand), 0)::text as total from lots
           where lot_code = (select lot_code from lots where id = ${dbId(lot.id)}) and id <> ${dbId(lot.id)}`,
    );
    expect(copies).toEqual({ n: 1, total: "6.000" });
  });
});
