import type postgres from "postgres";
import type { Fixture } from "./questions.js";

/** Where the questions point on a generated dataset: its first county, its fullest depot and so on. */
export async function fixture(sql: postgres.Sql, tier: string): Promise<Fixture & { viewer: string }> {
  const [county] = await sql`select id::int as id from regions where level = 'COUNTY' order by id limit 1`;
  if (!county) throw new Error(`no data: run npm run bench:generate -- --tier ${tier} first`);
  // a township with the most neighbours, so Q3 has offers to weigh
  const [township] =
    await sql`select region_id::int as id from region_neighbours where county_id = ${county.id}
    group by region_id order by count(*) desc, region_id limit 1`;
  // the county warehouse, the fullest depot by construction; chosen by kind, not by counting lots, so that the
  // lots a write workload adds elsewhere cannot move Q1 to another depot from one run to the next
  const [depot] = await sql`select id::int as id from depots where county_id = ${county.id}
    and kind = 'COUNTY_WAREHOUSE' order by id limit 1`;
  const [req] = await sql`select r.id::int as id from requisitions r where r.county_id = ${county.id}
    and exists (select 1 from movements m where m.county_id = r.county_id and m.requisition_id = r.id) order by r.id limit 1`;
  const [anyReq] =
    await sql`select id::int as id from requisitions where county_id = ${county.id} order by id limit 1`;
  const [viewer] = await sql`select u.username from users u join role_grants g on g.user_id = u.id
    where g.role = 'AUDITOR' and g.county_id = ${county.id} order by u.id limit 1`;
  if (!depot || !township || !(req ?? anyReq) || !viewer)
    throw new Error("the dataset lacks a depot, a requisition or an auditor");
  return {
    countyId: county.id,
    townshipId: township.id,
    depotId: depot.id,
    requisitionId: (req ?? anyReq)!.id,
    asOf: "2026-11-24",
    viewer: viewer.username,
  };
}
