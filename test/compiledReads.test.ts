import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCounty, type ProvisionedCounty } from "./support/factories.js";
import {
  aDispatchedRequisition,
  aLendingPair,
  between,
  type LendingPair,
} from "./support/requisitionFactories.js";
import { resolverTwin, startTestService, type TestService } from "./support/service.js";
import { aLotOf } from "./support/stockFactories.js";

// The hot questions are answered by compiled SQL (src/graphql/compiled); the same service with COMPILED_READS=false
// answers them through the resolvers. Every answer, for every role, must be the same, nulls and empty pages for
// what is out of scope included, and the compiled one must cost one statement per root field.
const NOW = new Date("2026-11-24T02:00:00Z");
const METRICS_TOKEN = "metrics-token-for-compiled-reads";
let svc: TestService;
let twin: Awaited<ReturnType<typeof resolverTwin>>;
let pair: LendingPair;
let other: ProvisionedCounty;
let requisitionId: string;

beforeAll(async () => {
  svc = await startTestService({ clock: () => NOW, env: { METRICS_TOKEN } });
  twin = await resolverTwin(svc, { clock: () => NOW });
  pair = await aLendingPair(svc, { items: [{ returnable: true, unitCode: "tonne" }, {}] });
  const [jackets, bags] = pair.county.items;
  await aLotOf(pair.lender.depot, jackets!, "40", { expiresOn: "2026-12-10" });
  await aLotOf(pair.lender.depot, jackets!, "12.5", { expiresOn: "2026-12-01" });
  await aLotOf(pair.lender.depot, bags!, "300");
  await aLotOf(pair.borrower.depot, bags!, "7", { expiresOn: "2026-12-20" });
  const sent = await aDispatchedRequisition(
    between(pair, [
      { item: jackets!, quantity: "45" },
      { item: bags!, quantity: "20" },
    ]),
    pair.lender.depot,
  );
  requisitionId = sent.id;
  other = await aCounty(svc, { townships: 1, items: [{}] });
  await aLotOf(other.townships[0]!.depot, other.items[0]!, "5", { expiresOn: "2026-12-05" });
}, 120_000);
afterAll(async () => {
  await twin?.stop();
  await svc?.stop();
});

const QUESTIONS: Record<
  string,
  { query: string; variables: () => Record<string, unknown>; resolvers?: boolean; refused?: boolean }
> = {
  stockPage: {
    query: `query($d: ID!) { lots(depotId: $d, first: 2) {
      nodes { id lotCode onHand allocated condition receivedOn expiresOn serialNumber
        item { id code nameZh } stockLevel { inTransit usable onHand allocated reserveFloor } depot { code } }
      pageInfo { hasNextPage endCursor } } }`,
    variables: () => ({ d: pair.lender.depot.id }),
  },
  stockPageAfter: {
    query: `query($d: ID!, $after: String) { page: lots(depotId: $d, first: 1, after: $after) {
      edges { cursor node { lotCode ...L } } pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } }
      fragment L on Lot { onHand stockLevel(asOf: "2026-12-05") { expired usable } }`,
    variables: () => ({ d: pair.lender.depot.id, after: Buffer.from("cursor:v1:1").toString("base64url") }),
  },
  expiring: {
    query: `query($r: ID!) { expiringLots(regionId: $r, within: 30, first: 100) {
      nodes { daysToExpiry bucket lot { lotCode onHand expiresOn depot { code region { nameZh divisionCode } } } }
      edges { cursor } pageInfo { hasNextPage } } }`,
    variables: () => ({ r: pair.county.id }),
  },
  requisition: {
    query: `query($id: ID!) { requisition(id: $id) { id status priority createdAt dispatchedAt
      lines { id item { code } requestedQuantity approvedQuantity dispatchedQuantity
        allocations { quantity status lot { lotCode expiresOn } } }
      approvals { level note approvedAt approver { id username displayName disabled } }
      movements { kind quantity occurredAt } timeline { fromStatus toStatus note occurredAt actor { username } } } }`,
    variables: () => ({ id: requisitionId }),
  },
  // the benchmark's Q5: every field compiled
  requisitionLedger: {
    query: `query($id: ID!) { requisition(id: $id) { status
      lines { item { code } requestedQuantity approvedQuantity allocations { quantity lot { lotCode } } }
      approvals { level } movements { kind quantity } } }`,
    variables: () => ({ id: requisitionId }),
  },
  depots: {
    query: `{ depots(first: 10) { nodes { id code kind nameZh latitude closedAt region { level nameZh }
      stock { item { code } usable } } } }`,
    variables: () => ({}),
  },
  // every item a depot holds, expects or keeps a floor of, judged on a chosen day
  depotStock: {
    query: `{ depots(first: 10) { nodes { code stock(asOf: "2026-12-05") { item { code nameZh }
      onHand allocated inTransit quarantined damaged expired usable reserveFloor } } } }`,
    variables: () => ({}),
  },
  lotStockItem: {
    query: `query($d: ID!) { lots(depotId: $d, first: 3) { nodes { lotCode stockLevel { item { code } usable } } } }`,
    variables: () => ({ d: pair.borrower.depot.id }),
  },
  ledger: {
    query: `{ movements(first: 5) { nodes { id kind quantity occurredAt recordedAt reason reference source
      } pageInfo { hasNextPage } } }`,
    variables: () => ({}),
  },
  ledgerWithLots: {
    query: `{ movements(first: 5) { nodes { kind lot { lotCode } } } }`,
    variables: () => ({}),
  },
  two: {
    query: `query($d: ID!) { a: lots(depotId: $d, first: 1) { nodes { lotCode } } me { user { username } } }`,
    variables: () => ({ d: pair.lender.depot.id }),
  },
  // the resolvers answer these: a directive makes the shape depend on variables, a page size they refuse
  directive: {
    query: `query($d: ID!, $all: Boolean!) { lots(depotId: $d) { nodes { lotCode onHand @include(if: $all) } } }`,
    variables: () => ({ d: pair.lender.depot.id, all: false }),
    resolvers: true,
  },
  refused: {
    query: `query($d: ID!) { lots(depotId: $d, first: 500) { nodes { lotCode } } }`,
    variables: () => ({ d: pair.lender.depot.id }),
    resolvers: true,
    refused: true,
  },
};

/** How many operations the compiled path answered itself, and how many it handed to the resolvers. */
async function outcomes(): Promise<{ compiled: number; resolvers: number }> {
  const res = await fetch(svc.url.replace(/\/graphql$/, "/metrics"), {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const text = await res.text();
  const count = (outcome: string) => {
    const series = `graphql_compiled_answers_total{outcome="${outcome}"} `;
    const line = text.split("\n").find((l) => l.startsWith(series));
    return line ? Number(line.slice(series.length)) : 0;
  };
  return { compiled: count("compiled"), resolvers: count("resolvers") };
}

describe("compiled reads answer what the resolvers answer", () => {
  const roles = () => ({
    "county officer": pair.county.officer,
    auditor: pair.county.auditor,
    "lender's office": pair.lender.officer,
    "borrower's office": pair.borrower.officer,
    "lender's keeper": pair.lender.depot.keeper,
    "borrower's keeper": pair.borrower.depot.keeper,
    "another county's officer": other.officer,
  });
  for (const [name, q] of Object.entries(QUESTIONS)) {
    it(`${name}, for every role`, async () => {
      for (const [role, as] of Object.entries(roles())) {
        const before = await outcomes();
        const compiled = await svc.gql(q.query, q.variables(), as);
        const after = await outcomes();
        const resolved = await twin.gql(q.query, q.variables(), as);
        expect({ role, errors: compiled.errors === undefined }).toEqual({ role, errors: !q.refused });
        expect({ role, ...compiled }).toEqual({ role, ...resolved });
        expect(JSON.stringify(compiled.data)).toBe(JSON.stringify(resolved.data));
        // the answer came from compiled SQL, not from a silent hand-over to the resolvers (or the other way round)
        expect({ role, compiled: after.compiled - before.compiled }).toEqual({
          role,
          compiled: q.resolvers ? 0 : 1,
        });
      }
    });
  }

  it("answers a stock page, expiring lots, a requisition, depots with stock and the ledger in one statement each, whatever the page size", async () => {
    const as = pair.county.officer;
    for (const name of ["stockPage", "expiring", "requisition", "depotStock", "ledger"]) {
      const q = QUESTIONS[name]!;
      await svc.gql(q.query, q.variables(), as); // the viewer and the catalogue are read once, then remembered
      const before = svc.database.statements();
      const res = await svc.gql(q.query, q.variables(), as);
      expect(res.errors).toBeUndefined();
      expect({ name, statements: svc.database.statements() - before }).toEqual({ name, statements: 1 });
    }
    const small = `query($d: ID!) { lots(depotId: $d, first: 1) { nodes { lotCode item { code } stockLevel { inTransit } } } }`;
    const large = small.replace("first: 1", "first: 50");
    const d = { d: pair.lender.depot.id };
    const counts: number[] = [];
    for (const query of [small, large]) {
      await svc.gql(query, d, as);
      const before = svc.database.statements();
      const res = await svc.gql(query, d, as);
      expect(res.errors).toBeUndefined();
      counts.push(svc.database.statements() - before);
    }
    expect(counts).toEqual([1, 1]);
  });
});
