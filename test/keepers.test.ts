import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { aDepotWithoutKeeper, auditMark, auditSince, aUser, type Person } from "./support/adminFactories.js";
import { countRows, mutate, topLevelCode } from "./support/admin.js";
import {
  aCounty,
  anItem,
  type Depot,
  type Item,
  mutation,
  type ProvisionedCounty,
  unique,
} from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import { RECEIVE } from "./support/world.js";

const JULY_10 = new Date("2026-07-10T02:00:00Z");
const JULY_15 = new Date("2026-07-15T02:00:00Z");
const JULY_20 = new Date("2026-07-20T02:00:00Z");
let now = JULY_10;
let svc: TestService;
/** One township (with its office, depot and keeper) to add depots to; and a second county. */
let county: ProvisionedCounty;
let township: ProvisionedCounty["townships"][number];
let other: ProvisionedCounty;
beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
  county = await aCounty(svc, { townships: 1 });
  township = county.townships[0]!;
  other = await aCounty(svc);
});
beforeEach(() => {
  now = JULY_10;
});
afterAll(() => svc.stop());

const KEEPERS = "depot { keepers { user { username } from until } }";
type Keepers = {
  depot: { keepers: { user: { username: string }; from: string; until: string | null }[] } | null;
};
const assign = (depot: Depot, person: Person, as = county.admin) =>
  mutate<Keepers>(
    svc,
    "assignKeeper",
    "AssignKeeperInput",
    KEEPERS,
    { depotId: depot.id, userId: person.id },
    as,
  );
const unassign = (depot: Depot, person: Person, reason?: string) =>
  mutate<Keepers>(
    svc,
    "unassignKeeper",
    "UnassignKeeperInput",
    KEEPERS,
    { depotId: depot.id, userId: person.id, ...(reason ? { reason } : {}) },
    county.admin,
  );

const HANDOVER =
  "handover { at note from { username } to { username } depot { code } stock { item { code } onHand } }";
const handOver = (depot: Depot, input: Record<string, unknown>, as = county.admin) =>
  mutate<{ handover: Record<string, unknown> | null }>(
    svc,
    "handOverDepot",
    "HandOverDepotInput",
    HANDOVER,
    { depotId: depot.id, note: "账物相符，交接完毕", ...input },
    as,
  );

const receive = (depot: Depot, item: Item, as: string, quantity = "500") =>
  svc.gql<{ receiveStock: { userErrors: { code: string }[] } }>(
    RECEIVE,
    {
      input: {
        depotId: depot.id,
        itemId: item.id,
        quantity,
        lotCode: `K-${unique()}`,
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

/** A new depot of the township that nobody keeps yet. */
const aNewDepot = () => aDepotWithoutKeeper(township);

/** Given steps, as the administrator takes them: a refusal is a broken test. */
const given = {
  assigned: (depot: Depot, person: Person) =>
    mutation(
      svc,
      county.admin,
      "assignKeeper",
      "AssignKeeperInput",
      { depotId: depot.id, userId: person.id },
      "",
    ),
  handedOver: (depot: Depot, from: Person, to: Person) =>
    mutation(
      svc,
      county.admin,
      "handOverDepot",
      "HandOverDepotInput",
      { depotId: depot.id, fromUserId: from.id, toUserId: to.id, note: "账物相符，交接完毕" },
      "",
    ),
  unassigned: (depot: Depot, person: Person) =>
    mutation(
      svc,
      county.admin,
      "unassignKeeper",
      "UnassignKeeperInput",
      { depotId: depot.id, userId: person.id },
      "",
    ),
};

/** A depot wang kept from 10 July and handed over to li on 15 July. */
async function handedOverDepot() {
  const depot = await aNewDepot();
  const [wang, li] = [await aUser(county, "wang.keeper"), await aUser(county, "li.keeper")];
  now = JULY_10;
  await given.assigned(depot, wang);
  now = JULY_15;
  await given.handedOver(depot, wang, li);
  return { depot, wang, li };
}

describe("assigning keepers", () => {
  it("gives a user of the county custody at once, with the keeper role over the depot's region", async () => {
    const depot = await aNewDepot();
    const wang = await aUser(county, "wang.keeper");
    const bags = await anItem(county);
    expect((await receive(depot, bags, wang.username)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const mark = await auditMark(svc);

    const res = await assign(depot, wang);

    expect(res.userErrors).toEqual([]);
    expect(res.depot!.keepers).toEqual([
      { user: { username: wang.username }, from: now.toISOString(), until: null },
    ]);
    expect((await receive(depot, bags, wang.username)).data!.receiveStock.userErrors).toEqual([]);
    expect(await auditSince(svc, mark)).toEqual([
      expect.objectContaining({
        action: "assignKeeper",
        target_type: "Depot",
        target_id: depot.depotId,
        before: { keepers: [] },
        after: expect.objectContaining({ grantedKeeperRole: true }),
      }),
    ]);
  });

  it("refuses a second assignment, a user of another county and strangers, writing nothing", async () => {
    const depot = await aNewDepot();
    const [wang, li] = [await aUser(county, "wang.keeper"), await aUser(county, "li.keeper")];
    const outsider = await aUser(other, "other.person");
    await given.assigned(depot, wang);
    const before = await snapshot();

    const twice = await assign(depot, wang);
    const foreign = await assign(depot, outsider);
    const stranger = await assign(depot, li, other.admin);
    const forbidden = [];
    for (const who of [county.auditor, township.officer, county.officer]) {
      forbidden.push(
        await topLevelCode(
          svc,
          "assignKeeper",
          "AssignKeeperInput",
          { depotId: depot.id, userId: li.id },
          who,
        ),
      );
    }

    expect(twice.userErrors[0]?.code).toBe("DUPLICATE");
    expect(foreign.userErrors[0]).toMatchObject({ code: "NOT_FOUND", field: ["input", "userId"] });
    expect(stranger.userErrors[0]?.code).toBe("NOT_FOUND");
    expect(forbidden).toEqual(["FORBIDDEN", "FORBIDDEN", "FORBIDDEN"]);
    expect(await snapshot()).toEqual(before);
  });
});

describe("handing a depot over (交接)", () => {
  it("passes custody at one instant, recording both names and the stock on hand", async () => {
    const depot = await aNewDepot();
    const [wang, li] = [await aUser(county, "wang.keeper"), await aUser(county, "li.keeper")];
    const bags = await anItem(county);
    await given.assigned(depot, wang);
    expect((await receive(depot, bags, wang.username)).data!.receiveStock.userErrors).toEqual([]);
    now = JULY_15;
    const mark = await auditMark(svc);

    const res = await handOver(depot, { fromUserId: wang.id, toUserId: li.id });

    expect(res.userErrors).toEqual([]);
    expect(res.handover).toEqual({
      at: JULY_15.toISOString(),
      note: "账物相符，交接完毕",
      from: { username: wang.username },
      to: { username: li.username },
      depot: { code: depot.code },
      stock: [{ item: { code: bags.code }, onHand: "500" }],
    });
    // the old keeper is refused on the very next request, the new one accepted
    expect((await receive(depot, bags, wang.username)).data!.receiveStock.userErrors[0]?.code).toBe(
      "NOT_FOUND",
    );
    expect((await receive(depot, bags, li.username)).data!.receiveStock.userErrors).toEqual([]);
    expect(await auditSince(svc, mark)).toEqual([
      expect.objectContaining({
        action: "handOverDepot",
        target_id: depot.depotId,
        before: { keepers: [wang.userId] },
        after: expect.objectContaining({ handoverId: expect.any(Number) }),
      }),
    ]);
  });

  it("answers who kept the depot on a day, and keeps every assignment", async () => {
    const { depot, wang, li } = await handedOverDepot();
    const KEEPERS_ON = `query($id: ID!, $asOf: DateTime) { depot(id: $id) {
      now: keepers { user { username } }
      all: keepers(includePast: true) { user { username } from until }
      then: keepers(asOf: $asOf) { user { username } }
      handovers { from { username } to { username } } } }`;

    const res = await svc.gql<Record<string, Record<string, unknown>>>(
      KEEPERS_ON,
      { id: depot.id, asOf: "2026-07-14T04:00:00Z" },
      county.officer,
    );

    expect(res.data!.depot).toEqual({
      now: [{ user: { username: li.username } }],
      all: [
        {
          user: { username: wang.username },
          from: "2026-07-10T02:00:00.000Z",
          until: "2026-07-15T02:00:00.000Z",
        },
        { user: { username: li.username }, from: "2026-07-15T02:00:00.000Z", until: null },
      ],
      then: [{ user: { username: wang.username } }],
      handovers: [{ from: { username: wang.username }, to: { username: li.username } }],
    });
  });

  it("refuses a handover from someone who does not keep the depot, to a stranger, or to oneself", async () => {
    const { depot, wang, li } = await handedOverDepot();
    const zhao = await aUser(county, "zhao.keeper");
    const outsider = await aUser(other, "other.person");
    const before = await snapshot();

    const notKeeper = await handOver(depot, { fromUserId: wang.id, toUserId: zhao.id });
    const stranger = await handOver(depot, { fromUserId: li.id, toUserId: outsider.id });
    const self = await handOver(depot, { fromUserId: li.id, toUserId: li.id });
    const noNote = await handOver(depot, { fromUserId: li.id, toUserId: zhao.id, note: "" });
    const otherAdmin = await handOver(depot, { fromUserId: li.id, toUserId: zhao.id }, other.admin);

    expect(notKeeper.userErrors[0]).toMatchObject({ code: "NOT_FOUND", field: ["input", "fromUserId"] });
    expect(stranger.userErrors[0]).toMatchObject({ code: "NOT_FOUND", field: ["input", "toUserId"] });
    expect(self.userErrors[0]?.code).toBe("INVALID_INPUT");
    expect(noNote.userErrors[0]?.field).toEqual(["input", "note"]);
    expect(otherAdmin.userErrors[0]?.code).toBe("NOT_FOUND");
    expect(await snapshot()).toEqual(before);
  });
});

describe("unassigning a keeper", () => {
  it("ends custody now and keeps the assignment in the history", async () => {
    const depot = await aNewDepot();
    const [li, zhao] = [await aUser(county, "li.keeper"), await aUser(county, "zhao.keeper")];
    const bags = await anItem(county);
    now = JULY_15;
    await given.assigned(depot, li);
    now = JULY_20;
    await given.assigned(depot, zhao);
    const rows = await countRows(svc, "depot_keepers");
    const mark = await auditMark(svc);

    const res = await unassign(depot, zhao, "调岗");

    expect(res.userErrors).toEqual([]);
    expect(res.depot!.keepers.map((k) => k.user.username)).toEqual([li.username]);
    expect(await countRows(svc, "depot_keepers")).toBe(rows);
    const [ended] = await query<{ until: Date }>(
      svc.database,
      sql`select until from depot_keepers where user_id = ${zhao.userId}`,
    );
    expect(new Date(ended!.until).toISOString()).toBe(JULY_20.toISOString());
    expect((await receive(depot, bags, zhao.username)).data!.receiveStock.userErrors[0]?.code).toBe(
      "NOT_FOUND",
    );
    expect(await auditSince(svc, mark)).toEqual([
      expect.objectContaining({
        action: "unassignKeeper",
        target_id: depot.depotId,
        after: expect.objectContaining({ keepers: [li.userId], reason: "调岗" }),
      }),
    ]);
  });

  it("refuses someone who does not keep the depot, writing nothing", async () => {
    const depot = await aNewDepot();
    const zhao = await aUser(county, "zhao.keeper");
    await given.assigned(depot, zhao);
    await given.unassigned(depot, zhao);
    const before = await snapshot();

    const res = await unassign(depot, zhao);

    expect(res.userErrors[0]?.code).toBe("NOT_FOUND");
    expect(await snapshot()).toEqual(before);
  });
});
