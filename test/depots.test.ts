import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditMark, auditSince } from "./support/adminFactories.js";
import { countRows, mutate, topLevelCode } from "./support/admin.js";
import {
  aCounty,
  aDepot,
  anItem,
  aTownship,
  type Depot,
  mutation,
  type ProvisionedCounty,
  unique,
} from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { aLotOf } from "./support/stockFactories.js";
import { books } from "./support/transit.js";
import { RECEIVE } from "./support/world.js";

const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
/** Two townships, each with its depot and keeper; and a second county, for its administrator. */
let county: ProvisionedCounty;
let other: ProvisionedCounty;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  county = await aCounty(svc, { townships: 2 });
  other = await aCounty(svc);
});
afterAll(() => svc.stop());

const DEPOT =
  "depot { id code kind nameZh nameEn address custodianOrg latitude longitude callUpLeadHours closedAt closedReason }";
type DepotView = { id: string; code: string; closedAt: string | null; latitude: number | null };
const createDepot = (input: Record<string, unknown>, as = county.admin) =>
  mutate<{ depot: DepotView | null }>(svc, "createDepot", "CreateDepotInput", DEPOT, input, as);
const close = (depotId: string, as = county.admin) =>
  mutate<{ depot: DepotView | null }>(
    svc,
    "closeDepot",
    "CloseDepotInput",
    DEPOT,
    { depotId, reason: "合并到乡储备库" },
    as,
  );

/** A second depot for the first township, as its administrator would fill in the form. */
const township = (code: string, extra: Record<string, unknown> = {}) => ({
  regionId: county.townships[0]!.id,
  code,
  kind: "TOWNSHIP_DEPOT",
  nameZh: "第二储备库",
  custodianOrg: "乡应急办",
  ...extra,
});

const snapshot = async () => ({
  depots: await countRows(svc, "depots"),
  audit: await countRows(svc, "audit_events"),
});

const receive = async (depot: Depot) => {
  const item = await anItem(county);
  return svc.gql<{ receiveStock: { userErrors: { code: string }[]; lots: { id: string }[] } }>(
    RECEIVE,
    {
      input: {
        depotId: depot.id,
        itemId: item.id,
        quantity: "1",
        lotCode: `D-${unique()}`,
        receivedOn: "2026-11-20",
        source: "PURCHASE",
        reason: "test",
      },
    },
    depot.keeper,
  );
};

describe("creating and changing depots", () => {
  it("adds a depot with its map position, readable by the county at once, and logs it", async () => {
    const code = `TD-${unique()}`;
    const mark = await auditMark(svc);

    const res = await createDepot(
      township(code, { latitude: 35.1234, longitude: 114.5, address: "乡政府院内" }),
    );

    expect(res.userErrors).toEqual([]);
    expect(res.depot).toMatchObject({
      code,
      kind: "TOWNSHIP_DEPOT",
      latitude: 35.1234,
      longitude: 114.5,
      closedAt: null,
      nameEn: "",
    });
    const seen = await svc.gql<{ depot: { region: { nameZh: string } } }>(
      "query($id: ID!) { depot(id: $id) { region { nameZh } } }",
      { id: res.depot!.id },
      county.officer,
    );
    expect(seen.data!.depot.region.nameZh).toBe(county.townships[0]!.nameZh);
    expect(await auditSince(svc, mark)).toEqual([
      expect.objectContaining({
        action: "createDepot",
        target_type: "Depot",
        before: null,
        after: expect.objectContaining({ code }),
      }),
    ]);
  });

  it("refuses a duplicate code, a kind in the wrong level, call-up hours off an agreement reserve and a bad position", async () => {
    const [town] = county.townships;
    const before = await snapshot();

    const refused = [
      await createDepot(township(town!.depot.code)),
      await createDepot(township("X-1", { kind: "VILLAGE_POINT" })),
      await createDepot(township("X-2", { callUpLeadHours: 12 })),
      await createDepot(township("X-3", { latitude: 91 })),
      await createDepot(township("bad code!")),
      await createDepot(township("X-4"), other.admin),
    ];
    const forbidden = [];
    for (const who of [county.auditor, town!.officer, town!.depot.keeper]) {
      forbidden.push(await topLevelCode(svc, "createDepot", "CreateDepotInput", township("X-5"), who));
    }

    expect(refused.map((r) => r.userErrors.map((e) => [e.code, e.field]))).toEqual([
      [["DUPLICATE", ["input", "code"]]],
      [["INVALID_INPUT", ["input", "kind"]]],
      [["INVALID_INPUT", ["input", "callUpLeadHours"]]],
      [["INVALID_INPUT", ["input", "latitude"]]],
      [["INVALID_INPUT", expect.any(Array)]],
      [["NOT_FOUND", expect.any(Array)]],
    ]);
    expect(forbidden).toEqual(["FORBIDDEN", "FORBIDDEN", "FORBIDDEN"]);
    expect(await snapshot()).toEqual(before);
  });

  it("changes names and position, logging before and after", async () => {
    const created = await createDepot(township(`TD-${unique()}`));
    const mark = await auditMark(svc);

    const res = await mutate<{ depot: DepotView & { nameEn: string } }>(
      svc,
      "updateDepot",
      "UpdateDepotInput",
      DEPOT,
      { depotId: created.depot!.id, nameEn: "Second Depot", latitude: 35, longitude: 114 },
      county.admin,
    );

    expect(res.userErrors).toEqual([]);
    expect(res.depot).toMatchObject({ nameEn: "Second Depot", latitude: 35 });
    expect(await auditSince(svc, mark)).toEqual([
      expect.objectContaining({
        action: "updateDepot",
        before: expect.objectContaining({ nameEn: "", latitude: null }),
        after: expect.objectContaining({ nameEn: "Second Depot", latitude: 35 }),
      }),
    ]);
  });
});

describe("closing a depot", () => {
  it("refuses while the depot holds stock, and writes nothing", async () => {
    const depot = county.townships[1]!.depot;
    await aLotOf(depot, await anItem(county), "10");
    const before = { ...(await snapshot()), books: await books(svc) };

    const res = await close(depot.id);

    expect(res.userErrors).toEqual([
      expect.objectContaining({ code: "DEPOT_HOLDS_STOCK", field: ["input", "depotId"] }),
    ]);
    expect(res.depot).toBeNull();
    expect({ ...(await snapshot()), books: await books(svc) }).toEqual(before);
  });

  it("refuses while a stock-take is open there", async () => {
    const depot = await aDepot(county.townships[0]!);
    await mutation(svc, depot.keeper, "startStockTake", "StartStockTakeInput", { depotId: depot.id }, "");
    const before = await snapshot();

    const res = await close(depot.id);

    expect(res.userErrors[0]?.code).toBe("DEPOT_HAS_OPEN_STOCK_TAKE");
    expect(await snapshot()).toEqual(before);
  });

  it("closes an empty depot: it stays readable and takes no new movement", async () => {
    const town = await aTownship(county);
    const depot = await aDepot(town);
    const depotsCounted = async () => {
      const r = await svc.gql<{ readiness: { nodes: { depots: number; staleDepots: number }[] } }>(
        "query($r: ID!) { readiness(regionId: $r, first: 1) { nodes { depots staleDepots } } }",
        { r: town.id },
        county.officer,
      );
      return r.data!.readiness.nodes[0]!;
    };
    // never counted, so its figures are stale
    expect(await depotsCounted()).toEqual({ depots: 1, staleDepots: 1 });
    const mark = await auditMark(svc);

    const res = await close(depot.id);

    expect(res.userErrors).toEqual([]);
    expect(res.depot).toMatchObject({ closedAt: NOW.toISOString(), closedReason: "合并到乡储备库" });
    // a closed depot is no longer a depot to count, nor stale data
    expect(await depotsCounted()).toEqual({ depots: 0, staleDepots: 0 });
    expect(await auditSince(svc, mark)).toEqual([
      expect.objectContaining({ action: "closeDepot", before: expect.objectContaining({ closedAt: null }) }),
    ]);

    const stock = await books(svc);
    const refused = await receive(depot);
    expect(refused.data!.receiveStock.userErrors).toEqual([
      expect.objectContaining({ code: "DEPOT_CLOSED" }),
    ]);
    expect(await books(svc)).toEqual(stock);

    const read = await svc.gql<{ depot: { closedAt: string; stock: unknown[] } }>(
      "query($id: ID!) { depot(id: $id) { closedAt stock { onHand } } }",
      { id: depot.id },
      county.auditor,
    );
    expect(read.data!.depot).toEqual({ closedAt: NOW.toISOString(), stock: [] });
    expect((await close(depot.id)).userErrors[0]?.code).toBe("INVALID_TRANSITION");
    const update = await mutate(
      svc,
      "updateDepot",
      "UpdateDepotInput",
      DEPOT,
      { depotId: depot.id, nameEn: "x" },
      county.admin,
    );
    expect(update.userErrors[0]?.code).toBe("DEPOT_CLOSED");
  });
});
