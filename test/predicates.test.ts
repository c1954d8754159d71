// One rule, one answer: the domain's lot rules (src/domain/stock/availability.ts) against every SQL statement that
// applies them (src/db/repositories/lotPredicates.ts), over lots in every condition × expiry × allocation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CalendarDate } from "../src/domain/shared/calendar.js";
import { type Quantity, add, formatQuantity, fromDb } from "../src/domain/shared/quantity.js";
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
import * as coverage from "../src/db/repositories/coverage.js";
import * as expiry from "../src/db/repositories/expiry.js";
import * as readiness from "../src/db/repositories/readiness.js";
import * as stock from "../src/db/repositories/stock.js";
import { bigintArray } from "../src/db/keys.js";
import { fromGlobalId, toGlobalId } from "../src/graphql/ids.js";
import { startTestService, type TestService } from "./support/service.js";
import { query, sql } from "./support/sql.js";
import { type ChangeView, demoIds, ISSUE, receiveLot, SET_CONDITION } from "./support/world.js";

const TODAY = "2026-11-24" as CalendarDate;
// lots are received days before, so none arrives already expired; the reads run at 10:00 in Shanghai on TODAY
let now = new Date("2026-11-20T02:00:00Z");
const ITEM = "WOVEN_BAG"; // no shelf life: a lot expires only on the date it is given, or never

const CONDITIONS: LotCondition[] = ["SERVICEABLE", "QUARANTINED", "DAMAGED", "EXPIRED"];
/** Yesterday (expired), today (still usable), within 30 days, later, never. */
const EXPIRIES: (string | null)[] = ["2026-11-23", TODAY, "2026-12-10", "2027-06-01", null];

interface CaseLot extends LotState {
  id: number;
  globalId: string;
  depotId: number;
  onHand: Quantity;
  allocated: Quantity;
}

interface CaseDepot {
  countyId: number;
  id: number;
  regionId: number;
  code: string;
  keeper: string;
  globalId: string;
}

let svc: TestService;
let itemId: number;
const lots: CaseLot[] = [];
const depots: CaseDepot[] = [];
const q = (text: string | number) => fromDb(String(text));
const none = 0n as Quantity;
const NAMES = ["onHand", "allocated", "usable", "quarantined", "damaged", "expired"] as const;
type Named = Record<(typeof NAMES)[number], Quantity>;

/** One village point per condition, each the first of its township's and in a village of its own. */
async function caseDepots(): Promise<void> {
  const ids = await demoIds(svc);
  itemId = fromGlobalId(ids.item(ITEM))!.id;
  const rows = await query<{
    county_id: string;
    id: string;
    region_id: string;
    code: string;
    keeper: string;
  }>(
    svc.database,
    sql`select distinct on (r.parent_id) d.county_id::text, d.id::text, d.region_id::text, d.code,
               u.username as keeper
          from depots d
          join regions r on r.county_id = d.county_id and r.id = d.region_id
          join depot_keepers k on k.county_id = d.county_id and k.depot_id = d.id
          join users u on u.id = k.user_id
         where d.kind = 'VILLAGE_POINT' order by r.parent_id, d.id limit ${CONDITIONS.length}`,
  );
  for (const r of rows) {
    depots.push({
      countyId: Number(r.county_id),
      id: Number(r.id),
      regionId: Number(r.region_id),
      code: r.code,
      keeper: r.keeper,
      globalId: ids.depot(r.code),
    });
  }
}

/**
 * A lot per expiry × allocated/not at each depot, all of the depot's condition. Lot j holds 3·4^j, of which 4^j
 * is allocated when it is: any sum over some of a depot's lots, of their on hand, allocated or free stock, names
 * exactly which lots it took, so equal sums are equal answers lot by lot.
 */
async function buildLots(): Promise<void> {
  for (const [c, condition] of CONDITIONS.entries()) {
    const depot = depots[c]!;
    let j = 0;
    for (const expiresOn of EXPIRIES) {
      for (const held of [false, true]) {
        const unit = 4n ** BigInt(j++);
        const lot = await receiveLot(svc, depot.keeper, {
          depotId: depot.globalId,
          itemId: toGlobalId("Item", itemId),
          quantity: String(3n * unit),
          expiresOn,
        });
        if (condition === "QUARANTINED" || condition === "DAMAGED")
          await setCondition(lot.id, condition, depot.keeper);
        lots.push({
          id: fromGlobalId(lot.id)!.id,
          globalId: lot.id,
          depotId: depot.id,
          condition,
          expiresOn,
          onHand: q(String(3n * unit)),
          allocated: held ? q(String(unit)) : none,
        });
      }
    }
  }
  await markAndHold();
}

async function setCondition(lotId: string, condition: LotCondition, as: string) {
  const res = await svc.gql<{ setLotCondition: { userErrors: unknown[] } }>(
    SET_CONDITION,
    { input: { lotId, condition, reason: "predicate table" } },
    as,
  );
  expect(res.data!.setLotCondition.userErrors).toEqual([]);
}

/**
 * No use case marks a lot EXPIRED by hand, and none holds stock of an unusable lot, yet both states happen (a
 * receipt of expired stock, a lot that expires while held): they are written here, a hold on the lot and on its
 * depot-item balance alike, so the books stay whole.
 */
async function markAndHold(): Promise<void> {
  for (const lot of lots) {
    if (lot.condition === "EXPIRED")
      await query(svc.database, sql`update lots set condition = 'EXPIRED' where id = ${lot.id}`);
    if (lot.allocated === 0n) continue;
    const held = formatQuantity(lot.allocated);
    await query(svc.database, sql`update lots set allocated = ${held}::numeric where id = ${lot.id}`);
    await query(
      svc.database,
      sql`update stock_levels set allocated = allocated + ${held}::numeric
           where depot_id = ${lot.depotId} and item_id = ${itemId}`,
    );
  }
}

/** The item's lots at a depot as the domain sees them, the seeded county's own included. */
async function lotsAt(depotId: number): Promise<(LotState & LotBalance)[]> {
  const rows = await query<{
    condition: LotCondition;
    expires_on: string | null;
    on_hand: string;
    allocated: string;
  }>(
    svc.database,
    sql`select condition::text as condition, expires_on::text, on_hand::text, allocated::text
          from lots where depot_id = ${depotId} and item_id = ${itemId}`,
  );
  return rows.map((r) => ({
    condition: r.condition,
    expiresOn: r.expires_on,
    onHand: r.on_hand,
    allocated: r.allocated,
  }));
}

const totalOf = (of: readonly (LotState & LotBalance)[], pick: (l: LotState & LotBalance) => boolean) =>
  of.filter(pick).reduce((s, l) => add(s, unallocatedOf(l)), none);

const named = (row: Partial<Record<(typeof NAMES)[number], string>> | undefined): Named =>
  Object.fromEntries(NAMES.map((n) => [n, q(row?.[n] ?? "0")])) as Named;

async function apiStock(depot: CaseDepot): Promise<Named> {
  const res = await svc.gql<{
    node: { stock: ({ item: { code: string } } & Record<(typeof NAMES)[number], string>)[] };
  }>(
    `query($id: ID!, $asOf: String) { node(id: $id) { ... on Depot {
       stock(asOf: $asOf) { item { code } ${NAMES.join(" ")} } } } }`,
    { id: depot.globalId, asOf: TODAY },
    "auditor",
  );
  return named(res.data!.node.stock.find((s) => s.item.code === ITEM));
}

beforeAll(async () => {
  svc = await startTestService({ clock: () => now });
  await caseDepots();
  await buildLots();
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
      const [byDepot] = await stock.stockByDepots(svc.database.db, [d], TODAY);
      expect(named(byDepot), `stockByDepots at ${d.code}`).toEqual(expected);
      const pair = { countyId: d.countyId, depotId: d.id, itemId };
      const [byPair] = await stock.stockByDepotItems(svc.database.db, [pair], TODAY);
      expect(named(byPair), `stockByDepotItems at ${d.code}`).toEqual(expected);
    }
  });

  it("coverage: usable, and what of it expires within 30 days, per region", async () => {
    for (const d of depots) {
      const at = await lotsAt(d.id);
      const [row] = await coverage.figures(svc.database.db, d.countyId, [d.regionId], [itemId], TODAY);
      expect({ usable: q(row!.usable), expiring30: q(row!.expiring30) }, d.code).toEqual({
        usable: totalOf(at, (l) => isIssuable(l, TODAY)),
        expiring30: totalOf(at, (l) => expiresWithin(l, TODAY, 30)),
      });
      const usable = await expiry.usableByRegion(svc.database.db, d.countyId, [itemId], TODAY);
      const own = usable.find((u) => u.regionId === d.regionId && u.itemId === itemId);
      expect(q(own?.usable ?? "0"), d.code).toBe(q(row!.usable));
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

async function ledgerLines(): Promise<number> {
  const [row] = await query<{ n: number }>(svc.database, sql`select count(*)::int as n from movements`);
  return row!.n;
}
