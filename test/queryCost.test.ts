import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "./support/service.js";

// A budget of two readiness questions (4000 each) plus a little, so the third in a minute is refused.
const BUDGET = "9000";

let svc: TestService;
let budgeted: TestService;
let countyId: string;
let townshipId: string;
beforeAll(async () => {
  svc = await startTestService();
  budgeted = await startTestService({ env: { QUERY_BUDGET: BUDGET, QUERY_BUDGET_WINDOW_SECONDS: "600" } });
  const county = await svc.gql<{ regions: { nodes: { id: string }[] } }>(
    "{ regions(level: COUNTY) { nodes { id } } }",
  );
  countyId = county.data!.regions.nodes[0]!.id;
  const towns = await svc.gql<{ regions: { nodes: { id: string }[] } }>(
    "{ regions(level: TOWNSHIP, first: 1) { nodes { id } } }",
  );
  townshipId = towns.data!.regions.nodes[0]!.id;
});
afterAll(async () => {
  await svc.stop();
  await budgeted.stop();
});

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(on: TestService, query: string, as: string | null, variables = {}): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (as) headers.authorization = `Bearer ${await on.token(as)}`;
  const res = await fetch(on.url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    body: (await res.json()) as never,
  };
}

/** Refused as too complex, and no resolver ran: at most the viewer was looked up. */
async function expectTooComplex(query: string, as: string | null, on = svc): Promise<Answer> {
  const before = on.database.statements();
  const res = await post(on, query, as);
  expect(res.status).toBe(400);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors?.[0]?.extensions?.code).toBe("QUERY_TOO_COMPLEX");
  expect(on.database.statements() - before).toBeLessThanOrEqual(1);
  return res;
}

/** Each fragment selects the one before it twice, under a parent and under the children. */
function nestedBomb(fragments: number): string {
  const defs = ["fragment F0 on Region { nameZh }"];
  for (let i = 1; i < fragments; i++) {
    defs.push(`fragment F${i} on Region { parent { ...F${i - 1} } children { ...F${i - 1} } }`);
  }
  return `{ region(id: "x") { ...F${fragments - 1} } }\n${defs.join("\n")}`;
}

/** Each fragment spreads the one before twice side by side: wide rather than deep. */
function flatBomb(fragments: number): string {
  const defs = ["fragment F0 on Query { me { roles } }"];
  for (let i = 1; i < fragments; i++) defs.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
  return `{ ...F${fragments - 1} }\n${defs.join("\n")}`;
}

const aliased = (n: number, field: (i: number) => string) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field(i)}`).join(" ")} }`;

describe("a document of fragments that multiply is refused before anything walks it", () => {
  it("200 nested fragments, sent anonymously: QUERY_TOO_COMPLEX", async () => {
    const res = await expectTooComplex(nestedBomb(200), null);
    expect(res.body.errors?.[0]?.message).toMatch(/fields, more than the limit of 2000/);
  });

  it("22 nested fragments, and 200 side by side, from a signed-in viewer: QUERY_TOO_COMPLEX", async () => {
    await expectTooComplex(nestedBomb(22), "chengguan.keeper");
    await expectTooComplex(flatBomb(200), "county.officer");
  });

  it("a few fragments reused stay an ordinary question", async () => {
    const res = await post(
      svc,
      `${nestedBomb(4)}`.replace('region(id: "x")', "regions(first: 2) { nodes"),
      null,
    );
    // the anonymous caller is refused by the resolver, not by the limits
    expect(res.body.errors?.[0]?.extensions?.code).not.toBe("QUERY_TOO_COMPLEX");
  });
});

describe("county-wide questions are priced by the work they do", () => {
  it("200 aliases of readiness(first: 1) are refused", async () => {
    const query = aliased(
      200,
      () => `readiness(regionId: "${countyId}", first: 1) { nodes { depots staleDepots } }`,
    );
    await expectTooComplex(query, "county.officer");
  });

  it("aliases are capped per operation, even of the cheapest field", async () => {
    const res = await expectTooComplex(
      aliased(31, () => "me { roles }"),
      "county.officer",
    );
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ aliases: 31, limit: 30 });
    const under = await post(
      svc,
      aliased(30, () => "me { roles }"),
      "county.officer",
    );
    expect(under.status).toBe(200);
    expect(Object.keys(under.body.data as object)).toHaveLength(30);
  });

  it("a keeper aliasing coverage many times is refused, within the alias cap too", async () => {
    const coverage = `coverage(regionId: "${townshipId}") { lines { onHand } }`;
    await expectTooComplex(
      aliased(800, () => coverage),
      "chengguan.keeper",
    );
    const res = await expectTooComplex(
      aliased(30, () => coverage),
      "chengguan.keeper",
    );
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ limit: 10000 });
    const few = await post(
      svc,
      aliased(4, () => coverage),
      "chengguan.keeper",
    );
    expect(few.status).toBe(200);
  });
});

describe("each viewer has a budget of county-wide questions per window", () => {
  const readiness = () => `{ readiness(regionId: "${countyId}", first: 1) { nodes { depots staleDepots } } }`;

  it("past the budget: 429 TOO_MANY_REQUESTS with Retry-After; another viewer is unaffected", async () => {
    for (let i = 0; i < 2; i++) {
      const ok = await post(budgeted, readiness(), "county.officer");
      expect(ok.status).toBe(200);
      expect(ok.body.errors).toBeUndefined();
    }
    const before = budgeted.database.statements();
    const refused = await post(budgeted, readiness(), "county.officer");
    expect(refused.status).toBe(429);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("TOO_MANY_REQUESTS");
    const seconds = Number(refused.retryAfter);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(600);
    expect(refused.body.errors?.[0]?.extensions?.retryAfterSeconds).toBe(seconds);
    expect(budgeted.database.statements() - before).toBeLessThanOrEqual(1);

    // cheap questions still pass for the same viewer, and another viewer has a budget of its own
    expect((await post(budgeted, "{ me { roles } }", "county.officer")).status).toBe(200);
    const other = await post(budgeted, readiness(), "auditor");
    expect(other.status).toBe(200);
    expect(other.body.errors).toBeUndefined();
  });
});

describe("the CSV exports are charged to the same budget", () => {
  it("a viewer who keeps downloading the county's coverage is refused with 429 and Retry-After", async () => {
    const base = budgeted.url.replace(/\/graphql$/, "");
    const download = async (as: string) => {
      const res = await fetch(`${base}/export/coverage.csv?regionId=${countyId}`, {
        headers: { authorization: `Bearer ${await budgeted.token(as)}` },
      });
      return { status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.text() };
    };
    // 1800 each against 9000: five downloads, then the budget is spent
    for (let i = 0; i < 5; i++) {
      const ok = await download("county.officer2");
      expect(ok.status).toBe(200);
      expect(ok.body).toContain("保障率");
    }
    const refused = await download("county.officer2");
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.body).toMatch(/too many county-wide questions/);
    // the same window's GraphQL questions are refused too: one budget, whichever door the work comes through
    const question = await budgeted.gql(
      `{ readiness(regionId: "${countyId}", first: 1) { nodes { depots } } }`,
      {},
      "county.officer2",
    );
    expect(question.status).toBe(429);
  });
});
