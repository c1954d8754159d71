import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aCounty, type Item, type ProvisionedCounty } from "./support/factories.js";
import { aLevelNorm } from "./support/reportFactories.js";
import { startTestService, type TestService } from "./support/service.js";
import { aLotOf } from "./support/stockFactories.js";

// A budget of two readiness questions (4000 each) plus a little, so the third in a minute is refused.
const BUDGET = "9000";

let svc: TestService;
let budgeted: TestService;
/** On each service a county of its own: three townships with their depots, an item stocked and normed in each. */
let county: ProvisionedCounty;
let spent: ProvisionedCounty;
let countyId: string;
let townshipId: string;
let keeper: string;
beforeAll(async () => {
  svc = await startTestService();
  budgeted = await startTestService({ env: { QUERY_BUDGET: BUDGET, QUERY_BUDGET_WINDOW_SECONDS: "600" } });
  const build = async (on: TestService) => {
    const c = await aCounty(on, { townships: 3, items: [{}] });
    const [item] = c.items as [Item];
    await aLevelNorm(c, item, "TOWNSHIP", "100");
    await Promise.all(c.townships.map((t) => aLotOf(t.depot, item, "60")));
    return c;
  };
  [county, spent] = await Promise.all([build(svc), build(budgeted)]);
  countyId = county.id;
  townshipId = county.townships[0]!.id;
  keeper = county.townships[0]!.depot.keeper;
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
    await expectTooComplex(nestedBomb(22), keeper);
    await expectTooComplex(flatBomb(200), county.officer);
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
    await expectTooComplex(query, county.officer);
  });

  it("aliases are capped per operation, even of the cheapest field", async () => {
    const res = await expectTooComplex(
      aliased(31, () => "me { roles }"),
      county.officer,
    );
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ aliases: 31, limit: 30 });
    const under = await post(
      svc,
      aliased(30, () => "me { roles }"),
      county.officer,
    );
    expect(under.status).toBe(200);
    expect(Object.keys(under.body.data as object)).toHaveLength(30);
  });

  it("a keeper aliasing coverage many times is refused, within the alias cap too", async () => {
    const coverage = `coverage(regionId: "${townshipId}") { lines { required onHand } }`;
    await expectTooComplex(
      aliased(800, () => coverage),
      keeper,
    );
    const res = await expectTooComplex(
      aliased(30, () => coverage),
      keeper,
    );
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ limit: 10000 });
    const few = await post(
      svc,
      aliased(4, () => coverage),
      keeper,
    );
    expect(few.status).toBe(200);
    // each alias answers the keeper's township: its norm of 100 and the 60 on hand
    expect(few.body.data).toEqual(
      Object.fromEntries([0, 1, 2, 3].map((i) => [`a${i}`, { lines: [{ required: "100", onHand: "60" }] }])),
    );
  });
});

describe("each viewer has a budget of county-wide questions per window", () => {
  const readiness = () => `{ readiness(regionId: "${spent.id}", first: 1) { nodes { depots staleDepots } } }`;

  it("past the budget: 429 TOO_MANY_REQUESTS with Retry-After; another viewer is unaffected", async () => {
    for (let i = 0; i < 2; i++) {
      const ok = await post(budgeted, readiness(), spent.officer);
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ data: { readiness: { nodes: [{ depots: 3, staleDepots: 3 }] } } });
    }
    const before = budgeted.database.statements();
    const refused = await post(budgeted, readiness(), spent.officer);
    expect(refused.status).toBe(429);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("TOO_MANY_REQUESTS");
    const seconds = Number(refused.retryAfter);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(600);
    expect(refused.body.errors?.[0]?.extensions?.retryAfterSeconds).toBe(seconds);
    expect(budgeted.database.statements() - before).toBeLessThanOrEqual(1);

    // cheap questions still pass for the same viewer, and another viewer has a budget of its own
    expect((await post(budgeted, "{ me { roles } }", spent.officer)).status).toBe(200);
    const other = await post(budgeted, readiness(), spent.auditor);
    expect(other.status).toBe(200);
    expect(other.body).toEqual({ data: { readiness: { nodes: [{ depots: 3, staleDepots: 3 }] } } });
  });
});

describe("the CSV exports are charged to the same budget", () => {
  it("a viewer who keeps downloading the county's coverage is refused with 429 and Retry-After", async () => {
    const base = budgeted.url.replace(/\/graphql$/, "");
    const download = async (as: string) => {
      const res = await fetch(`${base}/export/coverage.csv?regionId=${spent.id}`, {
        headers: { authorization: `Bearer ${await budgeted.token(as)}` },
      });
      return { status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.text() };
    };
    // 1800 each against 9000: five downloads, then the budget is spent
    for (let i = 0; i < 5; i++) {
      const ok = await download(spent.officer2);
      expect(ok.status).toBe(200);
      expect(ok.body).toContain("保障率");
      // a line for each township the item's norm covers: 60 of 100
      expect(ok.body.trim().split("\r\n").slice(1)).toEqual(
        spent.townships.map((t) =>
          expect.stringMatching(
            new RegExp(`^${t.nameZh},${t.divisionCode},乡镇,.*,100,60,60,0,60.00%,不足,0,$`),
          ),
        ),
      );
    }
    const refused = await download(spent.officer2);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.body).toMatch(/too many county-wide questions/);
    // the same window's GraphQL questions are refused too: one budget, whichever door the work comes through
    const question = await budgeted.gql(
      `{ readiness(regionId: "${spent.id}", first: 1) { nodes { depots } } }`,
      {},
      spent.officer2,
    );
    expect(question.status).toBe(429);
  });
});
