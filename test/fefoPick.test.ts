// The pick an issue and a transfer work out in the statement that locks the lots (pickDepotItemLots) against the
// domain's pickFefo, its specification, over random lots: every condition, expiries past, today, later and never,
// tied dates, allocations, decimals at the unit's scale, and quantities the lots can and cannot meet.
import fc from "fast-check";
import { TransactionRollbackError } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pickUsable, toCandidate } from "../src/app/stock/picking.js";
import { addDays, type CalendarDate } from "../src/domain/shared/calendar.js";
import { isDomainError } from "../src/domain/shared/errors.js";
import { type Quantity, quantityFromThousandths, sum } from "../src/domain/shared/quantity.js";
import { availableOf } from "../src/domain/stock/availability.js";
import { type CandidateLot, fefoOrder, pickFefo } from "../src/domain/stock/fefo.js";
import type { LotCondition } from "../src/domain/stock/lot.js";
import type { Executor } from "../src/db/client.js";
import type { CountyKey } from "../src/db/keys.js";
import type { LotRow } from "../src/db/repositories/lots.js";
import { pickDepotItemLots } from "../src/db/repositories/lots.writes.js";
import { lots as lotsTable } from "../src/db/schema/index.js";
import { aCounty, anItem, type Item } from "./support/factories.js";
import { startTestService, type TestService } from "./support/service.js";

const TODAY = "2026-11-24" as CalendarDate;
const CONDITIONS: LotCondition[] = ["SERVICEABLE", "QUARANTINED", "DAMAGED", "EXPIRED"];

let svc: TestService;
/** One township depot for every case; each case's lots live in a transaction rolled back after it. */
let depot: CountyKey;
/** Whole pieces and tonnes to three decimals, new to the catalogue: no other lots, no stock level, no floor. */
let units: { item: Item; scale: number }[];

beforeAll(async () => {
  svc = await startTestService({ clock: () => new Date("2026-11-24T02:00:00Z") });
  const county = await aCounty(svc, { townships: 1 });
  const d = county.townships[0]!.depot;
  depot = { countyId: d.county.countyId, id: d.depotId };
  units = [
    { item: await anItem(county, { unitCode: "piece" }), scale: 0 },
    { item: await anItem(county, { unitCode: "tonne" }), scale: 3 },
  ];
});
afterAll(() => svc.stop());

interface LotSpec {
  condition: LotCondition;
  /** Days from TODAY; few values, so lots tie on expiry and fall to receipt date and id. */
  expiresIn: number | null;
  receivedAgo: number;
  /** In the unit's smallest steps (a piece, or a thousandth of a tonne). */
  onHand: number;
  allocated: number;
}

const MAX_STEPS = { 0: 30, 3: 30_000 } as const;
const lotSpec = (scale: 0 | 3): fc.Arbitrary<LotSpec> =>
  fc
    .record({
      // mostly serviceable, so several usable lots compete and the order among them shows
      condition: fc.oneof(
        { arbitrary: fc.constant<LotCondition>("SERVICEABLE"), weight: 6 },
        { arbitrary: fc.constantFrom(...CONDITIONS), weight: 3 },
      ),
      expiresIn: fc.option(fc.integer({ min: -2, max: 2 }), { freq: 4 }),
      receivedAgo: fc.integer({ min: 10, max: 12 }),
      onHand: fc.oneof(
        { arbitrary: fc.constant(0), weight: 1 },
        { arbitrary: fc.nat(MAX_STEPS[scale]), weight: 6 },
      ),
      allocatedShare: fc.oneof(
        { arbitrary: fc.constant(0), weight: 3 },
        { arbitrary: fc.constant(1), weight: 1 },
        { arbitrary: fc.double({ min: 0, max: 1, noNaN: true }), weight: 2 },
      ),
    })
    .map(({ allocatedShare, ...l }) => ({ ...l, allocated: Math.floor(l.onHand * allocatedShare) }));

/**
 * How much a case asks: a share of all on hand (up to a little more), exactly what the first `k` lots that give
 * anything give in first-expiry-first-out order (the pick ends on a lot's last unit, and lots after it give
 * nothing), all usable stock, or one step more.
 */
type Ask = { kind: "share"; share: number } | { kind: "prefix"; k: number } | { kind: "usable" | "beyond" };
const askArb: fc.Arbitrary<Ask> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant("share"), share: fc.double({ min: 0, max: 1.2, noNaN: true }) }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant("prefix"), k: fc.integer({ min: 1, max: 4 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constantFrom("usable", "beyond") }), weight: 2 },
) as fc.Arbitrary<Ask>;

/** A case: the unit, the lots, what is asked, and a lot to name. */
const caseArb = fc.constantFrom<0 | 3>(0, 3).chain((scale) =>
  fc.record({
    scale: fc.constant(scale),
    lots: fc.array(lotSpec(scale), { maxLength: 12 }),
    ask: askArb,
    named: fc.nat(12),
  }),
);

const thousandthsPerStep = (scale: number) => 10n ** BigInt(3 - scale);

/** Lots as the test writes them: no use case makes one of every condition and allocation in one step. */
async function insertLots(tx: Executor, item: Item, scale: number, specs: LotSpec[]): Promise<LotRow[]> {
  if (specs.length === 0) return [];
  const q = (steps: number) => quantityFromThousandths(BigInt(steps) * thousandthsPerStep(scale));
  return tx
    .insert(lotsTable)
    .values(
      specs.map((s, i) => ({
        countyId: depot.countyId,
        depotId: depot.id,
        itemId: item.itemId,
        lotCode: `FEFO-${i}`,
        receivedOn: addDays(TODAY, -s.receivedAgo),
        expiresOn: s.expiresIn === null ? null : addDays(TODAY, s.expiresIn),
        condition: s.condition,
        onHand: q(s.onHand),
        allocated: q(s.allocated),
      })),
    )
    .returning();
}

/** The quantity a case asks, at the unit's scale and never zero. */
function askedOf(ask: Ask, candidates: CandidateLot[], scale: number): Quantity {
  const step = thousandthsPerStep(scale);
  const givesInOrder = [...candidates]
    .sort(fefoOrder)
    .map((l) => availableOf(l, TODAY))
    .filter((g) => g > 0n);
  const usable = sum(givesInOrder);
  const total = sum(candidates.map((l) => l.onHand));
  const wanted =
    ask.kind === "share"
      ? BigInt(Math.floor(Number(total / step) * ask.share)) * step
      : ask.kind === "prefix"
        ? sum(givesInOrder.slice(0, ask.k))
        : ask.kind === "usable"
          ? usable
          : usable + step;
  return quantityFromThousandths(wanted > 0n ? wanted : step);
}

/** What a pick answers: its picks, or the refusal's code and message. */
async function outcome(pick: () => Promise<{ lotId: number; quantity: Quantity }[]>) {
  try {
    return { picks: await pick() };
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return { refused: { code: e.code, message: e.message } };
  }
}

/** Runs a case in a transaction of its own and rolls it back, so its lots never reach the books. */
async function rolledBack(run: (tx: Executor) => Promise<void>): Promise<void> {
  try {
    await svc.database.db.transaction(async (tx) => {
      await run(tx);
      tx.rollback();
    });
  } catch (e) {
    if (!(e instanceof TransactionRollbackError)) throw e;
  }
}

describe("the pick in the locking statement is pickFefo's", () => {
  it("same lots in the same order with the same quantities, or the same INSUFFICIENT_STOCK; same totals", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, (c) =>
        rolledBack(async (tx) => {
          const { item, scale } = units.find((u) => u.scale === c.scale)!;
          // given lots of every condition and allocation, some emptied
          const rows = await insertLots(tx, item, scale, c.lots);
          const candidates = rows.map(toCandidate);
          const onHand = sum(candidates.map((l) => l.onHand));
          const asked = askedOf(c.ask, candidates, scale);

          // when the issue path picks, and the domain picks over the same lots
          const sql = await outcome(async () => {
            const r = await pickUsable(tx, {
              depot,
              itemId: item.itemId,
              lotId: null,
              quantity: asked,
              today: TODAY,
              scale,
            });
            // the rows handed back are the picked lots as locked, in the order they give
            expect(r.lots).toEqual(r.picks.map((p) => rows.find((l) => l.id === p.lotId)));
            return r.picks;
          });
          const domain = await outcome(async () => pickFefo(candidates, asked, TODAY));

          // then they agree, and so do the totals the floor and changeFromQuantity are judged on
          expect(sql).toEqual(domain);
          const found = await pickDepotItemLots(tx, depot, item.itemId, asked, TODAY);
          expect({ usable: found.usable, onHand: found.onHand }).toEqual({
            usable: sum(candidates.map((l) => availableOf(l, TODAY))),
            onHand,
          });
          for (const p of found.lots) expect(p.available).toBe(availableOf(toCandidate(p.lot), TODAY));

          // and a named lot comes back alone, whatever it holds, with its own figures, and the same totals
          const named = rows[c.named];
          const byName = await pickDepotItemLots(tx, depot, item.itemId, asked, TODAY, named?.id ?? 0);
          expect(byName.lots.map((p) => p.lot)).toEqual(named ? [named] : []);
          if (named) {
            const available = availableOf(toCandidate(named), TODAY);
            expect(byName.lots[0]).toMatchObject({ available, taken: available < asked ? available : asked });
          }
          expect({ usable: byName.usable, onHand: byName.onHand }).toEqual({
            usable: found.usable,
            onHand: found.onHand,
          });
        }),
      ),
      { numRuns: 80 },
    );
  });
});
