import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aDepot,
  aKeeper,
  anItem,
  aVillage,
  type Depot,
  type Item,
  type ItemOptions,
} from "../support/factories.js";
import {
  aLendingPair,
  anApprovedRequisition,
  between,
  type LendingPair,
} from "../support/requisitionFactories.js";
import { REQUISITION_FIELDS, step, view } from "../support/requisitions.js";
import { type GqlResult, startTestService, type TestService } from "../support/service.js";
import { query, sql } from "../support/sql.js";
import { aLotOf } from "../support/stockFactories.js";
import { ISSUE, type UserErrorView } from "../support/world.js";

// Real contention needs real connections: every request below is its own HTTP call and its own transaction.
const NOW = new Date("2026-11-24T02:00:00Z");

let svc: TestService;
/** The borrower asks its neighbour, the lender, which keeps a township depot and a village point. */
let pair: LendingPair;
let villagePoint: Depot;

beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW });
  pair = await aLendingPair(svc);
  villagePoint = await aDepot(await aVillage(pair.lender), { keeper: pair.lender.depot.keeper });
});
afterAll(() => svc.stop());

/** An item new to the catalogue, so every lot and hold of it is this test's. */
const anItemOfOurOwn = (opts: ItemOptions = {}) => anItem(pair.county, opts);

/** Fires `n` requests at once and waits for every answer. */
const together = <T>(n: number, send: (i: number) => Promise<T>): Promise<T[]> =>
  Promise.all(Array.from({ length: n }, (_, i) => send(i)));

const dbId = (globalId: string) => Number(Buffer.from(globalId, "base64url").toString("utf8").split(":")[2]);

interface Payload {
  requisition: { id: string; status: string } | null;
  userErrors: UserErrorView[];
}
type Result = GqlResult<Record<string, Payload>>;

const BRIEF = "requisition { id status } userErrors { field message code }";

/** One requisition mutation as `as`, with a small payload unless told otherwise. */
const call = (
  mutation: string,
  inputType: string,
  input: Record<string, unknown>,
  as: string,
  fields = BRIEF,
) =>
  svc.gql<Record<string, Payload>>(
    `mutation($input: ${inputType}!) { ${mutation}(input: $input) { ${fields} } }`,
    { input },
    as,
  );

/** The payload of a call that must have succeeded. */
function ok(res: Result): NonNullable<Payload["requisition"]> {
  expect(res.errors).toBeUndefined();
  const payload = Object.values(res.data!)[0]!;
  expect(payload.userErrors).toEqual([]);
  return payload.requisition!;
}

/** The requisition's status or the refusal codes of each answer; any top-level error fails the test. */
function outcomes(results: Result[]): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const res of results) {
    expect(res.errors).toBeUndefined();
    expect(res.status).toBe(200);
    const payload = Object.values(res.data!)[0]!;
    const outcome = payload.userErrors.map((e) => e.code).join() || payload.requisition!.status;
    tally[outcome] = (tally[outcome] ?? 0) + 1;
  }
  return tally;
}

/** A submitted request of the borrower to its neighbour, delivered to the borrower's depot. */
async function submitted(item: Item, quantity: string): Promise<string> {
  // the brief payload: fifty of these precede a race, and the full view of each would only slow the set-up
  const created = ok(
    await call(
      "createRequisition",
      "CreateRequisitionInput",
      {
        requestingRegionId: pair.borrower.id,
        supplyingRegionId: pair.lender.id,
        destinationDepotId: pair.borrower.depot.id,
        priority: "URGENT",
        reason: "李庄段堤防管涌",
        lines: [{ itemId: item.id, quantity }],
      },
      pair.borrower.officer,
    ),
  );
  ok(
    await call(
      "submitRequisition",
      "RequisitionStepInput",
      { requisitionId: created.id },
      pair.borrower.officer,
    ),
  );
  return created.id;
}

const approve = (id: string, extra: Record<string, unknown> = {}, fields = BRIEF) =>
  call(
    "approveRequisition",
    "ApproveRequisitionInput",
    { requisitionId: id, ...extra },
    pair.lender.officer,
    fields,
  );

/** Every lot of an item anywhere in the lender's subtree (its township depot and village points). */
function lenderLots(item: Item) {
  return query<{ id: number; depot: string; on_hand: string; allocated: string; usable: boolean }>(
    svc.database,
    sql`select l.id::int as id, d.code as depot, l.on_hand::text, l.allocated::text,
               (l.condition = 'SERVICEABLE' and (l.expires_on is null or l.expires_on >= '2026-11-24')
                 and l.on_hand > l.allocated) as usable
          from lots l
          join depots d on d.county_id = l.county_id and d.id = l.depot_id
          join items i on i.id = l.item_id
          join region_paths p on p.county_id = d.county_id and p.descendant_id = d.region_id
          join regions r on r.county_id = p.county_id and r.id = p.ancestor_id
         where i.id = ${item.itemId} and r.county_id = ${pair.county.countyId} and r.id = ${pair.lender.regionId}
         order by l.id`,
  );
}

async function lotRow(lotId: number) {
  const [row] = await query<{ on_hand: string; allocated: string; ledger: string }>(
    svc.database,
    sql`select l.on_hand::text, l.allocated::text,
               (select coalesce(sum(m.quantity), 0) from movements m
                 where m.county_id = l.county_id and m.lot_id = l.id)::text as ledger
          from lots l where l.id = ${lotId}`,
  );
  return row!;
}

async function levelOf(depot: Depot, item: Item) {
  const [row] = await query<{
    on_hand: string;
    allocated: string;
    floor: string;
    lots_on_hand: string;
    lots_allocated: string;
  }>(
    svc.database,
    sql`select s.on_hand::text, s.allocated::text, s.reserve_floor::text as floor,
               (select sum(l.on_hand) from lots l where l.county_id = s.county_id and l.depot_id = s.depot_id
                  and l.item_id = s.item_id)::text as lots_on_hand,
               (select sum(l.allocated) from lots l where l.county_id = s.county_id and l.depot_id = s.depot_id
                  and l.item_id = s.item_id)::text as lots_allocated
          from stock_levels s
          join depots d on d.county_id = s.county_id and d.id = s.depot_id
          join items i on i.id = s.item_id
         where d.county_id = ${depot.county.countyId} and d.id = ${depot.depotId} and i.id = ${item.itemId}`,
  );
  return row!;
}

const allocationsOfLot = (lotId: number) =>
  query<{ requisition_id: number; quantity: string; released: boolean }>(
    svc.database,
    sql`select rl.requisition_id::int as requisition_id, a.quantity::text, a.released_at is not null as released
          from allocations a join requisition_lines rl on rl.county_id = a.county_id and rl.id = a.requisition_line_id
         where a.lot_id = ${lotId} order by a.id`,
  );

describe("approvals competing for the lender's last unit", () => {
  /** A generator of the test's own: the lender holds exactly one, at its township depot. */
  async function theOnlyGenerator(): Promise<{ generator: Item; lotId: number }> {
    const generator = await anItemOfOurOwn({ trackingMode: "SERIAL", returnable: true });
    await aLotOf(pair.lender.depot, generator, "1");
    const lots = await lenderLots(generator);
    expect(lots).toEqual([
      {
        id: expect.any(Number),
        depot: pair.lender.depot.code,
        on_hand: "1.000",
        allocated: "0.000",
        usable: true,
      },
    ]);
    return { generator, lotId: lots[0]!.id };
  }

  it("50 concurrent approvals competing for the last generator: exactly one wins, the rest INSUFFICIENT_STOCK", async () => {
    const { generator, lotId } = await theOnlyGenerator();
    // a floor would turn the winner into RESERVE_FLOOR
    expect((await levelOf(pair.lender.depot, generator)).floor).toBe("0.000");
    const requests: string[] = [];
    for (let i = 0; i < 50; i++) requests.push(await submitted(generator, "1"));

    const results = await together(50, (i) => approve(requests[i]!));

    expect(outcomes(results)).toEqual({ APPROVED: 1, INSUFFICIENT_STOCK: 49 });
    const winner = requests[results.findIndex((r) => r.data!.approveRequisition!.userErrors.length === 0)]!;
    expect(await lotRow(lotId)).toMatchObject({ on_hand: "1.000", allocated: "1.000" });
    expect(await levelOf(pair.lender.depot, generator)).toMatchObject({
      on_hand: "1.000",
      allocated: "1.000",
      lots_allocated: "1.000",
    });
    expect(await allocationsOfLot(lotId)).toEqual([
      { requisition_id: dbId(winner), quantity: "1.000", released: false },
    ]);
    // a refusal writes nothing: neither an approval nor a step on the losers' timelines
    const written = await query<{ approvals: number; approvedEvents: number }>(
      svc.database,
      sql`select (select count(*)::int from requisition_approvals where requisition_id in ${requests.map(dbId)}) as approvals,
                 (select count(*)::int from requisition_events where requisition_id in ${requests.map(dbId)}
                    and to_status = 'APPROVED') as "approvedEvents"`,
    );
    expect(written).toEqual([{ approvals: 1, approvedEvents: 1 }]);
  });

  it("cancelling never makes allocated negative: 10 concurrent cancels, one wins, the hold goes back once", async () => {
    const { generator, lotId } = await theOnlyGenerator();
    const { id } = await anApprovedRequisition(between(pair, [{ item: generator, quantity: "1" }]));
    expect(await lotRow(lotId)).toMatchObject({ on_hand: "1.000", allocated: "1.000" });

    const results = await together(10, () =>
      call(
        "cancelRequisition",
        "RequisitionReasonInput",
        { requisitionId: id, reason: "险情解除" },
        pair.borrower.officer,
      ),
    );

    expect(outcomes(results)).toEqual({ CANCELLED: 1, INVALID_TRANSITION: 9 });
    expect(await lotRow(lotId)).toMatchObject({ on_hand: "1.000", allocated: "0.000" });
    expect(await levelOf(pair.lender.depot, generator)).toMatchObject({
      on_hand: "1.000",
      allocated: "0.000",
      lots_allocated: "0.000",
    });
    expect(await allocationsOfLot(lotId)).toEqual([
      { requisition_id: dbId(id), quantity: "1.000", released: true },
    ]);
  });
});

describe("approvals and issues competing for one unit", () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  // Which kind reaches the lot's lock first depends on timing alone; a head start of a few milliseconds makes
  // each order likely, so both "an issue holds the lock, approvals wait" and the reverse are exercised.
  const later = (ms: number) => (ms > 0 ? sleep(ms) : Promise.resolve());
  it.each([
    ["issues 40 ms ahead", 40, 0],
    ["approvals 40 ms ahead", 0, 40],
  ])(
    "25 approvals and 25 issues for the only tent, %s: exactly one wins and the books still add up",
    async (_order, approvalDelay, issueDelay) => {
      // approval allocates from the whole township subtree, so any other usable tent would be a second prize:
      // the tent is the test's own item, and its one lot is at the lender's village point
      const tent = await anItemOfOurOwn({ returnable: true });
      const depot = villagePoint;
      const depotId = depot.id;
      const itemId = tent.id;
      const [lot] = await aLotOf(depot, tent, "1", { expiresOn: "2030-01-01" });
      const lotId = dbId(lot!.id);
      expect((await lenderLots(tent)).map((l) => [l.id, l.depot, l.usable])).toEqual([
        [lotId, depot.code, true],
      ]);
      expect((await levelOf(depot, tent)).floor).toBe("0.000");

      const requests: string[] = [];
      for (let i = 0; i < 25; i++) requests.push(await submitted(tent, "1"));
      const issue = async () => {
        await later(issueDelay);
        return svc.gql<Record<string, { movements: unknown[]; userErrors: UserErrorView[] }>>(
          ISSUE,
          {
            input: {
              depotId,
              itemId,
              quantity: "1",
              purpose: "FLOOD_FIGHTING",
              recipient: "本镇抢险队",
              reason: "安置点搭建",
            },
          },
          depot.keeper,
        );
      };

      const [approvalResults, issueResults] = await Promise.all([
        together(25, (i) => later(approvalDelay).then(() => approve(requests[i]!))),
        together(25, issue),
      ]);

      const approvals = outcomes(approvalResults);
      const issues: Record<string, number> = {};
      for (const res of issueResults) {
        expect(res.errors).toBeUndefined();
        const payload = res.data!.issueStock!;
        const outcome = payload.userErrors.map((e) => e.code).join() || "ISSUED";
        issues[outcome] = (issues[outcome] ?? 0) + 1;
      }
      const won = (approvals.APPROVED ?? 0) + (issues.ISSUED ?? 0);
      const refused = (approvals.INSUFFICIENT_STOCK ?? 0) + (issues.INSUFFICIENT_STOCK ?? 0);
      expect({ won, refused }).toEqual({ won: 1, refused: 49 });

      const after = await lotRow(lotId);
      expect(Number(after.allocated)).toBeLessThanOrEqual(Number(after.on_hand));
      expect(after.on_hand).toBe(after.ledger);
      expect(after).toEqual(
        approvals.APPROVED
          ? { on_hand: "1.000", allocated: "1.000", ledger: "1.000" }
          : { on_hand: "0.000", allocated: "0.000", ledger: "0.000" },
      );
      const level = await levelOf(depot, tent);
      expect(level.on_hand).toBe(level.lots_on_hand);
      expect(level.allocated).toBe(level.lots_allocated);
      expect((await allocationsOfLot(lotId)).length).toBe(approvals.APPROVED ?? 0);
    },
  );
});

describe("custody rule 4 across two depots", () => {
  it("whoever dispatched cannot confirm receipt, even as a keeper of both depots", async () => {
    const both = await aKeeper(pair.lender.depot);
    await aKeeper(pair.borrower.depot, both);
    const jackets = await anItemOfOurOwn({ returnable: true });
    await aLotOf(pair.lender.depot, jackets, "40");

    const id = await submitted(jackets, "2");
    const approved = await step(
      svc,
      "approveRequisition",
      "ApproveRequisitionInput",
      { requisitionId: id },
      pair.lender.officer,
    );
    expect(approved.userErrors).toEqual([]);
    // the dual keeper must keep the depot the stock leaves, or dispatch is refused for another reason
    expect(approved.requisition!.lines[0]!.allocations.map((a) => a.lot.depot.code)).toEqual([
      pair.lender.depot.code,
    ]);
    const dispatched = ok(
      await call(
        "dispatchRequisition",
        "DispatchRequisitionInput",
        {
          requisitionId: id,
          carrier: "城关镇应急运输队",
          vehicle: "豫Q·C2301",
          driverContact: "13900001111",
        },
        both,
      ),
    );
    expect(dispatched.status).toBe("IN_TRANSIT");

    const lineId = approved.requisition!.lines[0]!.id;
    const receive = (as: string) =>
      call(
        "receiveRequisition",
        "ReceiveRequisitionInput",
        { requisitionId: id, lines: [{ lineId, acceptedQuantity: "2" }] },
        as,
      );

    const bySelf = await receive(both);
    expect(bySelf.errors).toBeUndefined();
    expect(bySelf.data!.receiveRequisition).toMatchObject({
      requisition: null,
      userErrors: [{ code: "SELF_RECEIPT", field: ["input", "requisitionId"] }],
    });
    const untouched = (await view(svc, id, pair.county.officer))!;
    expect(untouched.status).toBe("IN_TRANSIT");
    expect(untouched.lines[0]!.acceptedQuantity).toBeNull();
    const byOther = ok(await receive(pair.borrower.depot.keeper));
    // life jackets are lent, so the request waits for their return
    expect(byOther.status).toBe("RECEIVED");
  });
});

describe("idempotency under concurrency", () => {
  it("10 concurrent identical approvals with one key: one approval, one set of allocations, ten equal answers", async () => {
    const lamps = await anItemOfOurOwn();
    await aLotOf(pair.lender.depot, lamps, "38");
    const id = await submitted(lamps, "5");
    const fields = `requisition { ${REQUISITION_FIELDS} createdAt returnDueOn
      approvals { level approvedAt approver { username } } timeline { occurredAt note } }
      userErrors { field message code }`;

    const results = await together(10, () =>
      approve(id, { idempotencyKey: `approve-${id}`, returnDueOn: "2026-12-20" }, fields),
    );

    expect(outcomes(results)).toEqual({ APPROVED: 10 });
    for (const res of results) expect(res.data).toEqual(results[0]!.data);
    const [counts] = await query<{ approvals: number; events: number; lotsHeldTwice: number; held: string }>(
      svc.database,
      sql`select (select count(*)::int from requisition_approvals where requisition_id = ${dbId(id)}) as approvals,
                 (select count(*)::int from requisition_events where requisition_id = ${dbId(id)}
                    and to_status = 'APPROVED') as events,
                 (select count(*)::int - count(distinct a.lot_id)::int from allocations a join requisition_lines rl
                    on rl.county_id = a.county_id and rl.id = a.requisition_line_id
                   where rl.requisition_id = ${dbId(id)}) as "lotsHeldTwice",
                 (select coalesce(sum(a.quantity), 0)::text from allocations a join requisition_lines rl
                    on rl.county_id = a.county_id and rl.id = a.requisition_line_id
                   where rl.requisition_id = ${dbId(id)}) as held`,
    );
    expect(counts).toEqual({ approvals: 1, events: 1, lotsHeldTwice: 0, held: "5.000" });
    // nothing else holds lamps in the lender's subtree, so every held lamp is this request's, held once
    const lampLots = (await lenderLots(lamps)).map((l) => l.id);
    const [subtree] = await query<{ held: string }>(
      svc.database,
      sql`select coalesce(sum(allocated), 0)::text as held from lots where id in ${lampLots}`,
    );
    expect(subtree!.held).toBe("5.000");
    const level = await levelOf(pair.lender.depot, lamps);
    expect(level).toMatchObject({ on_hand: "38.000", allocated: "5.000", lots_allocated: "5.000" });
  });
});
