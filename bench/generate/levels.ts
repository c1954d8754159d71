import { at, type Ctx, day, ids, rnd, USER } from "./sql.js";

/** Items with norms: the commonest ones, which every level is expected to hold. */
const NORM_ITEMS = 50;
const VILLAGE_NORM_ITEMS = 15;
const COUNTY_NORM_ITEMS = 10;

/** Per depot and item, the totals the coverage reports read, as the service keeps them: sums of the lots. */
export async function insertStockLevels(ctx: Ctx): Promise<number> {
  return ctx.run(`
    insert into stock_levels (county_id, depot_id, item_id, on_hand, allocated, reserve_floor, updated_at)
    select county_id, depot_id, item_id, sum(on_hand), sum(allocated), 0, ${at(day(ctx.plan), "08:00")}
      from lots group by county_id, depot_id, item_id order by county_id, depot_id, item_id`);
}

/**
 * Reserve norms: per township for the common items (per 1,000 residents or absolute, a third with a floor), a
 * first-hour kit per village, and county-wide totals. Sized against typical lots so that coverage comes out
 * met, low and critical in a realistic mix. Floors land on each township's depot, as setReserveNorm does.
 */
export async function insertNorms(ctx: Ctx): Promise<number> {
  const { plan } = ctx;
  const n = Math.min(NORM_ITEMS, plan.items);
  const setBy = ids.user("c", String(USER.officer));
  const rows = await ctx.run(`
    insert into reserve_norms (county_id, id, item_id, region_id, level, basis, quantity, reserve_floor, set_by,
                               set_at)
    select c, row_number() over (order by c, scope, i.id), i.id, region_id, level::region_level,
           basis::norm_basis, quantity, floor, ${setBy}, ${at(`${day(plan)} - 200`, "10:00")}
      from generate_series(1, ${plan.counties}) c
      join gen_item i on i.id <= ${n}
      cross join lateral (
        select 1 as scope, null::bigint as region_id, 'TOWNSHIP' as level,
               case when i.id % 2 = 0 then 'PER_THOUSAND_RESIDENTS' else 'ABSOLUTE' end as basis,
               case when i.id % 2 = 0
                    then greatest(0.1, round(i.qty * (0.4 + ${rnd("c * 1000 + i.id", 51, 160)} / 100.0) / 40, 1))
                    else greatest(1, round(i.qty * (0.4 + ${rnd("c * 1000 + i.id", 51, 160)} / 100.0))) end
                 as quantity,
               case when i.id % 3 = 0 then greatest(1, round(i.qty * 0.2)) else 0 end as floor
        union all
        select 2, null, 'VILLAGE', 'ABSOLUTE', greatest(1, round(i.qty * 0.2 * (0.5 + ${rnd("i.id", 52, 100)} / 100.0))), 0
         where i.id <= ${VILLAGE_NORM_ITEMS}
        union all
        select 3, c, null, 'ABSOLUTE', greatest(1, round(i.qty * ${plan.townships} * 1.5)), 0
         where i.id <= ${COUNTY_NORM_ITEMS}
      ) s`);
  await ctx.run(`
    insert into stock_levels (county_id, depot_id, item_id, reserve_floor, updated_at)
    select d.county_id, d.id, n.item_id, n.reserve_floor, ${at(`${day(plan)} - 200`, "10:00")}
      from reserve_norms n
      join gen_depot d on d.county_id = n.county_id and d.kind = 'TOWNSHIP_DEPOT'
     where n.level = 'TOWNSHIP' and n.reserve_floor > 0
    on conflict (county_id, depot_id, item_id) do update set reserve_floor = excluded.reserve_floor`);
  return rows;
}

/**
 * Submitted stock-takes: nine depots in ten counted within the last 85 days (most also half a year before),
 * one in twenty only long ago, one in twenty never, so stale depots show up in readiness.
 */
export async function insertStockTakes(ctx: Ctx): Promise<number> {
  const today = day(ctx.plan);
  return ctx.run(`
    insert into stock_takes (county_id, id, depot_id, status, note, started_by, started_at, submitted_by,
                             submitted_at)
    select county_id, row_number() over (order by id, ago), id, 'SUBMITTED', '', keeper_id,
           ${at(`${today} - ago - 1`, "14:00")}, keeper_id, ${at(`${today} - ago`, "16:00")}
      from (
        select d.*, x.ago, ${rnd("d.id", 53, 100)} as r
          from gen_depot d
          cross join lateral (values (${rnd("d.id", 54, 85)}::int), (180 + ${rnd("d.id", 55, 300)}::int)) as x(ago)
      ) s
     where (r < 90 and (ago < 90 or r < 70)) or (r between 90 and 94 and ago >= 90)`);
}

/** A passed test run for every serial unit that has a last test-run date (that date is what readiness reads). */
export async function insertTestRuns(ctx: Ctx): Promise<number> {
  return ctx.run(`
    insert into test_runs (county_id, id, lot_id, kind, outcome, performed_on, run_minutes, note, actor_id,
                           recorded_at)
    select county_id, row_number() over (order by id), id,
           case when ${rnd("id", 56, 4)} = 0 then 'MAINTENANCE' else 'TEST_RUN' end::test_run_kind, 'PASSED',
           last_test_run_on, 30, '', keeper_id, ${at("last_test_run_on", "10:00")}
      from gen_lot where last_test_run_on is not null`);
}

/** Why quarantined and damaged lots are what they are: each has its condition change on record. */
export async function insertConditionChanges(ctx: Ctx): Promise<number> {
  return ctx.run(`
    insert into lot_condition_changes (county_id, id, lot_id, from_condition, to_condition, reason, actor_id,
                                       recorded_at)
    select county_id, row_number() over (order by id), id, 'SERVICEABLE', condition::lot_condition,
           case condition when 'QUARANTINED' then '抽检发现受潮，隔离待检' else '仓库漏雨受损，待报废' end,
           keeper_id, greatest(received_ts + interval '1 day', end_ts - interval '2 days')
      from gen_lot where condition <> 'SERVICEABLE'`);
}
