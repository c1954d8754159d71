import { expect } from "vitest";
import type { CalendarDate } from "../../src/domain/shared/calendar.js";
import { type Quantity, add, formatQuantity, fromDb } from "../../src/domain/shared/quantity.js";
import { type LotBalance, type LotState, unallocatedOf } from "../../src/domain/stock/availability.js";
import type { LotCondition } from "../../src/domain/stock/lot.js";
import { fromGlobalId } from "../../src/graphql/ids.js";
import { aDepot, anItem, aVillage, type County, type Depot, type Item, type Township } from "./factories.js";
import type { TestService } from "./service.js";
import { query, sql } from "./sql.js";
import { aLotOf } from "./stockFactories.js";
import { SET_CONDITION } from "./world.js";

/** The table of lots test/predicates.test.ts runs every lot rule over. */
export const TODAY = "2026-11-24" as CalendarDate;

export const CONDITIONS: LotCondition[] = ["SERVICEABLE", "QUARANTINED", "DAMAGED", "EXPIRED"];
/** Yesterday (expired), today (still usable), within 30 days, later, never. */
export const EXPIRIES: (string | null)[] = ["2026-11-23", TODAY, "2026-12-10", "2027-06-01", null];

export interface CaseLot extends LotState {
  id: number;
  globalId: string;
  depotId: number;
  onHand: Quantity;
  allocated: Quantity;
}

export interface CaseDepot {
  /** The factories' handle. */
  depot: Depot;
  countyId: number;
  id: number;
  regionId: number;
  code: string;
  keeper: string;
  globalId: string;
}

export interface LotTable {
  /** Bags new to the catalogue, with no shelf life: a lot expires only on the date it is given, or never. */
  item: Item;
  itemId: number;
  lots: CaseLot[];
  depots: CaseDepot[];
}

/** A quantity as the API prints it, as a repository hands it over, or as a literal. */
export const q = (v: string | number | Quantity): Quantity => (typeof v === "bigint" ? v : fromDb(String(v)));
export const none = 0n as Quantity;
export const NAMES = ["onHand", "allocated", "usable", "quarantined", "damaged", "expired"] as const;
export type Named = Record<(typeof NAMES)[number], Quantity>;

/**
 * Builds the table through the API (and, where no use case can, by hand) in the county, one township per
 * condition (`townships`, at least CONDITIONS.length of them): call it before TODAY.
 */
export async function buildLotTable(
  county: County,
  townships: (Township & { depot: Depot })[],
): Promise<LotTable> {
  const item = await anItem(county);
  const table: LotTable = { item, itemId: item.itemId, lots: [], depots: [] };
  await caseDepots(townships, table);
  await buildLots(county.svc, table);
  return table;
}

/**
 * One village point per condition, each the only depot of a village of its own, one village per township, kept
 * by the township depot's keeper.
 */
async function caseDepots(townships: (Township & { depot: Depot })[], table: LotTable): Promise<void> {
  for (const township of townships.slice(0, CONDITIONS.length)) {
    const depot = await aDepot(await aVillage(township), { keeper: township.depot.keeper });
    table.depots.push({
      depot,
      countyId: depot.county.countyId,
      id: depot.depotId,
      regionId: depot.region.regionId,
      code: depot.code,
      keeper: depot.keeper,
      globalId: depot.id,
    });
  }
}

/**
 * A lot per expiry × allocated/not at each depot, all of the depot's condition. Lot j holds 3·4^j, of which 4^j
 * is allocated when it is: any sum over some of a depot's lots, of their on hand, allocated or free stock, names
 * exactly which lots it took, so equal sums are equal answers lot by lot.
 */
async function buildLots(svc: TestService, table: LotTable): Promise<void> {
  for (const [c, condition] of CONDITIONS.entries()) {
    const depot = table.depots[c]!;
    let j = 0;
    for (const expiresOn of EXPIRIES) {
      for (const held of [false, true]) {
        const unit = 4n ** BigInt(j++);
        const [lot] = await aLotOf(depot.depot, table.item, String(3n * unit), { expiresOn });
        if (!lot) throw new Error("no lot received");
        if (condition === "QUARANTINED" || condition === "DAMAGED")
          await setCondition(svc, lot.id, condition, depot.keeper);
        table.lots.push({
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
  await markAndHold(svc, table);
}

async function setCondition(svc: TestService, lotId: string, condition: LotCondition, as: string) {
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
async function markAndHold(svc: TestService, { lots, itemId }: LotTable): Promise<void> {
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

/** An item's lots at a depot as the domain sees them. */
export async function lotsAt(
  svc: TestService,
  itemId: number,
  depotId: number,
): Promise<(LotState & LotBalance)[]> {
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
    onHand: fromDb(r.on_hand),
    allocated: fromDb(r.allocated),
  }));
}

export const totalOf = (
  of: readonly (LotState & LotBalance)[],
  pick: (l: LotState & LotBalance) => boolean,
) => of.filter(pick).reduce((s, l) => add(s, unallocatedOf(l)), none);

export const named = (row: Partial<Record<(typeof NAMES)[number], string | Quantity>> | undefined): Named =>
  Object.fromEntries(NAMES.map((n) => [n, q(row?.[n] ?? "0")])) as Named;

/** The depot's named quantities of the table's item on TODAY, as the county's auditor reads them. */
export async function apiStock(county: County, item: Item, depot: CaseDepot): Promise<Named> {
  const res = await county.svc.gql<{
    node: { stock: ({ item: { code: string } } & Record<(typeof NAMES)[number], string>)[] };
  }>(
    `query($id: ID!, $asOf: String) { node(id: $id) { ... on Depot {
       stock(asOf: $asOf) { item { code } ${NAMES.join(" ")} } } } }`,
    { id: depot.globalId, asOf: TODAY },
    county.auditor,
  );
  return named(res.data!.node.stock.find((s) => s.item.code === item.code));
}
