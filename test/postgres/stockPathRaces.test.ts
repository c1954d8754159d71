import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "../support/service.js";
import {
  aCounty,
  aDepot,
  anItem,
  aVillage,
  type Depot,
  type ProvisionedCounty,
} from "../support/factories.js";
import { query, sql } from "../support/sql.js";
import { aLotOf, stockAt } from "../support/stockFactories.js";
import { lotNow, WRITE_OFF } from "../support/world.js";

// Real contention needs real connections: every request below is its own HTTP call and its own transaction.
const NOW = new Date("2026-11-24T02:00:00Z");

let svc: TestService;
/** A township depot and a village storage point of the township, both kept by the township's keeper. */
let county: ProvisionedCounty;
let town: Depot;
let village: Depot;
let KEEPER: string;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  county = await aCounty(svc, { townships: 1 });
  town = county.townships[0]!.depot;
  KEEPER = town.keeper;
  village = await aDepot(await aVillage(county.townships[0]!), { keeper: KEEPER });
});
afterAll(() => svc.stop());

const onHand = async (lotId: string) => (await lotNow(svc, lotId, county.auditor)).onHand;

const together = <T>(n: number, send: () => Promise<T>): Promise<T[]> =>
  Promise.all(Array.from({ length: n }, send));
const dbId = (globalId: string) => Number(Buffer.from(globalId, "base64url").toString("utf8").split(":")[2]);

describe("races on the stock paths", () => {
  it("two write-offs of 75 at once by one person: one is written, the other waits for a second person", async () => {
    const lot = (await aLotOf(town, await anItem(county), "1000"))[0]!;
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
    expect(await onHand(lot.id)).toBe("925");
  });

  it("two transfers of the last usable units at once: exactly one moves them, the books stay whole", async () => {
    const jackets = await anItem(county);
    const lot = (await aLotOf(village, jackets, "6", { expiresOn: "2030-01-01" }))[0]!;
    const results = await together(2, () =>
      svc.gql<{ transferStock: { movements: unknown[]; userErrors: { code: string }[] } }>(
        `mutation($input: TransferStockInput!) { transferStock(input: $input) {
          movements { kind } userErrors { code } } }`,
        {
          input: {
            fromDepotId: village.id,
            toDepotId: town.id,
            itemId: jackets.id,
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
    expect(await onHand(lot.id)).toBe("0");
    expect(await stockAt(village, jackets)).toMatchObject({ onHand: "0", allocated: "0" });
    expect(await stockAt(town, jackets)).toMatchObject({ onHand: "6", allocated: "0" });
    const [copies] = await query<{ n: number; total: string }>(
      svc.database,
      sql`select count(*)::int as n, coalesce(sum(on_hand), 0)::text as total from lots
           where lot_code = (select lot_code from lots where id = ${dbId(lot.id)}) and id <> ${dbId(lot.id)}`,
    );
    expect(copies).toEqual({ n: 1, total: "6.000" });
  });
});
