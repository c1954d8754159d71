import DataLoader from "dataloader";
import type { ReadScope } from "../domain/custody/policy.js";
import type { CalendarDate } from "../domain/shared/calendar.js";
import { catalogueOf } from "./catalogueCache.js";
import { regionsOf } from "./regionCache.js";
import type { Executor } from "./client.js";
import { byKeys, type CountyKey, groupByKeys, keyString } from "./keys.js";
import type * as catalogue from "./repositories/catalogue.js";
import * as agreements from "./repositories/agreements.js";
import * as depots from "./repositories/depots.js";
import * as keepers from "./repositories/keepers.js";
import * as regions from "./repositories/regions.js";
import * as ledger from "./repositories/ledger.js";
import * as requisitionLists from "./repositories/requisitionLists.js";
import * as discrepancies from "./repositories/requisitionDiscrepancies.js";
import * as requisitions from "./repositories/requisitions.js";
import * as rotations from "./repositories/rotations.js";
import * as stock from "./repositories/stock.js";
import * as stockTakes from "./repositories/stockTakes.js";
import * as writeOffs from "./repositories/writeOffs.js";
import * as users from "./repositories/users.js";

const countyKeyed = { cacheKeyFn: keyString };

function byIds<T extends { id: number }>(ids: readonly number[], rows: T[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
}

/**
 * Per-request loaders: every field that reads a related row goes through one of these, so a page of 50
 * depots costs the same number of statements as a page of 1. Depots are loaded within the actor's scope.
 */
export function createLoaders(db: Executor, scope: ReadScope) {
  const stockByDay = new Map<CalendarDate, DataLoader<CountyKey, stock.DepotItemStock[], string>>();
  const itemStockByDay = new Map<
    CalendarDate,
    DataLoader<stock.DepotItemKey, stock.DepotItemStock, string>
  >();
  const keepersBy = new Map<string, DataLoader<CountyKey, keepers.KeeperRow[], string>>();
  const scopeKeys = {
    subtrees: scope.subtrees.map((s) => ({ countyId: s.countyId, id: s.regionId })),
    depots: scope.depots.map((d) => ({ countyId: d.countyId, id: d.depotId })),
  };
  return {
    region: new DataLoader<CountyKey, regions.RegionRow | null, string>(
      (keys) => regionsOf(db).rows(keys),
      countyKeyed,
    ),
    regionChildren: new DataLoader<CountyKey, regions.RegionRow[], string>(
      async (keys) =>
        groupByKeys(keys, await regions.findChildren(db, keys), (r) => ({
          countyId: r.countyId,
          id: r.parentId!,
        })),
      countyKeyed,
    ),
    regionNeighbours: new DataLoader<CountyKey, regions.NeighbourRow[], string>(
      async (keys) =>
        groupByKeys(keys, await regions.findNeighbours(db, keys), (r) => ({
          countyId: r.countyId,
          id: r.regionId,
        })),
      countyKeyed,
    ),
    depot: new DataLoader<CountyKey, depots.DepotRow | null, string>(
      async (keys) =>
        byKeys(keys, await depots.findVisibleByKeys(db, scope, keys), (r) => ({
          countyId: r.countyId,
          id: r.id,
        })),
      countyKeyed,
    ),
    /** Keeper assignments: current ones, all of them, or those in force at an instant; one loader per question. */
    depotKeepers: (opts: { includePast: boolean; asOf: Date | null }) => {
      const tag = opts.asOf ? opts.asOf.toISOString() : String(opts.includePast);
      let loader = keepersBy.get(tag);
      if (!loader) {
        loader = new DataLoader<CountyKey, keepers.KeeperRow[], string>(
          async (keys) =>
            groupByKeys(keys, await keepers.findKeepers(db, keys, opts), (r) => ({
              countyId: r.countyId,
              id: r.depotId,
            })),
          countyKeyed,
        );
        keepersBy.set(tag, loader);
      }
      return loader;
    },
    /** Depots as stored, whatever the viewer's scope: for a handover an administrator just recorded. */
    anyDepot: new DataLoader<CountyKey, depots.DepotRow | null, string>(
      async (keys) =>
        byKeys(keys, await depots.findByKeys(db, keys), (r) => ({ countyId: r.countyId, id: r.id })),
      countyKeyed,
    ),
    depotHandovers: new DataLoader<CountyKey, keepers.HandoverRow[], string>(
      async (keys) =>
        groupByKeys(keys, await keepers.handoversOf(db, keys), (r) => ({
          countyId: r.countyId,
          id: r.depotId,
        })),
      countyKeyed,
    ),
    agreement: new DataLoader<CountyKey, agreements.AgreementRow | null, string>(
      async (keys) =>
        byKeys(keys, await agreements.findByKeys(db, keys), (r) => ({ countyId: r.countyId, id: r.id })),
      countyKeyed,
    ),
    agreementLines: new DataLoader<CountyKey, agreements.AgreementLineRow[], string>(
      async (keys) =>
        groupByKeys(keys, await agreements.linesOf(db, keys), (r) => ({
          countyId: r.countyId,
          id: r.agreementId,
        })),
      countyKeyed,
    ),
    /** Depot stock judged on a day: one loader per day asked, so expiry is decided at query time. */
    depotStockOn: (day: CalendarDate) => {
      let loader = stockByDay.get(day);
      if (!loader) {
        loader = new DataLoader<CountyKey, stock.DepotItemStock[], string>(
          async (keys) =>
            groupByKeys(keys, await stock.stockByDepots(db, keys, day), (r) => ({
              countyId: r.countyId,
              id: r.depotId,
            })),
          countyKeyed,
        );
        stockByDay.set(day, loader);
      }
      return loader;
    },
    /** One item's stock at one depot, judged on a day: a page of lots asks for just its own items. */
    depotItemStockOn: (day: CalendarDate) => {
      let loader = itemStockByDay.get(day);
      if (!loader) {
        const keyOf = (k: stock.DepotItemKey) => `${k.countyId}:${k.depotId}:${k.itemId}`;
        loader = new DataLoader<stock.DepotItemKey, stock.DepotItemStock, string>(
          async (keys) => {
            const rows = new Map((await stock.stockByDepotItems(db, keys, day)).map((r) => [keyOf(r), r]));
            // the query answers every pair it is asked; a missing one would be a bug, not an empty depot
            return keys.map((k) => rows.get(keyOf(k)) ?? new Error(`no stock row for ${keyOf(k)}`));
          },
          { cacheKeyFn: keyOf },
        );
        itemStockByDay.set(day, loader);
      }
      return loader;
    },
    lot: new DataLoader<CountyKey, stock.LotRow | null, string>(
      async (keys) =>
        byKeys(keys, await stock.findVisibleLotsByKeys(db, scope, keys), (r) => ({
          countyId: r.countyId,
          id: r.id,
        })),
      countyKeyed,
    ),
    movement: new DataLoader<CountyKey, stock.MovementRow | null, string>(
      async (keys) =>
        byKeys(keys, await ledger.findVisibleMovements(db, scope, keys), (r) => ({
          countyId: r.countyId,
          id: r.id,
        })),
      countyKeyed,
    ),
    stockTake: new DataLoader<CountyKey, stockTakes.StockTakeRow | null, string>(
      async (keys) =>
        byKeys(keys, await stockTakes.findVisible(db, scope, keys), (r) => ({
          countyId: r.countyId,
          id: r.id,
        })),
      countyKeyed,
    ),
    stockTakeLines: new DataLoader<CountyKey, stockTakes.StockTakeLineRow[], string>(
      async (keys) =>
        groupByKeys(keys, await stockTakes.linesOf(db, keys), (r) => ({
          countyId: r.countyId,
          id: r.stockTakeId,
        })),
      countyKeyed,
    ),
    movementsDuringStockTake: new DataLoader<CountyKey, stock.MovementRow[], string>(
      async (keys) =>
        groupByKeys(keys, await stockTakes.movementsDuring(db, keys), (r) => ({
          countyId: r.countyId,
          id: r.duringStockTakeId,
        })),
      countyKeyed,
    ),
    writeOffRequest: new DataLoader<CountyKey, writeOffs.WriteOffRequestRow | null, string>(
      async (keys) =>
        byKeys(keys, await writeOffs.findVisible(db, scope, keys), (r) => ({
          countyId: r.countyId,
          id: r.id,
        })),
      countyKeyed,
    ),
    rotation: new DataLoader<CountyKey, rotations.RotationRow | null, string>(
      async (keys) =>
        byKeys(keys, await rotations.findVisible(db, scope, keys), (r) => ({
          countyId: r.countyId,
          id: r.id,
        })),
      countyKeyed,
    ),
    regionLineage: new DataLoader<CountyKey, number[], string>(async (keys) => {
      const lineages = await regions.findLineages(db, keys);
      return keys.map((k) => lineages.get(keyString(k)) ?? []);
    }, countyKeyed),
    requisition: new DataLoader<CountyKey, requisitions.RequisitionRow | null, string>(
      async (keys) =>
        byKeys(keys, await requisitionLists.findVisible(db, scopeKeys, keys), (r) => ({
          countyId: r.countyId,
          id: r.id,
        })),
      countyKeyed,
    ),
    /** Requisitions made from these by escalation or as return legs; the caller reads each through `requisition`. */
    requisitionEscalations: new DataLoader<CountyKey, requisitions.RequisitionRow[], string>(
      async (keys) =>
        groupByKeys(keys, await requisitions.escalationsOf(db, keys), (r) => ({
          countyId: r.countyId,
          id: r.escalatedFromId!,
        })),
      countyKeyed,
    ),
    requisitionReturnLegs: new DataLoader<CountyKey, requisitions.RequisitionRow[], string>(
      async (keys) =>
        groupByKeys(keys, await requisitions.returnLegsOf(db, keys), (r) => ({
          countyId: r.countyId,
          id: r.returnOfId!,
        })),
      countyKeyed,
    ),
    requisitionLines: new DataLoader<CountyKey, requisitions.LineRow[], string>(
      async (keys) =>
        groupByKeys(keys, await requisitions.linesOf(db, keys), (r) => ({
          countyId: r.countyId,
          id: r.requisitionId,
        })),
      countyKeyed,
    ),
    requisitionApprovals: new DataLoader<CountyKey, requisitions.ApprovalRow[], string>(
      async (keys) =>
        groupByKeys(keys, await requisitions.approvalsOf(db, keys), (r) => ({
          countyId: r.countyId,
          id: r.requisitionId,
        })),
      countyKeyed,
    ),
    requisitionEvents: new DataLoader<CountyKey, requisitions.EventRow[], string>(
      async (keys) =>
        groupByKeys(keys, await requisitions.eventsOf(db, keys), (r) => ({
          countyId: r.countyId,
          id: r.requisitionId,
        })),
      countyKeyed,
    ),
    requisitionMovements: new DataLoader<CountyKey, stock.MovementRow[], string>(
      async (keys) =>
        groupByKeys(keys, await ledger.movementsOfRequisitions(db, scope, keys), (r) => ({
          countyId: r.countyId,
          id: r.requisitionId!,
        })),
      countyKeyed,
    ),
    lineAllocations: new DataLoader<CountyKey, requisitions.AllocationRow[], string>(
      async (keys) =>
        groupByKeys(keys, await requisitions.allocationsOf(db, keys), (r) => ({
          countyId: r.countyId,
          id: r.requisitionLineId,
        })),
      countyKeyed,
    ),
    lineDiscrepancies: new DataLoader<CountyKey, requisitions.DiscrepancyRow[], string>(
      async (keys) =>
        groupByKeys(keys, await discrepancies.discrepanciesOf(db, keys), (r) => ({
          countyId: r.countyId,
          id: r.requisitionLineId,
        })),
      countyKeyed,
    ),
    lineLoans: new DataLoader<CountyKey, requisitions.LoanRow[], string>(
      async (keys) =>
        groupByKeys(keys, await requisitions.loansOf(db, keys), (r) => ({
          countyId: r.countyId,
          id: r.requisitionLineId,
        })),
      countyKeyed,
    ),
    /** Lots as stored, whatever the viewer's scope: for showing what travelled under a visible requisition. */
    anyLot: new DataLoader<CountyKey, stock.LotRow | null, string>(
      async (keys) =>
        byKeys(keys, await stock.findLotsByKeys(db, keys), (r) => ({ countyId: r.countyId, id: r.id })),
      countyKeyed,
    ),
    item: new DataLoader<number, catalogue.ItemRow | null>((ids) => catalogueOf(db).items(ids)),
    unit: new DataLoader<string, catalogue.UnitRow | null>((codes) => catalogueOf(db).units(codes)),
    user: new DataLoader<number, users.UserRow | null>(async (ids) =>
      byIds(ids, await users.findByIds(db, ids)),
    ),
    userGrants: new DataLoader<number, users.GrantRow[]>(async (ids) => {
      const rows = await users.findGrants(db, ids);
      return ids.map((id) => rows.filter((r) => r.userId === id));
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
