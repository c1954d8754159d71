import { RECIPIENTS } from "./names.js";
import { at, chunks, type Ctx, day, pick, rnd, unit } from "./sql.js";

/** How widely each kind of depot reaches into the catalogue: a higher power crowds its lots on common items. */
const ITEM_SKEW = `case d.kind when 'VILLAGE_POINT' then 3.0 when 'TOWNSHIP_DEPOT' then 1.6 else 1.0 end`;
/** Lot size relative to an item's typical township lot. */
const SIZE = `case d.kind when 'COUNTY_WAREHOUSE' then 5 when 'AGENT_STORAGE' then 4
                          when 'AGREEMENT_RESERVE' then 3 when 'TOWNSHIP_DEPOT' then 1 else 0.2 end`;

/**
 * The lot plan `gen_lot`: per lot its item, dates, condition and the shape of its ledger, decided before any row
 * is written so that a lot's on-hand is known in closed form. A non-serial lot receives q, then n - 1 outgoing
 * lines take t in all (each at least 1); a serial unit is lent out and comes back, ending at 1. Requisitions later
 * add `held` (allocated) and `out` (dispatched, one more TRANSFER_OUT line).
 */
export async function planLots(ctx: Ctx): Promise<number> {
  const { plan } = ctx;
  const today = day(plan);
  await ctx.run(`
    create temp table gen_lot on commit drop as
    with s as (
      select d.county_id, d.first_lot + k as id, d.id as depot_id, d.kind, d.keeper_id, d.keeper2_id,
             1 + floor(${plan.items} * power(${unit("d.first_lot + k", 11)}, ${ITEM_SKEW}))::int as item_id,
             ${SIZE} as size
        from gen_depot d cross join lateral generate_series(0, d.lots - 1) as k
    ), p as (
      select s.*, i.mode, i.test_every,
             case when i.mode = 'SERIAL' then 1 + 2 * ${rnd("s.id", 12, 10)} else 1 + ${rnd("s.id", 12, 19)} end
               as n,
             ${today} - 730 + ${rnd("s.id", 14, 700)}::int as received_on,
             case when i.mode = 'LOT' then ${today} - 120 + ${rnd("s.id", 15, 1095)}::int end as expires_raw,
             case when ${rnd("s.id", 13, 100)} < 3 then 'QUARANTINED'
                  when ${rnd("s.id", 13, 100)} = 3 then 'DAMAGED' else 'SERVICEABLE' end as condition,
             greatest(1, round(i.qty * s.size * (0.3 + ${rnd("s.id", 16, 140)} / 100.0)))::bigint as q_raw,
             0.6 + ${rnd("s.id", 17, 100)} / 100.0 as shape,
             0.2 + ${rnd("s.id", 18, 50)} / 100.0 as used
        from s join gen_item i on i.id = s.item_id
    ), q as (
      select p.*, case when mode = 'SERIAL' then 1 else greatest(4, 2 * n, q_raw) end as q,
             case when expires_raw is not null then greatest(received_on + 30, expires_raw) end as expires_on
        from p
    )
    select county_id, id, depot_id, kind, keeper_id, keeper2_id, item_id, mode, n, received_on, expires_on,
           condition, q,
           -- a lot with only its receipt has given nothing out
           case when mode = 'SERIAL' or n = 1 then 0 else greatest(n - 1, floor(q * used))::bigint end as t,
           shape::float8 as shape,
           case when test_every is not null
                then greatest(received_on, ${today} - ${rnd("id", 19, "test_every * 3 / 2 + 1")}::int) end
             as last_test_run_on,
           ${at("received_on", "09:00")} as received_ts,
           greatest(${at("received_on + 1", "09:00")}, ${at(`least(${today} - 7, expires_on)`, "18:00")}) as end_ts,
           sum(n) over (order by id) - n + 1 as first_mv,
           0::bigint as held, 0::bigint as out
      from q`);
  await ctx.run(`alter table gen_lot add primary key (id)`);
  const [row] = await ctx.query<{ lots: string; lines: string }>(
    `select count(*) as lots, coalesce(sum(n), 0) as lines from gen_lot`,
  );
  return Number(row?.lines ?? 0);
}

/** Lots, with balances that equal the ledger written next (checked at the end). */
export async function insertLots(ctx: Ctx): Promise<number> {
  const [row] = await ctx.query<{ max: string | null }>(`select max(id) as max from gen_lot`);
  const total = Number(row?.max ?? 0);
  let done = 0;
  for (const [lo, hi] of chunks(total, 50_000)) {
    done += await ctx.run(`
      insert into lots (county_id, id, depot_id, item_id, lot_code, received_on, expires_on, condition,
                        serial_number, last_test_run_on, on_hand, allocated, created_at)
      select county_id, id, depot_id, item_id,
             to_char(received_on, 'YYYY') || '-' || lpad(item_id::text, 3, '0') || '-' || id,
             received_on, expires_on, condition::lot_condition,
             case when mode = 'SERIAL' then 'SN-' || item_id || '-' || lpad(id::text, 8, '0') end,
             last_test_run_on, q - t - out, held, received_ts
        from gen_lot where id between ${lo} and ${hi} order by id`);
    ctx.progress.update(hi / total);
  }
  return done;
}

const ISSUE_REASON = `case purpose when 'FLOOD_FIGHTING' then '防汛抢险领用出库' when 'DRILL' then '应急演练领用出库'
                      when 'DISTRIBUTION' then '受灾群众发放出库' else '其他领用出库' end`;

/**
 * The ledger of every lot. Outgoing line k takes 1 + f(k) - f(k - 1) with f(k) = floor(t' * (k / (n - 1))^shape)
 * and t' = t - (n - 1): the differences telescope, so the lines add up to exactly t whatever the shape, every line
 * is non-zero, and the balance stays at or above q - t > 0. Times rise through the lot's span, before its expiry.
 */
export async function insertMovements(ctx: Ctx): Promise<number> {
  const [row] = await ctx.query<{ max: string | null }>(`select max(id) as max from gen_lot`);
  const total = Number(row?.max ?? 0);
  let done = 0;
  for (const [lo, hi] of chunks(total, 10_000)) {
    done += await ctx.run(`
      insert into movements (county_id, id, depot_id, lot_id, item_id, kind, quantity, actor_id, occurred_at,
                             recorded_at, reason, reference, source, recipient, purpose, write_off_cause)
      select county_id, id, depot_id, lot_id, item_id, kind::movement_kind, quantity, actor_id, ts, ts,
             case kind when 'RECEIPT' then case source when 'OPENING_BALANCE' then '期初储备余额入库'
                                                        when 'DONATION' then '社会捐赠物资入库'
                                                        else '年度储备采购入库' end
                       when 'ISSUE' then ${ISSUE_REASON}
                       when 'RETURN' then '演练借用设备归还入库'
                       when 'ADJUSTMENT' then '盘点差异调整（盘亏）'
                       else case cause when 'DAMAGED' then '搬运受损报废' else '清点丢失报损' end end,
             case kind when 'RECEIPT' then 'RK-' || lot_id when 'ISSUE' then 'CK-' || id else '' end,
             source::receipt_source, recipient, purpose::issue_purpose, cause::write_off_cause
        from (
          select l.county_id, l.first_mv + k as id, l.depot_id, l.id as lot_id, l.item_id, x.kind, x.quantity,
                 case when ${rnd("l.first_mv + k", 32, 4)} = 0 then l.keeper2_id else l.keeper_id end as actor_id,
                 date_trunc('second', l.received_ts + (l.end_ts - l.received_ts)
                   * ((k + case when k = 0 then 0 else 0.8 * ${unit("l.first_mv + k", 33)} end) / l.n)) as ts,
                 case when x.kind = 'RECEIPT' then
                   case when l.received_on < ${day(ctx.plan)} - 600 then 'OPENING_BALANCE'
                        when ${rnd("l.id", 34, 10)} = 0 then 'DONATION' else 'PURCHASE' end end as source,
                 case when x.kind = 'ISSUE' then ${pick(RECIPIENTS, "l.first_mv + k", 35)} end as recipient,
                 case when x.kind = 'ISSUE' then
                   case when l.mode = 'SERIAL' then 'DRILL'
                        else (array['FLOOD_FIGHTING', 'DRILL', 'DISTRIBUTION', 'OTHER'])[1 + ${rnd("l.first_mv + k", 36, 4)}]
                   end end as purpose,
                 case when x.kind = 'WRITE_OFF' then
                   case when ${rnd("l.first_mv + k", 37, 5)} < 3 then 'DAMAGED' else 'LOST' end end as cause
            from gen_lot l
            cross join lateral generate_series(0, l.n - 1) as k
            cross join lateral (select ${rnd("l.first_mv + k", 31, 100)} as h) h
            cross join lateral (
              select case when k = 0 then 'RECEIPT'
                          when l.mode = 'SERIAL' then case when k % 2 = 1 then 'ISSUE' else 'RETURN' end
                          when h.h < 84 then 'ISSUE' when h.h < 91 then 'ADJUSTMENT' else 'WRITE_OFF' end as kind,
                     case when k = 0 then l.q
                          when l.mode = 'SERIAL' then case when k % 2 = 1 then -1 else 1 end
                          else -(1 + floor((l.t - l.n + 1) * power(k::float8 / (l.n - 1), l.shape))
                                   - floor((l.t - l.n + 1) * power((k - 1)::float8 / (l.n - 1), l.shape)))
                     end::numeric as quantity
            ) x
           where l.id between ${lo} and ${hi}
        ) m
       order by id`);
    ctx.progress.update(hi / total);
  }
  return done;
}
