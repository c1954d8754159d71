import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coldCaches } from "./support/caches.js";
import { type GqlResult, startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";

let svc: TestService;
beforeAll(async () => (svc = await startTestService()));
afterAll(() => svc.stop());

interface DepotPage {
  depots: {
    edges: { cursor: string; node: { id: string; code: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null; startCursor: string | null };
  };
}

const PAGE = `query($first: Int, $after: String, $kind: DepotKind) {
  depots(first: $first, after: $after, kind: $kind) {
    edges { cursor node { id code } }
    pageInfo { hasNextPage endCursor startCursor }
  }
}`;

describe("paging through depots", () => {
  it("walks every depot exactly once, and the last page says there is no next", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const res: GqlResult<DepotPage> = await svc.gql<DepotPage>(PAGE, { first: 7, after });
      expect(res.errors).toBeUndefined();
      const page: DepotPage["depots"] = res.data!.depots;
      seen.push(...page.edges.map((e) => e.node.code));
      if (!page.pageInfo.hasNextPage) {
        expect(page.edges.length).toBeLessThanOrEqual(7);
        break;
      }
      expect(page.edges).toHaveLength(7);
      after = page.pageInfo.endCursor;
    }
    const [{ n }] = (await query<{ n: number }>(
      svc.database,
      sql`select count(*)::int as n from depots`,
    )) as [{ n: number }];
    expect(seen).toHaveLength(n);
    expect(new Set(seen).size).toBe(n);
  });

  it("an empty result has no edges, no cursors and no next page", async () => {
    // a keeper of a township depot keeps no agreement reserve
    const res = await svc.gql<DepotPage>(PAGE, { kind: "AGREEMENT_RESERVE" }, "chengguan.keeper");
    expect(res.data!.depots).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null, startCursor: null },
    });
  });

  it.each([
    ["a cursor that was never given out", { after: "bm90LWEtY3Vyc29y" }, "after"],
    ["a page larger than 100", { first: 101 }, "first"],
    ["a page of zero", { first: 0 }, "first"],
  ])("%s is a clear BAD_USER_INPUT", async (_name, variables, argument) => {
    const res = await svc.gql(PAGE, variables);
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument });
    expect(res.errors?.[0]?.message).toContain(argument);
  });
});

describe("custody scope on reads", () => {
  it("a keeper sees only the depots they keep", async () => {
    const res = await svc.gql<DepotPage>(PAGE, { first: 100 }, "chengguan.keeper");
    const kept = await query<{ code: string }>(
      svc.database,
      sql`select d.code from depots d join depot_keepers k on k.county_id = d.county_id and k.depot_id = d.id
           join users u on u.id = k.user_id where u.username = 'chengguan.keeper' order by d.id`,
    );
    expect(kept.length).toBeGreaterThan(0);
    expect(res.data!.depots.edges.map((e) => e.node.code)).toEqual(kept.map((k) => k.code));
  });

  it("a depot out of scope answers exactly like one that does not exist", async () => {
    const all = await svc.gql<DepotPage>(PAGE, { kind: "COUNTY_WAREHOUSE" });
    const warehouse = all.data!.depots.edges[0]!.node.id;
    const missing = Buffer.from("Depot:1:999999999").toString("base64url");
    const q = "query($id: ID!) { depot(id: $id) { code } node(id: $id) { id } }";
    const outOfScope = await svc.gql(q, { id: warehouse }, "chengguan.keeper");
    const absent = await svc.gql(q, { id: missing }, "chengguan.keeper");
    expect(outOfScope).toEqual(absent);
    expect(outOfScope.data).toEqual({ depot: null, node: null });
    const visible = await svc.gql<{ depot: { code: string } }>(q, { id: warehouse }, "auditor");
    expect(visible.data!.depot.code).toBe(all.data!.depots.edges[0]!.node.code);
  });

  it("a township officer sees depots of the own township and its villages only", async () => {
    const res = await svc.gql<DepotPage>(PAGE, { first: 100 }, "chengguan.officer");
    const expected = await query<{ code: string }>(
      svc.database,
      sql`select d.code from depots d
           join region_paths p on p.county_id = d.county_id and p.descendant_id = d.region_id
           join role_grants g on g.county_id = p.county_id and g.region_id = p.ancestor_id
           join users u on u.id = g.user_id
          where u.username = 'chengguan.officer' order by d.id`,
    );
    expect(expected.length).toBeGreaterThan(1);
    expect(res.data!.depots.edges.map((e) => e.node.code)).toEqual(expected.map((e) => e.code));
  });
});

describe("list resolvers are batched", () => {
  const NESTED = `query($first: Int, $kind: DepotKind) {
    depots(first: $first, kind: $kind) {
      nodes {
        code region { nameZh parent { nameZh } children { nameZh } neighbours { travelMinutes region { nameZh } } }
        keepers { user { username } }
        past: keepers(includePast: true) { from until user { username } }
        handovers { at from { username } stock { item { code } onHand } }
        stock { onHand usable item { nameZh unit { code } } }
      }
    }
  }`;

  async function statementsFor(first: number, kind: string): Promise<{ statements: number; depots: number }> {
    coldCaches(svc.database);
    const before = svc.database.statements();
    const res = await svc.gql<{ depots: { nodes: unknown[] } }>(NESTED, { first, kind });
    expect(res.errors).toBeUndefined();
    return { statements: svc.database.statements() - before, depots: res.data!.depots.nodes.length };
  }

  it("depots(first: 1) and depots(first: 50) with region, keepers and stock run the same number of statements", async () => {
    // village points: every page needs the same rounds (region, parent township, keepers, stock); the catalogue
    // is read once a minute per process, so a first call warms it for both
    await statementsFor(1, "VILLAGE_POINT");
    const one = await statementsFor(1, "VILLAGE_POINT");
    const fifty = await statementsFor(50, "VILLAGE_POINT");
    expect(one.depots).toBe(1);
    expect(fifty.depots).toBeGreaterThan(15);
    expect(fifty.statements).toBe(one.statements);
  });

  it("a page of township depots, whose neighbours are each other, never costs more than a page of one", async () => {
    const one = await statementsFor(1, "TOWNSHIP_DEPOT");
    const all = await statementsFor(50, "TOWNSHIP_DEPOT");
    expect(all.depots).toBeGreaterThanOrEqual(8);
    // the per-request cache may save a round (neighbours already loaded as depot regions), never add one
    expect(all.statements).toBeLessThanOrEqual(one.statements);
  });
});

describe("ledger lists are batched too", () => {
  const MOVEMENTS = `query($first: Int) { movements(first: $first) { nodes {
    kind quantity actor { username } item { nameZh unit { code } } depot { code region { nameZh } }
    lot { lotCode depot { code } } } } }`;
  const LOTS = `query($first: Int) { lots(first: $first) { nodes {
    lotCode onHand item { nameZh } depot { code keepers { user { username } } } stockLevel { usable inTransit } } } }`;

  it.each([
    ["movements", MOVEMENTS],
    ["lots", LOTS],
  ])("%s(first: 1) and (first: 50) run the same number of statements", async (name, q) => {
    const run = async (first: number) => {
      coldCaches(svc.database);
      const before = svc.database.statements();
      const res = await svc.gql<Record<string, { nodes: unknown[] }>>(q, { first }, "auditor");
      expect(res.errors).toBeUndefined();
      expect(res.data![name]!.nodes).toHaveLength(first);
      return svc.database.statements() - before;
    };
    expect(await run(50)).toBe(await run(1));
  });

  it("a page of lots names each lot's depot without a statement more than the page itself", async () => {
    const run = async (fields: string) => {
      const q = `query { lots(first: 50) { nodes { lotCode ${fields} } } }`;
      await svc.gql(q, {}, "auditor"); // warms the viewer, catalogue and region copies: only the page is measured
      const before = svc.database.statements();
      const res = await svc.gql<{ lots: { nodes: { depot?: { code: string } }[] } }>(q, {}, "auditor");
      expect(res.errors).toBeUndefined();
      return { statements: svc.database.statements() - before, nodes: res.data!.lots.nodes };
    };
    const bare = await run("");
    const named = await run("depot { code region { nameZh } }");
    expect(named.nodes).toHaveLength(50);
    expect(named.nodes.every((n) => n.depot && n.depot.code.length > 0)).toBe(true);
    expect(named.statements).toBe(bare.statements);
  });
});

describe("the catalogue and regions", () => {
  it("lists items with their units, and regions as a tree with neighbours", async () => {
    const res = await svc.gql<{
      items: { nodes: { code: string; unit: { scale: number } }[] };
      regions: { nodes: { level: string; children: { level: string }[]; neighbours: unknown[] }[] };
    }>(`{
      items(first: 100) { nodes { code unit { scale } } }
      regions(level: TOWNSHIP, first: 100) { nodes { level children { level } neighbours { travelMinutes } } }
    }`);
    expect(res.errors).toBeUndefined();
    const units = Object.fromEntries(res.data!.items.nodes.map((i) => [i.code, i.unit.scale]));
    expect(units).toMatchObject({ WOVEN_BAG: 0, CEMENT: 3 });
    const townships = res.data!.regions.nodes;
    expect(townships.length).toBeGreaterThanOrEqual(8);
    for (const t of townships) {
      expect(t.children.length).toBeGreaterThanOrEqual(3);
      expect(t.children.every((c) => c.level === "VILLAGE")).toBe(true);
      expect(t.neighbours.length).toBeGreaterThan(0);
    }
  });
});
