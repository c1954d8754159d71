import { readFileSync } from "node:fs";
import fc from "fast-check";
import { buildSchema, parse, validate } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toGlobalId } from "../src/graphql/ids.js";
import { aCompiledWorld, askBoth, type CompiledWorld } from "./support/compiledWorld.js";
import { type Candidates, render, selectionArbs, type SelectionOptions } from "./support/randomSelections.js";

// test/compiledReads.test.ts holds fixed questions equal between the compiled read path and the resolvers; this
// holds random ones equal: any selection a client may send over the compiled roots, known fields and fallbacks,
// fragments and aliases, asked as a few random roles, answers byte for byte what the resolvers answer.
const NOW = new Date("2026-11-24T02:00:00Z");
const ROOTS = ["lots", "expiringLots", "requisition", "depots", "movements"] as const;
const schema = buildSchema(readFileSync(new URL("../schema.graphql", import.meta.url), "utf8"));
let world: CompiledWorld;
let candidates: Candidates;

beforeAll(async () => {
  world = await aCompiledWorld(NOW);
  candidates = await candidatesIn(world);
}, 120_000);
afterAll(() => world?.stop());

type Edges = { edges: { cursor: string; node?: { id: string } }[] };

/** Argument values worth asking: the world's own ids, cursors the lists gave out, days around today, a few mistakes. */
async function candidatesIn(w: CompiledWorld): Promise<Candidates> {
  const { pair, other } = w;
  const res = await w.twin.gql<{ lots: Edges; depots: Edges; movements: Edges; expiringLots: Edges }>(
    `query($r: ID!) { lots(first: 100) { edges { cursor node { id } } } depots(first: 100) { edges { cursor } }
      movements(first: 100) { edges { cursor } } expiringLots(regionId: $r, within: 365, first: 100) { edges { cursor } } }`,
    { r: pair.county.id },
    pair.county.officer,
  );
  expect(res.errors).toBeUndefined();
  const cursors = (e: Edges) => e.edges.map((x) => x.cursor);
  const data = res.data!;
  // a cursor this list never gave out (another list's, or none at all): refused alike
  const stranger = (kind: Edges) => cursors(kind).slice(0, 1);
  const first = [...Array.from({ length: 20 }, (_, i) => i + 1), 101];
  const days = ["2026-11-24", "2026-12-05", "2027-03-01", "2026-01-10", "2026-02-30"];
  const depots = [pair.lender.depot.id, pair.borrower.depot.id, other.townships[0]!.depot.id];
  const items = [...pair.county.items.map((i) => i.id), other.items[0]!.id];
  const regions = [pair.county.id, pair.lender.id, pair.borrower.id, other.id];
  const instants = ["2026-01-01T00:00:00.000Z", "2026-11-24T00:00:00.000Z", "2027-01-01T00:00:00.000Z"];
  return {
    "Query.lots": {
      depotId: depots,
      itemId: items,
      expiringBefore: ["2026-12-05", "2027-01-01"],
      first,
      after: [...cursors(data.lots), ...stranger(data.expiringLots)],
    },
    "Query.expiringLots": {
      regionId: regions,
      within: [30, 7, 1, 60, 365, 0],
      asOf: days,
      first,
      after: [...cursors(data.expiringLots), ...stranger(data.lots)],
    },
    "Query.depots": { regionId: regions, first, after: [...cursors(data.depots), "bm9uZQ"] },
    "Query.movements": {
      depotId: depots,
      itemId: items,
      lotId: data.lots.edges.map((e) => e.node!.id),
      from: instants,
      to: instants,
      first,
      after: [...cursors(data.movements), "bm9uZQ"],
    },
    "Query.requisition": {
      id: [
        w.requisitionId,
        w.receivedId,
        toGlobalId("Requisition", { countyId: pair.county.countyId, id: 999_999 }),
      ],
    },
    "Lot.stockLevel": { asOf: days },
    "Depot.stock": { asOf: days },
    "Depot.keepers": { asOf: ["2026-06-01T00:00:00.000Z"], includePast: [false, true] },
  };
}

describe("compiled reads answer what the resolvers answer, for any selection", () => {
  it("random selections over the compiled roots, asked as random roles, answer byte for byte alike", async () => {
    const options: SelectionOptions = { schema, candidates, maxDepth: 4 };
    const { rootArb } = selectionArbs(options);
    const roots = fc.array(fc.oneof(...ROOTS.map(rootArb)), { minLength: 1, maxLength: 2 });
    const roles = fc.shuffledSubarray(Object.keys(world.roles), { minLength: 2, maxLength: 3 });
    const tally = { cases: 0, asks: 0, compiled: 0, errors: 0 };
    await fc.assert(
      fc.asyncProperty(roots, roles, async (asked, as) => {
        const { query, variables } = render(options, asked);
        // a selection the schema refuses would be refused alike and prove nothing
        expect(validate(schema, parse(query)), query).toEqual([]);
        tally.cases += 1;
        for (const role of as) {
          const { compiled, resolved, answeredCompiled } = await askBoth(
            world,
            query,
            variables,
            world.roles[role]!,
          );
          const where = `as ${role}:\n${query}\n${JSON.stringify(variables)}`;
          expect(compiled.errors, where).toEqual(resolved.errors);
          expect(compiled.status, where).toBe(resolved.status);
          expect(JSON.stringify(compiled.data), where).toBe(JSON.stringify(resolved.data));
          tally.asks += 1;
          tally.compiled += answeredCompiled;
          if (compiled.errors) tally.errors += 1;
        }
      }),
      // a failure still shrinks, but never for longer than the test may run
      { numRuns: 50, plugins: [fc.interruptAfterTimeLimit(240_000, { failOnInterrupt: true })] },
    );
    const share = `${tally.cases} cases, ${tally.asks} asks: ${tally.compiled} compiled, ${tally.errors} refused alike`;
    // the compiler answered a good share itself: equality with the compiler never used would prove nothing
    expect(tally.compiled / tally.asks, share).toBeGreaterThan(0.5);
    // and most questions were answered, not refused alike
    expect(tally.errors / tally.asks, share).toBeLessThan(0.35);
  }, 300_000);
});
