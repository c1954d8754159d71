import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countRows, mutate, topLevelCode } from "./support/admin.js";
import { aCounty, type Depot, type Item, mutation, unique } from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";
import { aNorm, stockAt } from "./support/stockFactories.js";
import { coldCaches } from "./support/caches.js";
import { books } from "./support/transit.js";

// 2026-11-24 10:00 in Shanghai
let now = new Date("2026-11-24T02:00:00Z");
let svc: TestService;
beforeAll(async () => (svc = await startTestService({ clock: () => now })));
afterAll(() => svc.stop());

/**
 * A county of its own: one township with its depot and keeper, a county warehouse; tents and quilts; and an
 * agreement with a distributor for 300 tents and 100 quilts, delivered within 8 hours, valid through 2026.
 */
async function aWorld() {
  now = new Date("2026-11-24T02:00:00Z");
  const county = await aCounty(svc, { townships: 1, countyDepots: ["COUNTY_WAREHOUSE"], items: [{}, {}] });
  const [tents, quilts] = county.items as [Item, Item];
  const township = county.townships[0]!;
  const { agreement } = await mutation<{ agreement: { id: string } }>(
    svc,
    county.admin,
    "createAgreement",
    "CreateAgreementInput",
    {
      regionId: county.id,
      supplier: "华联商贸有限公司",
      contact: "周经理 13800000000",
      contractNo: `QH-XY-${unique()}`,
      validFrom: "2026-01-01",
      validUntil: "2026-12-31",
      leadHours: 8,
      lines: [
        { itemId: tents.id, quantity: "300" },
        { itemId: quilts.id, quantity: "100" },
      ],
    },
    "agreement { id }",
  );
  return { county, township, warehouse: county.depots[0]!, tents, quilts, agreement: agreement.id };
}
type World = Awaited<ReturnType<typeof aWorld>>;

const CALL_UP =
  "callUp { id number status late dueAt agreement { id } destinationDepot { code } lines { item { code } quantity delivered outstanding } receipts { id kind source quantity reference } }";
type CallUpView = {
  id: string;
  number: string;
  status: string;
  late: boolean;
  dueAt: string;
  lines: { item: { code: string }; quantity: string; delivered: string; outstanding: string }[];
  receipts: { id: string; kind: string; source: string; quantity: string; reference: string }[];
};

const callUp = (w: World, lines: [Item, string][], to: Depot = w.township.depot, as = w.county.officer) =>
  mutate<{ callUp: CallUpView | null }>(
    svc,
    "callUpAgreement",
    "CallUpAgreementInput",
    CALL_UP,
    {
      agreementId: w.agreement,
      destinationDepotId: to.id,
      lines: lines.map(([item, quantity]) => ({ itemId: item.id, quantity })),
      reason: "防汛抢险",
    },
    as,
  );

const deliver = (id: string, lines: [Item, string][], as: string, reference = `SH-${unique()}`) =>
  mutate<{ callUp: CallUpView | null; movements: { id: string }[] }>(
    svc,
    "receiveCallUpDelivery",
    "ReceiveCallUpDeliveryInput",
    `${CALL_UP} movements { id }`,
    { callUpId: id, lines: lines.map(([item, quantity]) => ({ itemId: item.id, quantity })), reference },
    as,
  );

const calledUp = async (w: World, as: string, extra = "") => {
  const res = await svc.gql<{ agreementCallUps: { nodes: { number: string; late: boolean }[] } }>(
    `query($a: ID) { agreementCallUps(agreementId: $a${extra}) { nodes { number late } } }`,
    { a: w.agreement },
    as,
  );
  return res.data!.agreementCallUps.nodes.map((n) => n.number);
};

const callable = async (w: World, item: Item) => {
  const res = await svc.gql<{ coverage: { lines: { item: { code: string }; agreementCallable: string }[] } }>(
    "query($r: ID!) { coverage(regionId: $r) { lines { item { code } agreementCallable } } }",
    { r: w.county.id },
    w.county.officer,
  );
  return res.data!.coverage.lines.find((l) => l.item.code === item.code)!.agreementCallable;
};

describe("agreement call-ups (协议储备调用)", () => {
  it("a call-up delivered in two parts closes, with two AGREEMENT_CALL_UP receipts linked to it", async () => {
    const w = await aWorld(); // given
    const order = await callUp(w, [[w.tents, "120"]]);
    expect(order.userErrors).toEqual([]);
    const made = order.callUp!;
    expect(made).toMatchObject({
      number: "DY-2026-0001",
      status: "OPEN",
      late: false,
      dueAt: "2026-11-24T10:00:00.000Z",
      destinationDepot: { code: w.township.depot.code },
      lines: [{ item: { code: w.tents.code }, quantity: "120", delivered: "0", outstanding: "120" }],
    });

    const first = await deliver(made.id, [[w.tents, "50"]], w.township.depot.keeper, "SH-1"); // when
    const second = await deliver(made.id, [[w.tents, "70"]], w.township.depot.keeper, "SH-2");

    expect(first.userErrors).toEqual([]); // then
    expect(first.callUp).toMatchObject({ status: "OPEN", lines: [{ delivered: "50", outstanding: "70" }] });
    expect(second.userErrors).toEqual([]);
    expect(second.callUp).toMatchObject({
      status: "DELIVERED",
      lines: [{ quantity: "120", delivered: "120", outstanding: "0" }],
      receipts: [
        { kind: "RECEIPT", source: "AGREEMENT_CALL_UP", quantity: "50", reference: "SH-1" },
        { kind: "RECEIPT", source: "AGREEMENT_CALL_UP", quantity: "70", reference: "SH-2" },
      ],
    });
    expect(second.callUp!.receipts.map((r) => r.id)).toEqual([
      ...first.movements.map((m) => m.id),
      ...second.movements.map((m) => m.id),
    ]);
    expect((await stockAt(w.township.depot, w.tents)).usable).toBe("120");
    // the next order of the county takes the next number
    expect((await callUp(w, [[w.quilts, "10"]])).callUp!.number).toBe("DY-2026-0002");
  });

  it("a call-up beyond what the agreement has left is refused, and nothing is written", async () => {
    const w = await aWorld();
    expect((await callUp(w, [[w.tents, "200"]])).userErrors).toEqual([]);
    const before = { books: await books(svc), callUps: await countRows(svc, "call_ups") };
    const lines = await countRows(svc, "call_up_lines");

    const res = await callUp(w, [
      [w.quilts, "10"],
      [w.tents, "101"],
    ]);

    expect(res.callUp).toBeNull();
    expect(res.userErrors).toMatchObject([
      { code: "AGREEMENT_EXCEEDED", field: ["input", "lines", "1", "quantity"] },
    ]);
    expect({ books: await books(svc), callUps: await countRows(svc, "call_ups") }).toEqual(before);
    expect(await countRows(svc, "call_up_lines")).toBe(lines);
    // exactly what is left is fine
    expect((await callUp(w, [[w.tents, "100"]])).userErrors).toEqual([]);
  });

  it("refuses an item outside the agreement, a depot of another county or closed, and a lapsed agreement", async () => {
    const w = await aWorld();
    const other = await aCounty(svc, { townships: 1 });
    const [stranger] = (await aCounty(svc, { items: [{}] })).items as [Item];
    const before = await countRows(svc, "call_ups");

    expect((await callUp(w, [[stranger, "1"]])).userErrors).toMatchObject([{ code: "NOT_IN_AGREEMENT" }]);
    expect((await callUp(w, [[w.tents, "1"]], other.townships[0]!.depot)).userErrors).toMatchObject([
      { code: "NOT_FOUND", field: ["input", "destinationDepotId"] },
    ]);
    await mutation(
      svc,
      w.county.admin,
      "closeDepot",
      "CloseDepotInput",
      { depotId: w.warehouse.id, reason: "撤并" },
      "depot { closedAt }",
    );
    expect((await callUp(w, [[w.tents, "1"]], w.warehouse)).userErrors).toMatchObject([
      { code: "DEPOT_CLOSED", field: ["input", "destinationDepotId"] },
    ]);
    now = new Date("2027-01-01T02:00:00Z");
    expect((await callUp(w, [[w.tents, "1"]])).userErrors).toMatchObject([
      { code: "AGREEMENT_NOT_IN_FORCE" },
    ]);
    expect(await countRows(svc, "call_ups")).toBe(before);
  });

  it("a township officer cannot call up, and nothing is written", async () => {
    const w = await aWorld();
    const before = await countRows(svc, "call_ups");
    const input = {
      agreementId: w.agreement,
      destinationDepotId: w.township.depot.id,
      lines: [{ itemId: w.tents.id, quantity: "5" }],
      reason: "防汛抢险",
    };

    const code = await topLevelCode(
      svc,
      "callUpAgreement",
      "CallUpAgreementInput",
      input,
      w.township.officer,
    );

    expect(code).toBe("FORBIDDEN");
    expect(await countRows(svc, "call_ups")).toBe(before);
  });

  it("delivering more than outstanding is refused, and nothing changes", async () => {
    const w = await aWorld();
    const made = (await callUp(w, [[w.tents, "30"]])).callUp!;
    expect((await deliver(made.id, [[w.tents, "20"]], w.township.officer)).userErrors).toEqual([]);
    const before = await books(svc);

    const res = await deliver(made.id, [[w.tents, "11"]], w.township.depot.keeper);

    expect(res.userErrors).toMatchObject([
      { code: "CALL_UP_OVER_DELIVERY", field: ["input", "lines", "0", "quantity"] },
    ]);
    expect(await books(svc)).toEqual(before);
    // a keeper of another depot is told nothing about it
    const stranger = await deliver(made.id, [[w.tents, "1"]], w.warehouse.keeper);
    expect(stranger.userErrors).toMatchObject([{ code: "NOT_FOUND", field: ["input", "callUpId"] }]);
    expect(await calledUp(w, w.warehouse.keeper)).toEqual([]);
    expect(await calledUp(w, w.township.depot.keeper)).toEqual([made.number]);
  });

  it("cancelling gives the outstanding quantity back to the agreement, never what was delivered", async () => {
    const w = await aWorld();
    await aNorm(w.county, w.tents, w.county.id, "500");
    const made = (await callUp(w, [[w.tents, "100"]])).callUp!;
    await deliver(made.id, [[w.tents, "40"]], w.township.depot.keeper);

    const res = await mutate<{ callUp: CallUpView | null }>(
      svc,
      "cancelCallUp",
      "CancelCallUpInput",
      "callUp { status }",
      { callUpId: made.id, reason: "供货商缺货" },
      w.county.officer,
    );

    expect(res.userErrors).toEqual([]);
    expect(res.callUp!.status).toBe("CANCELLED");
    expect(await callable(w, w.tents)).toBe("260");
    expect((await deliver(made.id, [[w.tents, "1"]], w.township.depot.keeper)).userErrors).toMatchObject([
      { code: "INVALID_TRANSITION" },
    ]);
  });

  it("coverage's callable drops by what is called, and delivered stock counts once, as stock", async () => {
    const w = await aWorld();
    await aNorm(w.county, w.tents, w.county.id, "500");
    expect(await callable(w, w.tents)).toBe("300");

    const made = (await callUp(w, [[w.tents, "120"]])).callUp!;
    expect(await callable(w, w.tents)).toBe("180");
    await deliver(made.id, [[w.tents, "50"]], w.township.depot.keeper);

    const res = await svc.gql<{ coverage: { lines: { usable: string; agreementCallable: string }[] } }>(
      "query($r: ID!) { coverage(regionId: $r) { lines { usable agreementCallable } } }",
      { r: w.county.id },
      w.county.officer,
    );
    // 50 arrived (usable), 70 on its way (counted nowhere), 180 still on call
    expect(res.data!.coverage.lines).toEqual([{ usable: "50", agreementCallable: "180" }]);
  });

  it("a late call-up shows in readiness for the county and the destination's township", async () => {
    const w = await aWorld();
    const made = (await callUp(w, [[w.tents, "10"]])).callUp!;
    const readiness = async (region: string, as: string) => {
      const res = await svc.gql<{ readiness: { nodes: { openCallUps: number; lateCallUps: number }[] } }>(
        "query($r: ID!) { readiness(regionId: $r, first: 1) { nodes { openCallUps lateCallUps } } }",
        { r: region },
        as,
      );
      return res.data!.readiness.nodes[0];
    };
    expect(await readiness(w.county.id, w.county.officer)).toEqual({ openCallUps: 1, lateCallUps: 0 });

    now = new Date("2026-11-24T10:00:01Z"); // due at 10:00 UTC, eight hours after the call-up

    expect(await readiness(w.county.id, w.county.officer)).toEqual({ openCallUps: 1, lateCallUps: 1 });
    expect(await readiness(w.township.id, w.township.officer)).toEqual({ openCallUps: 1, lateCallUps: 1 });
    expect(await calledUp(w, w.county.auditor, ", openOnly: true")).toEqual([made.number]);
    const late = await svc.gql<{ node: { late: boolean } }>(
      "query($id: ID!) { node(id: $id) { ... on CallUp { late } } }",
      { id: made.id },
      w.township.depot.keeper,
    );
    expect(late.data!.node.late).toBe(true);
  });

  it("a page of one call-up and a page of many run the same number of statements", async () => {
    const w = await aWorld();
    const LIST = `query($a: ID, $n: Int) { agreementCallUps(agreementId: $a, first: $n) { nodes {
      number status late agreement { contractNo callUps { number } } destinationDepot { code }
      lines { item { code } quantity delivered outstanding } receipts { quantity } } } }`;
    const made = [];
    for (let i = 0; i < 4; i += 1)
      made.push(
        (
          await callUp(w, [
            [w.tents, "5"],
            [w.quilts, "5"],
          ])
        ).callUp!,
      );
    for (const c of made) await deliver(c.id, [[w.tents, "5"]], w.township.depot.keeper);
    const run = async (first: number) => {
      coldCaches(svc.database);
      const before = svc.database.statements();
      const res = await svc.gql<{ agreementCallUps: { nodes: unknown[] } }>(
        LIST,
        { a: w.agreement, n: first },
        w.county.officer,
      );
      expect(res.errors).toBeUndefined();
      return {
        statements: svc.database.statements() - before,
        rows: res.data!.agreementCallUps.nodes.length,
      };
    };

    const one = await run(1);
    const many = await run(50);

    expect([one.rows, many.rows]).toEqual([1, 4]);
    expect(many.statements).toBe(one.statements);
  });
});
