import { type Ctx, ids, USER } from "./sql.js";

/**
 * Relative number of lots per depot kind: a county warehouse holds hundreds of items in several lots each, a
 * village point a few dozen. The tier's lot total is shared out by these weights.
 */
const WEIGHT = {
  COUNTY_WAREHOUSE: 30,
  AGENT_STORAGE: 10,
  AGREEMENT_RESERVE: 6,
  TOWNSHIP_DEPOT: 8,
  VILLAGE_POINT: 1,
} as const;

/**
 * Depots and their keepers, plus the session table `gen_depot` that the lot generator reads: each depot's
 * township, keepers, lot count and first lot id. Per county, depot n is: 1 the county warehouse, 2 the agent
 * storage, 3 the agreement reserve, 4 … 3 + T the township depots, then village points spread over the villages.
 */
export async function generateDepots(ctx: Ctx): Promise<void> {
  const { plan } = ctx;
  const { counties: C, townships: T, villages: V, depots: D, lots: L } = plan;
  const vp = `n - ${4 + T}`; // village point number, from 0
  await ctx.run(`
    create temp table gen_depot on commit drop as
    with d as (
      select c as county_id, n, ${ids.depot(plan, "c", "n")} as id,
             case n when 1 then 'COUNTY_WAREHOUSE' when 2 then 'AGENT_STORAGE' when 3 then 'AGREEMENT_RESERVE'
                    else case when n <= ${3 + T} then 'TOWNSHIP_DEPOT' else 'VILLAGE_POINT' end end as kind,
             case when n <= 3 then null when n <= ${3 + T} then n - 3 else 1 + (${vp}) % ${V} % ${T} end
               as township_no,
             case when n > ${3 + T} then (${vp}) % ${V} end as village_no,
             case when n > ${3 + T} then (${vp}) / ${V} + 1 end as point_no
        from generate_series(1, ${C}) c, generate_series(1, ${D}) n
    ), w as (
      select d.*, case kind ${Object.entries(WEIGHT)
        .map(([k, v]) => `when '${k}' then ${v}`)
        .join(" ")} end as weight
        from d
    ), cw as (
      select w.*, sum(weight) over (partition by county_id order by n) as cum,
             sum(weight) over (partition by county_id) as total
        from w
    )
    select county_id, n, id, kind, township_no, village_no, point_no,
           case when township_no is null then county_id::bigint
                when village_no is null then ${ids.township("county_id", "township_no")}
                else ${ids.village("county_id", "village_no")} end as region_id,
           -- shares by cumulative weight, so a county gets exactly its lots whatever the rounding
           (${L} * cum / total - ${L} * (cum - weight) / total)::int as lots,
           case when township_no is null then ${ids.user("county_id", String(USER.keeper))}
                else ${ids.user("county_id", `${USER.townshipKeeper} + township_no`)} end as keeper_id,
           case when township_no is null then ${ids.user("county_id", String(USER.keeper2))}
                else ${ids.user("county_id", `${USER.townshipKeeper2} + township_no`)} end as keeper2_id,
           case when township_no is null then ${ids.user("county_id", String(USER.officer))}
                else ${ids.user("county_id", `${USER.townshipOfficer} + township_no`)} end as officer_id
      from cw`);
  await ctx.run(`alter table gen_depot add column first_lot bigint`);
  await ctx.run(`
    update gen_depot g set first_lot = s.first
      from (select id, sum(lots) over (order by id) - lots + 1 as first from gen_depot) s
     where s.id = g.id`);
  await ctx.run(`alter table gen_depot add primary key (id)`);
  await ctx.run(`
    insert into depots (county_id, id, region_id, code, kind, name_zh, name_en, address, custodian_org,
                        call_up_lead_hours, created_at)
    select g.county_id, g.id, g.region_id,
           case g.kind when 'COUNTY_WAREHOUSE' then 'CW-01' when 'AGENT_STORAGE' then 'AS-01'
                       when 'AGREEMENT_RESERVE' then 'AR-01'
                       when 'TOWNSHIP_DEPOT' then 'TD-' || lpad(g.township_no::text, 2, '0')
                       else 'VP-' || lpad(g.township_no::text, 2, '0') || '-' || lpad(g.village_no::text, 4, '0')
                            || '-' || g.point_no end,
           g.kind::depot_kind,
           case g.kind when 'COUNTY_WAREHOUSE' then r.name_zh || '应急物资储备库'
                       when 'AGENT_STORAGE' then r.name_zh || '物流园应急物资代储点'
                       when 'AGREEMENT_RESERVE' then r.name_zh || '商贸公司协议储备点'
                       when 'TOWNSHIP_DEPOT' then r.name_zh || '应急物资储备库'
                       else r.name_zh || '救灾物资存放点' || g.point_no end,
           case g.kind when 'COUNTY_WAREHOUSE' then r.name_en || ' Emergency Supply Warehouse'
                       when 'AGENT_STORAGE' then r.name_en || ' Logistics Agent Storage'
                       when 'AGREEMENT_RESERVE' then r.name_en || ' Trading Agreement Reserve'
                       when 'TOWNSHIP_DEPOT' then r.name_en || ' Emergency Supply Depot'
                       else r.name_en || ' Relief Supply Point ' || g.point_no end,
           r.name_zh || case g.kind when 'VILLAGE_POINT' then '村委会院内' else '政府街' || g.n || '号' end,
           case g.kind when 'AGENT_STORAGE' then r.name_zh || '顺达物流有限公司'
                       when 'AGREEMENT_RESERVE' then r.name_zh || '华联商贸有限公司'
                       when 'VILLAGE_POINT' then r.name_zh || '村民委员会'
                       when 'TOWNSHIP_DEPOT' then r.name_zh || '应急办'
                       else r.name_zh || '应急管理局' end,
           case when g.kind = 'AGREEMENT_RESERVE' then 12 end,
           timestamptz '2024-01-01 09:00:00+08'
      from gen_depot g join regions r on r.county_id = g.county_id and r.id = g.region_id
     order by g.id`);
  await ctx.run(`
    insert into depot_keepers (county_id, depot_id, user_id, assigned_at)
    select county_id, id, keeper_id, timestamptz '2024-01-01 09:00:00+08' from gen_depot
    union all
    select county_id, id, keeper2_id, timestamptz '2024-01-01 09:00:00+08' from gen_depot`);
}
