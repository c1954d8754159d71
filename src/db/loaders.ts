import DataLoader from "dataloader";
import type { ReadScope } from "../domain/custody/policy.js";
import type { CalendarDate } from "../domain/shared/calendar.js";
import { catalogueOf } from "./catalogueCache.js";
import { regionsOf } from "./regionCache.js";
import type { Executor } from "./client.js";
import { byKeys, type CountyKey, groupByKeys, keyString } from "./keys.js";
import * as agreements from "./repositories/agreements.js";
import * as callUps from "./repositories/callUps.js";
import * as depots from "./repositories/depots.js";
import * as emergencies from "./repositories/emergencies.js";
import * as paperwork from "./repositories/emergencyPaperwork.js";
import * as keepers from "./repositories/depotKeepers.js";
import * as lotReads from "./repositories/lots.js";
import * as movementReads from "./repositories/movements.js";
import * as regions from "./repositories/regions.js";
import * as requisitionLists from "./repositories/requisitions.lists.js";
import * as requisitions from "./repositories/requisitions.js";
import * as rotations from "./repositories/rotations.js";
import * as stockLevels from "./repositories/stockLevels.js";
import * as stockTakes from "./repositories/stockTakes.js";
import * as users from "./repositories/users.js";
import * as vehicles from "./repositories/vehicles.js";
import * as writeOffRequests from "./repositories/writeOffRequests.js";
import type * as catalogue from "./repositories/catalogue.js";

const countyKeyed = { cacheKeyFn: keyString };

function byIds<T extends { id: number }>(ids: readonly number[], rows: T[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
}

type Batch<R> = (keys: readonly CountyKey[]) => Promise<R[]>;

/** One row per key, found by the row's own county and id; a key with no row answers null. */
function oneEach<R extends CountyKey>(batch: Batch<R>) {
  return new DataLoader<CountyKey, R | null, string>(
    async (keys) => byKeys(keys, await batch(keys), (r) => ({ countyId: r.countyId, id: r.id })),
    countyKeyed,
  );
}

/** The rows that belong to each key (its children, lines, events), grouped by the id they point at. */
function groupedUnder<R extends { countyId: number }>(batch: Batch<R>, ownerId: (row: R) => number) {
  return new DataLoader<CountyKey, R[], string>(
    async (keys) => groupByKeys(keys, await batch(keys), (r) => ({ countyId: r.countyId, id: ownerId(r) })),
    countyKeyed,
  );
}

/** One loader per distinct question (a day, an instant), made the first time it is asked in the request. */
function perQuestion<Q, L>(make: (question: Q) => L, tagOf: (question: Q) => Q | string = (q) => q) {
  const made = new Map<Q | string, L>();
  return (question: Q): L => {
    const tag = tagOf(question);
    let loader = made.get(tag);
    if (!loader) {
      loader = make(question);
      made.set(tag, loader);
    }
    return loader;
  };
}

function regionLoaders(db: Executor) {
  return {
    region: new DataLoader<CountyKey, regions.RegionRow | null, string>(
      (keys) => regionsOf(db).rows(keys),
      countyKeyed,
    ),
    regionChildren: groupedUnder(
      (keys) => regions.findChildren(db, keys),
      (r) => r.parentId!,
    ),
    regionNeighbours: groupedUnder(
      (keys) => regions.findNeighbours(db, keys),
      (r) => r.regionId,
    ),
    regionLineage: new DataLoader<CountyKey, number[], string>(async (keys) => {
      const lineages = await regions.findLineages(db, keys);
      return keys.map((k) => lineages.get(keyString(k)) ?? []);
    }, countyKeyed),
  };
}

function depotLoaders(db: Executor, scope: ReadScope) {
  return {
    depot: oneEach((keys) => depots.findVisibleByKeys(db, scope, keys)),
    /** Keeper assignments: current ones, all of them, or those in force at an instant; one loader per question. */
    depotKeepers: perQuestion(
      (opts: { includePast: boolean; asOf: Date | null }) =>
        groupedUnder(
          (keys) => keepers.findKeepers(db, keys, opts),
          (r) => r.depotId,
        ),
      (opts) => (opts.asOf ? opts.asOf.toISOString() : String(opts.includePast)),
    ),
    /** Depots as stored, whatever the viewer's scope: for a handover an administrator just recorded. */
    anyDepot: oneEach((keys) => depots.findByKeys(db, keys)),
    depotHandovers: groupedUnder(
      (keys) => keepers.handoversOf(db, keys),
      (r) => r.depotId,
    ),
    agreement: oneEach((keys) => agreements.findByKeys(db, keys)),
    agreementLines: groupedUnder(
      (keys) => agreements.linesOf(db, keys),
      (r) => r.agreementId,
    ),
  };
}

/** One item's stock level at one depot, judged on a day: a page of lots asks for just its own items. */
function stockLevelLoader(db: Executor, day: CalendarDate) {
  const keyOf = stockLevels.stockLevelKeyString;
  return new DataLoader<
    stockLevels.StockLevelKey,
    stockLevels.StockLevelRow,
    stockLevels.StockLevelKeyString
  >(
    async (keys) => {
      const rows = new Map((await stockLevels.stockByDepotItems(db, keys, day)).map((r) => [keyOf(r), r]));
      // the query answers every pair it is asked; a missing one would be a bug, not an empty depot
      return keys.map((k) => rows.get(keyOf(k)) ?? new Error(`no stock row for ${keyOf(k)}`));
    },
    { cacheKeyFn: keyOf },
  );
}

function stockLoaders(db: Executor, scope: ReadScope) {
  return {
    /** A depot's stock levels judged on a day: one loader per day asked, so expiry is decided at query time. */
    stockLevelsOn: perQuestion((day: CalendarDate) =>
      groupedUnder(
        (keys) => stockLevels.stockByDepots(db, keys, day),
        (r) => r.depotId,
      ),
    ),
    stockLevelOn: perQuestion((day: CalendarDate) => stockLevelLoader(db, day)),
    lot: oneEach((keys) => lotReads.findVisibleLotsByKeys(db, scope, keys)),
    /** Lots as stored, whatever the viewer's scope: for showing what travelled under a visible requisition. */
    anyLot: oneEach((keys) => lotReads.findLotsByKeys(db, keys)),
    movement: oneEach((keys) => movementReads.findVisibleMovements(db, scope, keys)),
    stockTake: oneEach((keys) => stockTakes.findVisible(db, scope, keys)),
    stockTakeLines: groupedUnder(
      (keys) => stockTakes.linesOf(db, keys),
      (r) => r.stockTakeId,
    ),
    movementsDuringStockTake: groupedUnder(
      (keys) => stockTakes.movementsDuring(db, keys),
      (r) => r.duringStockTakeId,
    ),
    writeOffRequest: oneEach((keys) => writeOffRequests.findVisible(db, scope, keys)),
    rotation: oneEach((keys) => rotations.findVisible(db, scope, keys)),
  };
}

function requisitionLoaders(db: Executor, scope: ReadScope) {
  const scopeKeys = requisitionLists.requisitionScope(scope);
  return {
    requisition: oneEach((keys) => requisitionLists.findVisible(db, scopeKeys, keys)),
    /** Requisitions made from these by escalation or as return legs; the caller reads each through `requisition`. */
    requisitionEscalations: groupedUnder(
      (keys) => requisitions.escalationsOf(db, keys),
      (r) => r.escalatedFromId!,
    ),
    requisitionReturnLegs: groupedUnder(
      (keys) => requisitions.returnLegsOf(db, keys),
      (r) => r.returnOfId!,
    ),
    requisitionLines: groupedUnder(
      (keys) => requisitions.linesOf(db, keys),
      (r) => r.requisitionId,
    ),
    requisitionApprovals: groupedUnder(
      (keys) => requisitions.approvalsOf(db, keys),
      (r) => r.requisitionId,
    ),
    requisitionEvents: groupedUnder(
      (keys) => requisitions.eventsOf(db, keys),
      (r) => r.requisitionId,
    ),
    requisitionMovements: groupedUnder(
      (keys) => movementReads.movementsOfRequisitions(db, scope, keys),
      (r) => r.requisitionId!,
    ),
  };
}

/** What a requisition's lines carry: the lots allocated to them, what arrived short, what is on loan. */
function requisitionLineLoaders(db: Executor) {
  return {
    lineAllocations: groupedUnder(
      (keys) => requisitions.allocationsOf(db, keys),
      (r) => r.requisitionLineId,
    ),
    lineDiscrepancies: groupedUnder(
      (keys) => requisitions.discrepanciesOf(db, keys),
      (r) => r.requisitionLineId,
    ),
    lineLoans: groupedUnder(
      (keys) => requisitions.loansOf(db, keys),
      (r) => r.requisitionLineId,
    ),
  };
}

/** Vehicles on call (应急运力), their open journeys, the vehicles of each requisition and the free ones per region. */
function vehicleLoaders(db: Executor) {
  return {
    vehicle: oneEach((keys) => vehicles.findByKeys(db, keys)),
    vehicleOpenJourney: new DataLoader<CountyKey, vehicles.JourneyRow | null, string>(
      async (keys) =>
        byKeys(keys, await vehicles.openJourneysOf(db, keys), (j) => ({
          countyId: j.countyId,
          id: j.vehicleId,
        })),
      countyKeyed,
    ),
    requisitionJourneys: groupedUnder(
      (keys) => vehicles.journeysOfRequisitions(db, keys),
      (j) => j.requisitionId,
    ),
    freeVehiclesUnder: new DataLoader<CountyKey, number, string>(async (keys) => {
      const counts = await vehicles.freeUnder(db, keys);
      return keys.map((k) => counts.get(keyString(k)) ?? 0);
    }, countyKeyed),
  };
}

/** Declared emergencies and their paperwork, as far as the viewer sees them. */
function emergencyLoaders(db: Executor, scope: ReadScope) {
  return {
    emergency: oneEach((keys) => emergencies.findVisibleByKeys(db, scope, keys)),
    paperwork: oneEach((keys) => paperwork.findVisibleByKeys(db, scope, keys)),
    /** The emergencies active at an instant that cover each region; one loader per instant asked. */
    emergenciesCovering: perQuestion(
      (at: Date) =>
        new DataLoader<CountyKey, emergencies.EmergencyRow[], string>(async (keys) => {
          const rows = await emergencies.activeCovering(db, scope, keys, at);
          return groupByKeys(keys, rows, (r) => ({
            countyId: r.emergency.countyId,
            id: r.coveredRegionId,
          })).map((group) => group.map((r) => r.emergency));
        }, countyKeyed),
      (at) => at.toISOString(),
    ),
  };
}

function catalogueAndPeopleLoaders(db: Executor) {
  return {
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

/** Agreement call-ups the viewer may read (by their destination depot), their lines and their deliveries. */
function callUpLoaders(db: Executor, scope: ReadScope) {
  return {
    callUp: oneEach((keys) => callUps.findVisible(db, scope, keys)),
    callUpLines: groupedUnder(
      (keys) => callUps.linesOf(db, keys),
      (r) => r.callUpId,
    ),
    callUpReceipts: groupedUnder(
      (keys) => callUps.receiptsOf(db, keys),
      (r) => r.callUpId!,
    ),
    agreementCallUps: groupedUnder(
      (keys) => callUps.ofAgreements(db, scope, keys),
      (r) => r.agreementId,
    ),
  };
}

/**
 * Per-request loaders: every field that reads a related row goes through one of these, so a page of 50
 * depots costs the same number of statements as a page of 1. Depots are loaded within the actor's scope.
 */
export function createLoaders(db: Executor, scope: ReadScope) {
  return {
    ...regionLoaders(db),
    ...depotLoaders(db, scope),
    ...callUpLoaders(db, scope),
    ...stockLoaders(db, scope),
    ...requisitionLoaders(db, scope),
    ...requisitionLineLoaders(db),
    ...vehicleLoaders(db),
    ...emergencyLoaders(db, scope),
    ...catalogueAndPeopleLoaders(db),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
