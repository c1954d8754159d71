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
import { query, sql } from "./support/sql.js";
import { demoIds, type DemoIds, RECEIVE } from "./support/world.js";

let now = new Date("2026-07-10T02:00:00Z");
let svc: TestService;
let w: AdminWorld;
let ids: DemoIds;
let depotId: string;
const user: Record<string, string> = {};
beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
  w = await adminWorld(svc);
  ids = await demoIds(svc);
  for (const name of ["wang.keeper", "li.keeper", "zhao.keeper"]) {
    await insertUser(svc, name, w.countyId);
    user[name] = await userGlobalId(svc, name);
  }
  user["other.person"] = await userGlobalId(svc, "other.person");
  const created = await mutate<{ depot: { id: string } }>(
    svc,
    "createDepot",
    "CreateDepotInput",
    "depot { id }",
    {
      regionId: w.region("白沙乡"),
      code: "TD-BAISHA-2",
      kind: "TOWNSHIP_DEPOT",
      nameZh: "白沙乡第二储备库",
      custodianOrg: "白沙乡应急办",
    },
  );
  depotId = created.depot.id;
});
afterAll(() => svc.stop());

const KEEPERS = "depot { keepers { user { username } from until } }";
type Keepers = {
  depot: { keepers: { user: { username: string }; from: string; until: string | null }[] } | null;
};
const assign = (userId: string, as = ADMIN) =>
  mutate<Keepers>(svc, "assignKeeper", "AssignKeeperInput", KEEPERS, { depotId, userId }, as);

const receive = (as: string) =>
  svc.gql<{ receiveStock: { userErrors: { code: string }[] } }>(
    RECEIVE,
    {
      input: {
        depotId,
        itemId: ids.item("WOVEN_BAG"),
        quantity: "500",
        lotCode: `K-${Math.random()}`,
        receivedOn: "2026-07-01",
        source: "PURCHASE",
        reason: "入库",
      },
    },
    as,
  );

const snapshot = async () => ({
  assignments: await countRows(svc, "depot_keepers"),
  grants: await countRows(svc, "role_grants"),
  handovers: await countRows(svc, "depot_handovers"),
  audit: await countRows(svc, "audit_events"),
});

describe("assigning keepers", () => {
  it("gives a user of the county custody at once, with the keeper role over the depot's region", async () => {
    expect((await receive("wang.keeper")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const res = await assign(user["wang.keeper"]!);
    expect(res.userErrors).toEqual([]);
    expect(res.depot!.keepers).toEqual([
      { user: { username: "wang.keeper" }, from: now.toISOString(), until: null },
    ]);
    expect((await receive("wang.keeper")).data!.receiveStock.userErrors).toEqual([]);
    // the demo county's own keepers were assigned by its import: this test's assignment is the last
    const [log] = (await auditRows(svc, "assignKeeper")).slice(-1);
    expect(log).toMatchObject({
      target_type: "Depot",
      before: { keepers: [] },
      after: { grantedKeeperRole: true },
    });
  });

  it("refuses a second assignment, a user of another county and strangers, writing nothing", async () => {
    const before = await snapshot();
    expect((await assign(user["wang.keeper"]!)).userErrors[0]?.code).toBe("DUPLICATE");
    expect((await assign(user["other.person"]!)).userErrors[0]).toMatchObject({
      code: "NOT_FOUND",
      field: ["input", "userId"],
    });
    expect((await assign(user["li.keeper"]!, OTHER_ADMIN)).userErrors[0]?.code).toBe("NOT_FOUND");
    for (const who of ["auditor", "baisha.officer", "county.officer"]) {
      const code = await topLevelCode(
        svc,
        "assignKeeper",
        "AssignKeeperInput",
        { depotId, userId: user["li.keeper"] },
        who,
      );
      expect(code, who).toBe("FORBIDDEN");
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("handing a depot over (交接)", () => {
  const HANDOVER =
    "handover { at note from { username } to { username } depot { code } stock { item { code } onHand } }";
  const handOver = (input: Record<string, unknown>, as = ADMIN) =>
    mutate<{ handover: Record<string, unknown> | null }>(
      svc,
      "handOverDepot",
      "HandOverDepotInput",
      HANDOVER,
      {
        depotId,
        note: "账物相符，交接完毕",
        ...input,
      },
      as,
    );

  it("passes custody at one instant, recording both names and the stock on hand", async () => {
    now = new Date("2026-07-15T02:00:00Z");
    const res = await handOver({ fromUserId: user["wang.keeper"], toUserId: user["li.keeper"] });
    expect(res.userErrors).toEqual([]);
    expect(res.handover).toEqual({
      at: now.toISOString(),
      note: "账物相符，交接完毕",
      from: { username: "wang.keeper" },
      to: { username: "li.keeper" },
      depot: { code: "TD-BAISHA-2" },
      stock: [{ item: { code: "WOVEN_BAG" }, onHand: "500" }],
    });
    // the old keeper is refused on the very next request, the new one accepted
    expect((await receive("wang.keeper")).data!.receiveStock.userErrors[0]?.code).toBe("NOT_FOUND");
    expect((await receive("li.keeper")).data!.receiveStock.userErrors).toEqual([]);
    const [log] = await auditRows(svc, "handOverDepot");
    expect(log).toMatchObject({
      before: { keepers: [expect.any(Number)] },
      after: { handoverId: expect.any(Number) },
    });
  });

  it("answers who kept the depot on a day, and keeps every assignment", async () => {
    const KEEPERS_ON = `query($id: ID!, $asOf: DateTime) { depot(id: $id) {
      now: keepers { user { username } }
      all: keepers(includePast: true) { user { username } from until }
      then: keepers(asOf: $asOf) { user { username } }
      handovers { from { username } to { username } } } }`;
    const res = await svc.gql<Record<string, Record<string, unknown>>>(
      KEEPERS_ON,
      { id: depotId, asOf: "2026-07-14T04:00:00Z" },
      "county.officer",
    );
    expect(res.data!.depot).toEqual({
      now: [{ user: { username: "li.keeper" } }],
      all: [
        {
          user: { username: "wang.keeper" },
          from: "2026-07-10T02:00:00.000Z",
          until: "2026-07-15T02:00:00.000Z",
        },
        { user: { username: "li.keeper" }, from: "2026-07-15T02:00:00.000Z", until: null },
      ],
      then: [{ user: { username: "wang.keeper" } }],
      handovers: [{ from: { username: "wang.keeper" }, to: { username: "li.keeper" } }],
    });
  });

  it("refuses a handover from someone who does not keep the depot, to a stranger, or to oneself", async () => {
    const before = await snapshot();
    const notKeeper = await handOver({ fromUserId: user["wang.keeper"], toUserId: user["zhao.keeper"] });
    expect(notKeeper.userErrors[0]).toMatchObject({ code: "NOT_FOUND", field: ["input", "fromUserId"] });
    const stranger = await handOver({ fromUserId: user["li.keeper"], toUserId: user["other.person"] });
    expect(stranger.userErrors[0]).toMatchObject({ code: "NOT_FOUND", field: ["input", "toUserId"] });
    const self = await handOver({ fromUserId: user["li.keeper"], toUserId: user["li.keeper"] });
    expect(self.userErrors[0]?.code).toBe("INVALID_INPUT");
    const noNote = await handOver({ fromUserId: user["li.keeper"], toUserId: user["zhao.keeper"], note: "" });
    expect(noNote.userErrors[0]?.field).toEqual(["input", "note"]);
    expect(
      (await handOver({ fromUserId: user["li.keeper"], toUserId: user["zhao.keeper"] }, OTHER_ADMIN))
        .userErrors[0]?.code,
    ).toBe("NOT_FOUND");
    expect(await snapshot()).toEqual(before);
  });
});

describe("unassigning a keeper", () => {
  it("ends custody now and keeps the assignment in the history", async () => {
    now = new Date("2026-07-20T02:00:00Z");
    await assign(user["zhao.keeper"]!);
    const rows = await countRows(svc, "depot_keepers");
    const res = await mutate<Keepers>(svc, "unassignKeeper", "UnassignKeeperInput", KEEPERS, {
      depotId,
      userId: user["zhao.keeper"],
      reason: "调岗",
    });
    expect(res.userErrors).toEqual([]);
    expect(res.depot!.keepers.map((k) => k.user.username)).toEqual(["li.keeper"]);
    expect(await countRows(svc, "depot_keepers")).toBe(rows);
    const [ended] = await query<{ until: Date }>(
      svc.database,
      sql`select k.until from depot_keepers k join users u on u.id = k.user_id where u.username = 'zhao.keeper'`,
    );
    expect(new Date(ended!.until).toISOString()).toBe(now.toISOString());
    expect((await receive("zhao.keeper")).data!.receiveStock.userErrors[0]?.code).toBe("NOT_FOUND");
    const [log] = (await auditRows(svc, "unassignKeeper")).slice(-1);
    expect(log).toMatchObject({ after: { keepers: [expect.any(Number)], reason: "调岗" } });
  });

  it("refuses someone who does not keep the depot, writing nothing", async () => {
    const before = await snapshot();
    const res = await mutate(svc, "unassignKeeper", "UnassignKeeperInput", KEEPERS, {
      depotId,
      userId: user["zhao.keeper"],
    });
    expect(res.userErrors[0]?.code).toBe("NOT_FOUND");
    expect(await snapshot()).toEqual(before);
  });
});
