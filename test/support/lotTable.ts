import { expect } from "vitest";
import type { CalendarDate } from "../../src/domain/shared/calendar.js";
import { type Quantity, add, formatQuantity, fromDb } from "../../src/domain/shared/quantity.js";
import { type LotBalance, type LotState, unallocatedOf } from "../../src/domain/stock/availability.js";
import type { LotCondition } from "../../src/domain/stock/lot.js";
import { fromGlobalId, toGlobalId } from "../../src/graphql/ids.js";
import type { TestService } from "./service.js";
import { query, sql } from "./sql.js";
import { demoIds, receiveLot, SET_CONDITION } from "./world.js";

/** The table of lots test/predicates.test.ts runs every lot rule over. */
export const TODAY = "2026-11-24" as CalendarDate;
export const ITEM = "WOVEN_BAG"; // no shelf life: a lot expires only on the date it is given, or never

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
  countyId: number;
  id: number;
  regionId: number;
  code: string;
  keeper: string;
  globalId: string;
}

export interface LotTable {
  itemId: number;
  lots: CaseLot[];
  depots: CaseDepot[];
}

/** A quantity as the API prints it, as a repository hands it over, or as a literal. */
export const q = (v: string | number | Quantity): Quantity => (typeof v === "bigint" ? v : fromDb(String(v)));
export const none = 0n as Quantity;
export const NAMES = ["onHand", "allocated", "usable", "quarantined", "damaged", "expired"] as const;
export type Named = Record<(typeof NAMES)[number], Quantity>;

/** Builds the table through the API (and, where no use case can, by hand): call it before TODAY. */
export async function buildLotTable(svc: TestService): Promise<LotTable> {
  const table: LotTable = { itemId: 0, lots: [], depots: [] };
  await caseDepots(svc, table);
  await buildLots(svc, table);
  return table;
}

/** One village point per condition, each the first of its township's and in a village of its own. */
async function caseDepots(svc: TestService, table: LotTable): Promise<void> {
  const ids = await demoIds(svc);
  table.itemId = fromGlobalId(ids.item(ITEM))!.id;
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
    table.depots.push({
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
async function buildLots(svc: TestService, table: LotTable): Promise<void> {
  for (const [c, condition] of CONDITIONS.entries()) {
    const depot = table.depots[c]!;
    let j = 0;
    for (const expiresOn of EXPIRIES) {
      for (const held of [false, true]) {
        const unit = 4n ** BigInt(j++);
        const lot = await receiveLot(svc, depot.keeper, {
          depotId: depot.globalId,
          itemId: toGlobalId("Item", table.itemId),
          quantity: String(3n * unit),
          expiresOn,
        });
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

/** An item's lots at a depot as the domain sees them, the seeded county's own included. */
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

export async function apiStock(svc: TestService, depot: CaseDepot): Promise<Named> {
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
