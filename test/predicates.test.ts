// One rule, one answer: the domain's lot rules (src/domain/stock/availability.ts) against every SQL statement that
// applies them (src/db/repositories/lotPredicates.ts), over lots in every condition × expiry × allocation
// (test/support/lotTable.ts builds them).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { add, formatQuantity } from "../src/domain/shared/quantity.js";
import {
  expiresWithin,
  isIssuable,
  type LotBalance,
  type LotState,
  namedQuantities,
  standingOn,
  unallocatedOf,
} from "../src/domain/stock/availability.js";
import type { LotCondition } from "../src/domain/stock/lot.js";
import * as coverage from "../src/db/reports/coverage.js";
import * as lotReads from "../src/db/repositories/lots.js";
import * as readiness from "../src/db/reports/readiness.js";
import * as stockLevels from "../src/db/repositories/stockLevels.js";
import { bigintArray } from "../src/db/keys.js";
import { toGlobalId } from "../src/graphql/ids.js";
import { aCounty, type Item, type ProvisionedCounty } from "./support/factories.js";
import * as table from "./support/lotTable.js";
import { CONDITIONS, EXPIRIES, NAMES, named, none, q, TODAY, totalOf } from "./support/lotTable.js";
import { aDispatchedRequisition, type LendingPair, between } from "./support/requisitionFactories.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import { type ChangeView, ISSUE } from "./support/world.js";

// lots are received days before, so none arrives already expired; the reads run at 10:00 in Shanghai on TODAY
let now = new Date("2026-11-20T02:00:00Z");
let svc: TestService;
/**
 * Five townships: the first four hold the table, one condition each at a village point of their own; the fifth
 * neighbours the first and borrows from it.
 */
let county: ProvisionedCounty;
let item: Item;
let itemId: number;
let lots: table.CaseLot[];
let depots: table.CaseDepot[];
const lotsAt = (depotId: number) => table.lotsAt(svc, itemId, depotId);
const apiStock = (depot: table.CaseDepot) => table.apiStock(county, item, depot);

beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
  county = await aCounty(svc, { townships: CONDITIONS.length + 1, neighbours: [[0, CONDITIONS.length]] });
  ({ item, itemId, lots, depots } = await table.buildLotTable(county, county.townships));
  now = new Date("2026-11-24T02:00:00Z");
});
afterAll(() => svc.stop());

describe("the lot rules give one answer, in the domain and in every statement", () => {
  it("covers every condition × expiry × allocation, and each lot stands where the domain says", async () => {
    expect(lots).toHaveLength(CONDITIONS.length * EXPIRIES.length * 2);
    const stored = await query<{
      id: string;
      condition: string;
      expires_on: string | null;
      allocated: string;
    }>(
      svc.database,
      sql`select id::text, condition::text as condition, expires_on::text, allocated::text from lots
           where id = any(${bigintArray(lots.map((l) => l.id))}) order by id`,
    );
    expect(stored.map((r) => [r.condition, r.expires_on, q(r.allocated)])).toEqual(
      lots.map((l) => [l.condition, l.expiresOn, l.allocated]),
    );
    const standing = (c: LotCondition, e: string | null) => standingOn({ condition: c, expiresOn: e }, TODAY);
    expect(CONDITIONS.map((c) => EXPIRIES.map((e) => standing(c, e)))).toEqual([
      ["EXPIRED", "USABLE", "USABLE", "USABLE", "USABLE"],
      ["EXPIRED", "QUARANTINED", "QUARANTINED", "QUARANTINED", "QUARANTINED"],
      ["DAMAGED", "DAMAGED", "DAMAGED", "DAMAGED", "DAMAGED"],
      ["EXPIRED", "EXPIRED", "EXPIRED", "EXPIRED", "EXPIRED"],
    ]);
  });

  it("Depot.stock and both stock statements: the named quantities, a partition of on hand", async () => {
    for (const d of depots) {
      const expected = namedQuantities(await lotsAt(d.id), TODAY);
      const { onHand, ...parts } = expected;
      expect(Object.values(parts).reduce((a, b) => add(a, b), none)).toBe(onHand);
      expect(await apiStock(d), `Depot.stock at ${d.code}`).toEqual(expected);
      const [byDepot] = await stockLevels.stockByDepots(svc.database.db, [d], TODAY);
      expect(named(byDepot), `stockByDepots at ${d.code}`).toEqual(expected);
      const pair = { countyId: d.countyId, depotId: d.id, itemId };
      const [byPair] = await stockLevels.stockByDepotItems(svc.database.db, [pair], TODAY);
      expect(named(byPair), `stockByDepotItems at ${d.code}`).toEqual(expected);
    }
  });

  it("coverage: usable, and what of it expires within 30 days, per region", async () => {
    for (const d of depots) {
      const at = await lotsAt(d.id);
      const [row] = await coverage.figures(svc.database.db, d.countyId, [d.regionId], [itemId], TODAY);
      expect({ usable: row!.usable, expiring30: row!.expiring30 }, d.code).toEqual({
        usable: totalOf(at, (l) => isIssuable(l, TODAY)),
        expiring30: totalOf(at, (l) => expiresWithin(l, TODAY, 30)),
      });
      const usable = await lotReads.usableByRegion(svc.database.db, d.countyId, [itemId], TODAY);
      const own = usable.find((u) => u.regionId === d.regionId && u.itemId === itemId);
      expect(own?.usable ?? none, d.code).toBe(row!.usable);
    }
  });

  it("readiness: expired and expiring stock, and the lots holding it, per region", async () => {
    const regions = depots.map((d) => ({ countyId: d.countyId, id: d.regionId }));
    const expired = await readiness.expiredByRegion(svc.database.db, regions, TODAY);
    const expiring = await readiness.expiringByRegion(svc.database.db, regions, TODAY, 30);
    for (const d of depots) {
      const at = await lotsAt(d.id);
      const figure = (rows: readiness.ItemQuantityRow[], rule: (l: LotState & LotBalance) => boolean) => {
        const r = rows.find((x) => x.regionId === d.regionId && x.itemId === itemId);
        const holding = at.filter((l) => rule(l) && unallocatedOf(l) > 0n);
        return {
          seen: { quantity: q(r?.quantity ?? "0"), lots: r?.lots ?? 0 },
          wanted: { quantity: totalOf(holding, () => true), lots: holding.length },
        };
      };
      const e = figure(expired, (l) => standingOn(l, TODAY) === "EXPIRED");
      expect(e.seen, `expired at ${d.code}`).toEqual(e.wanted);
      const s = figure(expiring, (l) => expiresWithin(l, TODAY, 30));
      expect(s.seen, `expiring at ${d.code}`).toEqual(s.wanted);
    }
  });

  it("expiringLots: exactly the lots usable today that expire within the window", async () => {
    for (const d of depots) {
      const res = await svc.gql<{ expiringLots: { nodes: { lot: { id: string } }[] } }>(
        `query($r: ID!, $asOf: String) { expiringLots(regionId: $r, within: 30, asOf: $asOf, first: 100) {
           nodes { lot { id } } } }`,
        { r: toGlobalId("Region", { countyId: d.countyId, id: d.regionId }), asOf: TODAY },
        county.auditor,
      );
      expect(res.errors).toBeUndefined();
      const listed = res.data!.expiringLots.nodes.map((n) => n.lot.id);
      const wanted = lots.filter((l) => l.depotId === d.id && expiresWithin(l, TODAY, 30));
      expect(listed.sort(), d.code).toEqual(wanted.map((l) => l.globalId).sort());
    }
  });

  it("issue eligibility: a named lot is refused as not issuable exactly when the domain says so", async () => {
    const ledgerBefore = await ledgerLines();
    for (const lot of lots) {
      const depot = depots.find((d) => d.id === lot.depotId)!;
      const res = await svc.gql<{ issueStock: ChangeView }>(
        ISSUE,
        {
          input: {
            depotId: depot.globalId,
            itemId: toGlobalId("Item", itemId),
            lotId: lot.globalId,
            // more than the lot holds: a refusal either way, which one is the rule's answer
            quantity: formatQuantity(add(lot.onHand, q(1))),
            purpose: "DRILL",
            recipient: "predicate table",
            reason: "eligibility probe",
          },
        },
        depot.keeper,
      );
      expect(
        res.data!.issueStock.userErrors.map((e) => e.code),
        `${lot.condition} ${lot.expiresOn}`,
      ).toEqual([isIssuable(lot, TODAY) ? "INSUFFICIENT_STOCK" : "LOT_NOT_ISSUABLE"]);
    }
    expect(await ledgerLines()).toBe(ledgerBefore);
  });
});

describe("stock in transit is on no lot, so no rule counts it", () => {
  it("a dispatched request: the named quantities still agree at the lender's depots and the receiver's", async () => {
    const pair: LendingPair = {
      county,
      lender: county.townships[0]!,
      borrower: county.townships[CONDITIONS.length]!,
    };
    const destination = pair.borrower.depot;

    const sent = await aDispatchedRequisition(between(pair, [{ item, quantity: "5" }]), pair.lender.depot);

    expect(sent.view.status).toBe("IN_TRANSIT");
    const allocations = sent.view.lines.flatMap((l) => l.allocations);
    // the lender's only stock of the item is the table's serviceable village point
    expect(new Set(allocations.map((a) => a.lot.depot.code))).toEqual(new Set([depots[0]!.code]));
    expect(allocations.reduce((sum, a) => add(sum, q(a.quantity)), none)).toBe(q(5));
    const lenderPoint = depots[0]!.depot;
    for (const depot of [lenderPoint, destination]) {
      const res = await svc.gql<{
        node: {
          stock: ({ item: { code: string }; inTransit: string } & Record<(typeof NAMES)[number], string>)[];
        };
      }>(
        `query($id: ID!, $asOf: String) { node(id: $id) { ... on Depot {
           stock(asOf: $asOf) { item { code } inTransit ${NAMES.join(" ")} } } } }`,
        { id: depot.id, asOf: TODAY },
        county.auditor,
      );
      const row = res.data!.node.stock.find((r) => r.item.code === item.code);
      expect(named(row), depot.code).toEqual(namedQuantities(await lotsAt(depot.depotId), TODAY));
      expect(q(row?.inTransit ?? "0"), depot.code).toBe(depot.code === destination.code ? q(5) : none);
    }
  });
});

async function ledgerLines(): Promise<number> {
  const [row] = await query<{ n: number }>(svc.database, sql`select count(*)::int as n from movements`);
  return row!.n;
}
