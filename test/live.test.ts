import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { inTransaction } from "../src/app/deps.js";
import { announce } from "../src/app/events.js";
import { expectCountyKey } from "../src/graphql/ids.js";
import { aCounty, aPerson } from "./support/factories.js";
import { aSubscriber, closeCodeFor, settle, type Subscriber } from "./support/live.js";
import { peopleHelpers } from "./support/people.js";
import {
  aDispatchedRequisition,
  aReceivedRequisition,
  aStockedItem,
  aSubmittedRequisition,
  between,
  type LendingPair,
} from "./support/requisitionFactories.js";
import { step } from "./support/requisitions.js";
import { startTestService, type TestService } from "./support/service.js";

// Live notifications (issue 18): GraphQL subscriptions over WebSocket on the service's own /graphql.
const TODAY = new Date("2026-11-24T02:00:00Z");
let now = TODAY;
let svc: TestService;
const open: Subscriber[] = [];

beforeAll(async () => {
  svc = await startTestService({
    clock: () => now,
    // the overdue check runs when a test says so; a disabled user is seen at once
    env: { LOAN_OVERDUE_CHECK_SECONDS: "0", ACTOR_CACHE_SECONDS: "0" },
  });
});
beforeEach(() => {
  now = TODAY;
});
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await svc?.stop();
});

/** `username` listening for notifications on svc, until the file ends. */
async function listening(username: string, service = svc): Promise<Subscriber> {
  const s = await aSubscriber(service.url, await service.token(username), service.live.openSubscriptions);
  open.push(s);
  return s;
}

/** Two neighbouring townships, one lending and one borrowing, and a third township of the same county. */
async function twoNeighboursAndAThird() {
  const county = await aCounty(svc, { townships: 3, neighbours: [[0, 1]] });
  const [lender, borrower, third] = county.townships as [
    LendingPair["lender"],
    LendingPair["borrower"],
    LendingPair["lender"],
  ];
  return { pair: { county, lender, borrower } satisfies LendingPair, third };
}

const receive = (id: string, lines: Record<string, unknown>[], as: string) =>
  step(svc, "receiveRequisition", "ReceiveRequisitionInput", { requisitionId: id, lines }, as);

describe("who hears what", () => {
  it("the supplier hears of a new request, the requester of approval, dispatch and receipt; a third township hears nothing", async () => {
    const { pair, third } = await twoNeighboursAndAThird(); // given
    const bags = await aStockedItem(pair, "100");
    const supplier = await listening(pair.lender.officer);
    const requester = await listening(pair.borrower.officer);
    const outsider = await listening(third.officer);

    const r = await aReceivedRequisition(between(pair, [{ item: bags, quantity: "5" }]), pair.lender.depot); // when

    await supplier.hears("SUBMITTED", r.id); // then
    const received = await requester.hears("RECEIVED", r.id);
    expect(requester.kindsAbout(r.id)).toEqual(["APPROVED", "DISPATCHED", "RECEIVED"]);
    expect(received.requisition).toEqual({ id: r.id, status: "CLOSED" });
    await supplier.hears("RECEIVED", r.id);
    // the supplier's keeper dispatches what was approved; the requester is not told of its own request
    expect(supplier.kindsAbout(r.id)).toEqual(["SUBMITTED", "APPROVED", "RECEIVED"]);
    await settle();
    expect(outsider.heard).toEqual([]);
    expect(outsider.errors).toEqual([]);
  });

  it("a discrepancy reaches both sides and the county", async () => {
    const { pair } = await twoNeighboursAndAThird(); // given
    const bags = await aStockedItem(pair, "100");
    const sent = await aDispatchedRequisition(
      between(pair, [{ item: bags, quantity: "5" }]),
      pair.lender.depot,
    );
    const sides = [
      await listening(pair.lender.officer),
      await listening(pair.borrower.officer),
      await listening(pair.county.officer),
    ];

    const res = await receive(
      sent.id,
      [{ lineId: sent.lineOf(bags), acceptedQuantity: "3", missingQuantity: "2", missingReason: "途中散失" }],
      pair.borrower.depot.keeper,
    ); // when

    expect(res.userErrors).toEqual([]); // then
    for (const side of sides) await side.hears("DISCREPANCY", sent.id);
    const [lender, borrower, county] = sides.map((side) => side.kindsAbout(sent.id));
    expect({ lender, borrower, county }).toEqual({
      lender: ["RECEIVED", "DISCREPANCY"],
      borrower: ["RECEIVED", "DISCREPANCY"],
      county: ["DISCREPANCY"],
    });
  });

  it("an overdue loan is told once, to both sides and the county", async () => {
    const { pair } = await twoNeighboursAndAThird(); // given
    const jackets = await aStockedItem(pair, "40", { returnable: true });
    const lent = await aReceivedRequisition(
      between(pair, [{ item: jackets, quantity: "10" }]),
      pair.lender.depot,
      { input: { returnDueOn: "2026-12-01" } },
    );
    const sides = [
      await listening(pair.lender.officer),
      await listening(pair.borrower.officer),
      await listening(pair.county.officer),
    ];
    expect(await svc.live.checkOverdueLoans()).toBe(0); // due on 12-01, and today is 11-24

    now = new Date("2026-12-02T02:00:00Z"); // when: the due day has passed
    const told = await svc.live.checkOverdueLoans();
    const again = await svc.live.checkOverdueLoans();

    expect(told).toBeGreaterThanOrEqual(1); // then (the demo county's loans may be told too)
    expect(again).toBe(0);
    for (const side of sides) await side.hears("LOAN_OVERDUE", lent.id);
    await settle();
    for (const side of sides) expect(side.kindsAbout(lent.id)).toEqual(["LOAN_OVERDUE"]);
  });
});

describe("what tells no one", () => {
  it("a refused command and a rolled-back transaction tell no one; the next committed step is heard", async () => {
    const { pair } = await twoNeighboursAndAThird(); // given
    const bags = await aStockedItem(pair, "100");
    const r = await aSubmittedRequisition(between(pair, [{ item: bags, quantity: "5" }]));
    const requester = await listening(pair.borrower.officer);
    const key = expectCountyKey(r.id, "Requisition", "id");

    const again = await step(
      svc,
      "submitRequisition",
      "RequisitionStepInput",
      { requisitionId: r.id },
      pair.borrower.officer,
    ); // when
    const tooMuch = await step(
      svc,
      "approveRequisition",
      "ApproveRequisitionInput",
      { requisitionId: r.id, lines: [{ lineId: r.lineOf(bags), approvedQuantity: "6" }] },
      pair.lender.officer,
    );
    const undone = inTransaction(svc.deps, async (tx) => {
      await announce(tx, "APPROVED", key, now);
      throw new Error("undone after the NOTIFY");
    });
    await expect(undone).rejects.toThrow("undone after the NOTIFY");
    const rejected = await step(
      svc,
      "rejectRequisition",
      "RequisitionReasonInput",
      { requisitionId: r.id, reason: "库存不足" },
      pair.lender.officer,
    );

    expect(again.userErrors.map((e) => e.code)).toEqual(["INVALID_TRANSITION"]); // then
    expect(tooMuch.userErrors.map((e) => e.code)).toEqual(["INVALID_QUANTITY"]);
    expect(rejected.userErrors).toEqual([]);
    await requester.hears("REJECTED", r.id);
    expect(requester.kindsAbout(r.id)).toEqual(["REJECTED"]);
  });

  it("a disabled person hears nothing more, while a colleague at their office goes on hearing", async () => {
    const { pair } = await twoNeighboursAndAThird(); // given
    const bags = await aStockedItem(pair, "100");
    const office = await listening(pair.lender.officer);
    const colleague = await listening(await aPerson(pair.county, "TOWNSHIP_OFFICER", pair.lender));
    const first = await aSubmittedRequisition(between(pair, [{ item: bags, quantity: "5" }]));
    await office.hears("SUBMITTED", first.id);
    const people = peopleHelpers(svc);
    const disabled = await people.run(
      `mutation($i: DisableUserInput!) { disableUser(input: $i) { userErrors { code } } }`,
      { userId: await people.idOf(pair.lender.officer), reason: "调离" },
      pair.county.admin,
    );
    expect(disabled.data.disableUser!.userErrors).toEqual([]);

    const second = await aSubmittedRequisition(between(pair, [{ item: bags, quantity: "5" }])); // when

    await colleague.hears("SUBMITTED", second.id); // then
    await settle();
    expect(office.kindsAbout(second.id)).toEqual([]);
  });
});

describe("the WebSocket itself", () => {
  it("no token, a token that is none, one of nobody and an expired one are each refused with 4403", async () => {
    const county = await aCounty(svc); // given
    const refusals = [
      {},
      { authorization: "Bearer not-a-token" },
      { authorization: `Bearer ${await svc.token("nobody.at.all")}` },
      { authorization: `Bearer ${await svc.token(county.officer, { expiresIn: "-1m" })}` },
    ];

    const codes = await Promise.all(refusals.map((params) => closeCodeFor(svc.url, params))); // when

    expect(codes).toEqual([4403, 4403, 4403, 4403]); // then
    // and the same person with a valid token is let in
    const welcome = await listening(county.officer);
    expect(welcome.errors).toEqual([]);
  });

  it("serves subscriptions only, within the limits HTTP applies", async () => {
    const county = await aCounty(svc);
    const token = await svc.token(county.officer);
    const query = await aSubscriber(svc.url, token, () => -1, "{ me { roles } }");
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: kind`).join(" ");
    const tooMany = await aSubscriber(
      svc.url,
      token,
      () => -1,
      `subscription { requisitionNotifications { ${aliases} } }`,
    );
    const unknown = await aSubscriber(svc.url, token, () => -1, `subscription { nothingHere }`);
    open.push(query, tooMany, unknown);

    expect(query.errors.map((e) => e.extensions?.code)).toEqual(["OPERATION_NOT_SUPPORTED"]);
    expect(tooMany.errors.map((e) => e.extensions?.code)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(unknown.errors.map((e) => e.extensions?.code)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
  });

  it("a service that stops closes its sockets with 1001 (going away)", async () => {
    const other = await startTestService({ env: { LOAN_OVERDUE_CHECK_SECONDS: "0" } });
    const county = await aCounty(other);
    const s = await listening(county.officer, other);

    await other.stop();

    expect(await s.closed).toBe(1001);
  });
});
