import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coldCaches } from "./support/caches.js";
import {
  aCounty,
  aDepot,
  aVillage,
  type Depot,
  type Item,
  type ProvisionedCounty,
} from "./support/factories.js";
import { type GqlResult, startTestService, type TestService } from "./support/service.js";
import { aLotOf } from "./support/stockFactories.js";

let svc: TestService;
/**
 * A county of its own: three townships, each a neighbour of the other two, each with its depot and two villages
 * with a storage point (the second township a third, kept by the first township's keeper); a county warehouse, an
 * agent's store and an agreement reserve. Every village point holds a lot and every township depot two, so a page
 * of any of them needs the same rounds (region, keepers, stock).
 */
let county: ProvisionedCounty;
let townDepots: Depot[];
/** Village points by township, in the order they were made. */
let villagePoints: Depot[][];
let warehouse: Depot;
let bags: Item;
let cement: Item;
/** Every depot of the county. */
let allDepots: Depot[];
/** Lots received in the county (seven village points, three township depots with two), one ledger line each. */
const LOT_COUNT = 13;

beforeAll(async () => {
  svc = await startTestService();
  county = await aCounty(svc, {
    townships: 3,
    neighbours: [
      [0, 1],
      [1, 2],
      [0, 2],
    ],
    countyDepots: ["COUNTY_WAREHOUSE", "AGENT_STORAGE", "AGREEMENT_RESERVE"],
    items: [{}, { unitCode: "tonne" }],
  });
  [bags, cement] = county.items as [Item, Item];
  townDepots = county.townships.map((t) => t.depot);
  [warehouse] = county.depots as [Depot];
  // made side by side: nothing below depends on the order they land in
  const point = async (t: (typeof county.townships)[number]) => aDepot(await aVillage(t));
  villagePoints = await Promise.all(county.townships.map((t) => Promise.all([point(t), point(t)])));
  // the first township's keeper keeps a village point of the second township too
  const shared = await aDepot(await aVillage(county.townships[1]!), { keeper: townDepots[0]!.keeper });
  villagePoints[1]!.push(shared);
  allDepots = [...townDepots, ...county.depots, ...villagePoints.flat()];
  await Promise.all([
    ...villagePoints.flat().map((d) => aLotOf(d, bags, "10")),
    ...townDepots.flatMap((d) => [aLotOf(d, bags, "20"), aLotOf(d, cement, "1.5")]),
  ]);
});
afterAll(() => svc.stop());

const codes = (depots: Depot[]) => depots.map((d) => d.code);

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
      const res: GqlResult<DepotPage> = await svc.gql<DepotPage>(PAGE, { first: 7, after }, county.officer);
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
    // thirteen depots: pages of 7 and 6
    expect(seen.sort()).toEqual(codes(allDepots).sort());
  });

  it("an empty result has no edges, no cursors and no next page", async () => {
    // a keeper of a township depot keeps no agreement reserve
    const res = await svc.gql<DepotPage>(PAGE, { kind: "AGREEMENT_RESERVE" }, townDepots[0]!.keeper);
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
    const res = await svc.gql(PAGE, variables, county.officer);
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument });
    expect(res.errors?.[0]?.message).toContain(argument);
  });
});

describe("custody scope on reads", () => {
  it("a keeper sees only the depots they keep", async () => {
    // the first township's keeper keeps its depot and the second township's third village point
    const keeper = townDepots[0]!.keeper;
    const res = await svc.gql<DepotPage>(PAGE, { first: 100 }, keeper);
    expect(res.data!.depots.edges.map((e) => e.node.code)).toEqual(
      codes([townDepots[0]!, villagePoints[1]![2]!]),
    );
  });

  it("a depot out of scope answers exactly like one that does not exist", async () => {
    const keeper = townDepots[0]!.keeper;
    const missing = Buffer.from(`Depot:${county.countyId}:999999999`).toString("base64url");
    const q = "query($id: ID!) { depot(id: $id) { code } node(id: $id) { id } }";
    const outOfScope = await svc.gql(q, { id: warehouse.id }, keeper);
    const absent = await svc.gql(q, { id: missing }, keeper);
    expect(outOfScope).toEqual(absent);
    expect(outOfScope.data).toEqual({ depot: null, node: null });
    const visible = await svc.gql<{ depot: { code: string } }>(q, { id: warehouse.id }, county.auditor);
    expect(visible.data!.depot.code).toBe(warehouse.code);
  });

  it("a township officer sees depots of the own township and its villages only", async () => {
    const res = await svc.gql<DepotPage>(PAGE, { first: 100 }, county.townships[2]!.officer);
    // the township's depot and its two village points; not its neighbours', not the county's
    // in the order the depots were made, which the world's parallel set-up leaves to chance: compared as sets
    expect(res.data!.depots.edges.map((e) => e.node.code).sort()).toEqual(
      codes([townDepots[2]!, ...villagePoints[2]!]).sort(),
    );
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
    const res = await svc.gql<{ depots: { nodes: unknown[] } }>(NESTED, { first, kind }, county.officer);
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
    expect(fifty.depots).toBe(villagePoints.flat().length);
    expect(fifty.statements).toBe(one.statements);
  });

  it("a page of township depots, whose neighbours are each other, never costs more than a page of one", async () => {
    const one = await statementsFor(1, "TOWNSHIP_DEPOT");
    const all = await statementsFor(50, "TOWNSHIP_DEPOT");
    expect(all.depots).toBe(townDepots.length);
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
  ])(`%s(first: 1) and (first: ${LOT_COUNT}) run the same number of statements`, async (name, q) => {
    const run = async (first: number) => {
      coldCaches(svc.database);
      const before = svc.database.statements();
      const res = await svc.gql<Record<string, { nodes: unknown[] }>>(q, { first }, county.auditor);
      expect(res.errors).toBeUndefined();
      expect(res.data![name]!.nodes).toHaveLength(first);
      return svc.database.statements() - before;
    };
    // every lot of the county and its receipt: ten depots' worth of depot, keeper and item reads
    expect(await run(LOT_COUNT)).toBe(await run(1));
  });

  it("a page of lots names each lot's depot without a statement more than the page itself", async () => {
    const run = async (fields: string) => {
      const q = `query { lots(first: 50) { nodes { lotCode ${fields} } } }`;
      await svc.gql(q, {}, county.auditor); // warms the viewer, catalogue and region copies: only the page is measured
      const before = svc.database.statements();
      const res = await svc.gql<{ lots: { nodes: { depot?: { code: string } }[] } }>(q, {}, county.auditor);
      expect(res.errors).toBeUndefined();
      return { statements: svc.database.statements() - before, nodes: res.data!.lots.nodes };
    };
    const bare = await run("");
    const named = await run("depot { code region { nameZh } }");
    expect(named.nodes.map((n) => n.depot!.code).sort()).toEqual(
      codes([...villagePoints.flat(), ...townDepots, ...townDepots]).sort(),
    );
    expect(named.statements).toBe(bare.statements);
  });
});

describe("the catalogue and regions", () => {
  it("lists items with their units, and regions as a tree with neighbours", async () => {
    const res = await svc.gql<{
      items: { nodes: { code: string; unit: { scale: number } }[] };
      regions: { nodes: { level: string; children: { level: string }[]; neighbours: unknown[] }[] };
    }>(
      `{
      items(first: 100) { nodes { code unit { scale } } }
      regions(level: TOWNSHIP, first: 100) { nodes { level children { level } neighbours { travelMinutes } } }
    }`,
      {},
      county.officer,
    );
    expect(res.errors).toBeUndefined();
    const units = Object.fromEntries(res.data!.items.nodes.map((i) => [i.code, i.unit.scale]));
    expect(units).toMatchObject({ [bags.code]: 0, [cement.code]: 3 });
    // the county's three townships, each with its villages and its two neighbours
    const townships = res.data!.regions.nodes;
    expect(townships.map((t) => t.children.length)).toEqual(villagePoints.map((points) => points.length));
    for (const t of townships) {
      expect(t.children.every((c) => c.level === "VILLAGE")).toBe(true);
      expect(t.neighbours).toEqual([{ travelMinutes: 30 }, { travelMinutes: 30 }]);
    }
  });
});
