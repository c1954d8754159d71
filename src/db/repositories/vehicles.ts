import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { bigintArray, type CountyKey, inKeys, keyRows, rowsOf } from "../keys.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import { vehicleJourneys, vehicles } from "../schema/index.js";
import type { VehicleStatus } from "../../domain/transport/vehicle.js";

export type VehicleRow = typeof vehicles.$inferSelect;

export type JourneyRow = typeof vehicleJourneys.$inferSelect;

export async function findByPlate(db: Executor, countyId: number, plate: string): Promise<VehicleRow | null> {
  const [row] = await db
    .select()
    .from(vehicles)
    .where(and(eq(vehicles.countyId, countyId), eq(vehicles.plate, plate)));
  return row ?? null;
}

export function findByKeys(db: Executor, keys: readonly CountyKey[]): Promise<VehicleRow[]> {
  return db
    .select()
    .from(vehicles)
    .where(inKeys(vehicles.countyId, vehicles.id, keys));
}

/** The open journey of each vehicle (at most one, by the partial unique index). */
export function openJourneysOf(db: Executor, keys: readonly CountyKey[]): Promise<JourneyRow[]> {
  return db
    .select()
    .from(vehicleJourneys)
    .where(
      and(inKeys(vehicleJourneys.countyId, vehicleJourneys.vehicleId, keys), isNull(vehicleJourneys.endedAt)),
    );
}

/** Every journey made for these requisitions, open or ended, in the order the vehicles were named. */
export function journeysOfRequisitions(db: Executor, keys: readonly CountyKey[]): Promise<JourneyRow[]> {
  return db
    .select()
    .from(vehicleJourneys)
    .where(inKeys(vehicleJourneys.countyId, vehicleJourneys.requisitionId, keys))
    .orderBy(asc(vehicleJourneys.id));
}

/** On call and on no open journey: a vehicle that can be named for a dispatch now. */
const free = sql`${vehicles.status} = 'ON_CALL' and not exists (select 1 from vehicle_journeys j
  where j.county_id = ${vehicles.countyId} and j.vehicle_id = ${vehicles.id} and j.ended_at is null)`;

export interface VehicleFilter {
  counties: number[];
  /** Only vehicles standing by in this region's subtree. */
  region?: CountyKey | undefined;
  status?: VehicleStatus | undefined;
  /** true: on call and free; false: out of service or on the road. */
  available?: boolean | undefined;
}

export async function list(
  db: Executor,
  filter: VehicleFilter,
  page: PageRequest,
): Promise<Page<VehicleRow>> {
  if (filter.counties.length === 0) return { rows: [], hasNextPage: false };
  const rows = await db
    .select()
    .from(vehicles)
    .where(
      and(
        sql`${vehicles.countyId} = any(${bigintArray(filter.counties)})`,
        filter.region
          ? sql`(${vehicles.countyId}, ${vehicles.regionId}) in (select county_id, descendant_id from region_paths where county_id = ${filter.region.countyId} and ancestor_id = ${filter.region.id})`
          : undefined,
        filter.status ? eq(vehicles.status, filter.status) : undefined,
        filter.available === undefined ? undefined : filter.available ? free : sql`not (${free})`,
        page.afterId !== null ? gt(vehicles.id, page.afterId) : undefined,
      ),
    )
    .orderBy(asc(vehicles.id))
    .limit(page.first + 1);
  return toPage(rows, page.first);
}

/**
 * For each region, how many vehicles stand by on call and free in its subtree (the region itself and everything
 * under it), in one statement for every region asked.
 */
export async function freeUnder(db: Executor, regions: readonly CountyKey[]): Promise<Map<string, number>> {
  if (regions.length === 0) return new Map();
  const rows = rowsOf<{ county_id: string | number; region_id: string | number; n: string | number }>(
    await db.execute(sql`
      select k.county_id, k.id as region_id, count(v.id) as n
      from (${keyRows(regions)}) as k(county_id, id)
      join region_paths rp on rp.county_id = k.county_id and rp.ancestor_id = k.id
      join vehicles v on v.county_id = rp.county_id and v.region_id = rp.descendant_id
      where v.status = 'ON_CALL' and not exists (select 1 from vehicle_journeys j
        where j.county_id = v.county_id and j.vehicle_id = v.id and j.ended_at is null)
      group by k.county_id, k.id`),
  );
  return new Map(rows.map((r) => [`${Number(r.county_id)}:${Number(r.region_id)}`, Number(r.n)]));
}
