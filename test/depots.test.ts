import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN,
  type AdminWorld,
  adminWorld,
  auditRows,
  countRows,
  insertUser,
  mutate,
  OTHER_ADMIN,
  topLevelCode,
  userGlobalId,
} from "./support/admin.js";
import { startTestService, type TestService } from "./support/service.js";
import { demoIds, type DemoIds, RECEIVE } from "./support/world.js";

const NOW = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
let w: AdminWorld;
let ids: DemoIds;
beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  w = await adminWorld(svc);
  ids = await demoIds(svc);
  await insertUser(svc, "xin.keeper", w.countyId);
});
afterAll(() => svc.stop());

const DEPOT =
  "depot { id code kind nameZh nameEn address custodianOrg latitude longitude callUpLeadHours closedAt closedReason }";
type DepotView = { id: string; code: string; closedAt: string | null; latitude: number | null };
const createDepot = (input: Record<string, unknown>, as = ADMIN) =>
  mutate<{ depot: DepotView | null }>(svc, "createDepot", "CreateDepotInput", DEPOT, input, as);

const township = (code: string, extra: Record<string, unknown> = {}) => ({
  regionId: w.region("柳林乡"),
  code,
  kind: "TOWNSHIP_DEPOT",
  nameZh: "柳林乡第二储备库",
  custodianOrg: "柳林乡应急办",
  ...extra,
});

const snapshot = async () => ({
  depots: await countRows(svc, "depots"),
  audit: await countRows(svc, "audit_events"),
});

const receive = (depotId: string, as: string) =>
  svc.gql<{ receiveStock: { userErrors: { code: string }[]; lots: { id: string }[] } }>(
    RECEIVE,
    {
      input: {
        depotId,
        itemId: ids.item("CEMENT"),
        quantity: "1",
        lotCode: `D-${Math.random()}`,
        receivedOn: "2026-11-20",
        source: "PURCHASE",
        reason: "test",
      },
    },
    as,
  );

describe("creating and changing depots", () => {
  it("adds a depot with its map position, readable by the county at once, and logs it", async () => {
    const res = await createDepot(
      township("TD-LIULIN-2", { latitude: 35.1234, longitude: 114.5, address: "柳林乡政府院内" }),
    );
    expect(res.userErrors).toEqual([]);
    expect(res.depot).toMatchObject({
      code: "TD-LIULIN-2",
      kind: "TOWNSHIP_DEPOT",
      latitude: 35.1234,
      longitude: 114.5,
      closedAt: null,
      nameEn: "",
    });
    const seen = await svc.gql<{ depot: { region: { nameZh: string } } }>(
      "query($id: ID!) { depot(id: $id) { region { nameZh } } }",
      { id: res.depot!.id },
      "county.officer",
    );
    expect(seen.data!.depot.region.nameZh).toBe("柳林乡");
    // the demo county's depots were created by its import: this test's depot is the last
    const [row] = (await auditRows(svc, "createDepot")).slice(-1);
    expect(row).toMatchObject({
      target_type: "Depot",
      before: null,
      after: expect.objectContaining({ code: "TD-LIULIN-2" }),
    });
  });

  it("refuses a duplicate code, a kind in the wrong level, call-up hours off an agreement reserve and a bad position", async () => {
    const before = await snapshot();
    expect((await createDepot(township("TD-LIULIN"))).userErrors[0]).toMatchObject({
      code: "DUPLICATE",
      field: ["input", "code"],
    });
    expect((await createDepot(township("X-1", { kind: "VILLAGE_POINT" }))).userErrors[0]?.field).toEqual([
      "input",
      "kind",
    ]);
    expect((await createDepot(township("X-2", { callUpLeadHours: 12 }))).userErrors[0]?.field).toEqual([
      "input",
      "callUpLeadHours",
    ]);
    expect((await createDepot(township("X-3", { latitude: 91 }))).userErrors[0]?.field).toEqual([
      "input",
      "latitude",
    ]);
    expect((await createDepot(township("bad code!"))).userErrors[0]?.code).toBe("INVALID_INPUT");
    expect((await createDepot(township("X-4"), OTHER_ADMIN)).userErrors[0]?.code).toBe("NOT_FOUND");
    for (const who of ["auditor", "liulin.officer", "liulin.keeper"]) {
      expect(await topLevelCode(svc, "createDepot", "CreateDepotInput", township("X-5"), who), who).toBe(
        "FORBIDDEN",
      );
    }
    expect(await snapshot()).toEqual(before);
  });

  it("changes names and position, logging before and after", async () => {
    const created = await createDepot(township("TD-LIULIN-3"));
    const res = await mutate<{ depot: DepotView & { nameEn: string } }>(
      svc,
      "updateDepot",
      "UpdateDepotInput",
      DEPOT,
      {
        depotId: created.depot!.id,
        nameEn: "Liulin Depot 3",
        latitude: 35,
        longitude: 114,
      },
    );
    expect(res.userErrors).toEqual([]);
    expect(res.depot).toMatchObject({ nameEn: "Liulin Depot 3", latitude: 35 });
    const log = await auditRows(svc, "updateDepot");
    expect(log.at(-1)).toMatchObject({
      before: expect.objectContaining({ nameEn: "", latitude: null }),
      after: expect.objectContaining({ nameEn: "Liulin Depot 3", latitude: 35 }),
    });
  });
});

describe("closing a depot", () => {
  const close = (depotId: string, as = ADMIN) =>
    mutate<{ depot: DepotView | null }>(
      svc,
      "closeDepot",
      "CloseDepotInput",
      DEPOT,
      { depotId, reason: "合并到乡储备库" },
      as,
    );

  it("refuses while the depot holds stock, and writes nothing", async () => {
    const before = await snapshot();
    const res = await close(ids.depot("TD-HEKOU"));
    expect(res.userErrors).toEqual([
      expect.objectContaining({ code: "DEPOT_HOLDS_STOCK", field: ["input", "depotId"] }),
    ]);
    expect(res.depot).toBeNull();
    expect(await snapshot()).toEqual(before);
  });

  it("refuses while a stock-take is open there", async () => {
    const created = await createDepot(township("TD-LIULIN-4"));
    const depotId = created.depot!.id;
    await mutate(svc, "assignKeeper", "AssignKeeperInput", "depot { id }", {
      depotId,
      userId: await userGlobalId(svc, "xin.keeper"),
    });
    const started = await svc.gql<{ startStockTake: { userErrors: unknown[] } }>(
      "mutation($input: StartStockTakeInput!) { startStockTake(input: $input) { userErrors { code } } }",
      { input: { depotId } },
      "xin.keeper",
    );
    expect(started.data!.startStockTake.userErrors).toEqual([]);
    const before = await snapshot();
    expect((await close(depotId)).userErrors[0]?.code).toBe("DEPOT_HAS_OPEN_STOCK_TAKE");
    expect(await snapshot()).toEqual(before);
  });

  it("closes an empty depot: it stays readable and takes no new movement", async () => {
    const created = await createDepot(township("TD-LIULIN-5"));
    const depotId = created.depot!.id;
    await mutate(svc, "assignKeeper", "AssignKeeperInput", "depot { id }", {
      depotId,
      userId: await userGlobalId(svc, "xin.keeper"),
    });
    const depotsCounted = async () => {
      const r = await svc.gql<{ readiness: { nodes: { depots: number; staleDepots: number }[] } }>(
        "query($r: ID!) { readiness(regionId: $r, first: 1) { nodes { depots staleDepots } } }",
        { r: w.region("柳林乡") },
        "county.officer",
      );
      return r.data!.readiness.nodes[0]!;
    };
    const counted = await depotsCounted();
    const res = await close(depotId);
    expect(res.userErrors).toEqual([]);
    // a closed depot is no longer a depot to count, nor stale data
    expect(await depotsCounted()).toEqual({
      depots: counted.depots - 1,
      staleDepots: counted.staleDepots - 1,
    });
    expect(res.depot).toMatchObject({ closedAt: NOW.toISOString(), closedReason: "合并到乡储备库" });
    const [logged] = (await auditRows(svc, "closeDepot")).slice(-1);
    expect(logged).toMatchObject({ before: expect.objectContaining({ closedAt: null }) });

    const movements = await countRows(svc, "movements");
    const refused = await receive(depotId, "xin.keeper");
    expect(refused.data!.receiveStock.userErrors).toEqual([
      expect.objectContaining({ code: "DEPOT_CLOSED" }),
    ]);
    expect(await countRows(svc, "movements")).toBe(movements);

    const read = await svc.gql<{ depot: { closedAt: string; stock: unknown[] } }>(
      "query($id: ID!) { depot(id: $id) { closedAt stock { onHand } } }",
      { id: depotId },
      "auditor",
    );
    expect(read.data!.depot).toEqual({ closedAt: NOW.toISOString(), stock: [] });
    expect((await close(depotId)).userErrors[0]?.code).toBe("INVALID_TRANSITION");
    const update = await mutate(svc, "updateDepot", "UpdateDepotInput", DEPOT, { depotId, nameEn: "x" });
    expect(update.userErrors[0]?.code).toBe("DEPOT_CLOSED");
  });
});
