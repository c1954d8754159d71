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
import * as table from "./support/lotTable.js";
import { CONDITIONS, EXPIRIES, ITEM, NAMES, named, none, q, TODAY, totalOf } from "./support/lotTable.js";
import { step } from "./support/requisitions.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import { type ChangeView, demoIds, ISSUE } from "./support/world.js";

// lots are received days before, so none arrives already expired; the reads run at 10:00 in Shanghai on TODAY
let now = new Date("2026-11-20T02:00:00Z");
let svc: TestService;
let itemId: number;
let lots: table.CaseLot[];
let depots: table.CaseDepot[];
const lotsAt = (depotId: number) => table.lotsAt(svc, itemId, depotId);
const apiStock = (depot: table.CaseDepot) => table.apiStock(svc, depot);

beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
  ({ itemId, lots, depots } = await table.buildLotTable(svc));
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
        "auditor",
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
    const regionIds = await regionsByName();
    const destination = (await demoIds(svc)).depot("TD-HEKOU");
    const created = await step(
      svc,
      "createRequisition",
      "CreateRequisitionInput",
      {
        requestingRegionId: regionIds.hekou,
        supplyingRegionId: regionIds.chengguan,
        destinationDepotId: destination,
        priority: "URGENT",
        reason: "predicate table: sandbags on the road",
        lines: [{ itemId: toGlobalId("Item", itemId), quantity: "5" }],
      },
      "hekou.officer",
    );
    expect(created.userErrors).toEqual([]);
    const id = created.requisition!.id;
    const requisition = { requisitionId: id };
    expect(
      (await step(svc, "submitRequisition", "RequisitionStepInput", requisition, "hekou.officer")).userErrors,
    ).toEqual([]);
    expect(
      (await step(svc, "approveRequisition", "ApproveRequisitionInput", requisition, "chengguan.officer"))
        .userErrors,
    ).toEqual([]);
    const sent = await step(
      svc,
      "dispatchRequisition",
      "DispatchRequisitionInput",
      { ...requisition, carrier: "城关镇应急运输队", vehicle: "豫Q·C2301", driverContact: "13900001111" },
      "chengguan.keeper",
    );
    expect(sent.userErrors).toEqual([]);
    expect(sent.requisition!.status).toBe("IN_TRANSIT");

    const lenders = new Set(
      sent.requisition!.lines.flatMap((l) => l.allocations.map((a) => a.lot.depot.code)),
    );
    expect(lenders.size).toBeGreaterThan(0);
    for (const code of [...lenders, "TD-HEKOU"]) {
      const [d] = await query<{ id: string; county_id: string }>(
        svc.database,
        sql`select id::text, county_id::text from depots where code = ${code}`,
      );
      const depot = {
        countyId: Number(d!.county_id),
        id: Number(d!.id),
        code,
        globalId: "",
        keeper: "",
        regionId: 0,
      };
      const res = await svc.gql<{
        node: {
          stock: ({ item: { code: string }; inTransit: string } & Record<(typeof NAMES)[number], string>)[];
        };
      }>(
        `query($id: ID!, $asOf: String) { node(id: $id) { ... on Depot {
           stock(asOf: $asOf) { item { code } inTransit ${NAMES.join(" ")} } } } }`,
        { id: toGlobalId("Depot", depot), asOf: TODAY },
        "auditor",
      );
      const row = res.data!.node.stock.find((r) => r.item.code === ITEM);
      expect(named(row), code).toEqual(namedQuantities(await lotsAt(depot.id), TODAY));
      expect(q(row?.inTransit ?? "0"), code).toBe(code === "TD-HEKOU" ? q(5) : none);
    }
  });
});

/** Township region IDs by their English name's first word, as the requisition tests name them. */
async function regionsByName(): Promise<Record<string, string>> {
  const res = await svc.gql<{ regions: { nodes: { id: string; nameEn: string; level: string }[] } }>(
    "{ regions(first: 100) { nodes { id nameEn level } } }",
  );
  return Object.fromEntries(
    res
      .data!.regions.nodes.filter((r) => r.level === "TOWNSHIP")
      .map((r) => [r.nameEn.split(" ")[0]!.toLowerCase(), r.id]),
  );
}

async function ledgerLines(): Promise<number> {
  const [row] = await query<{ n: number }>(svc.database, sql`select count(*)::int as n from movements`);
  return row!.n;
}
