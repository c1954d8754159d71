import { CARRIERS } from "./names.js";
import { at, type Ctx, day, ids, pick, rnd, USER } from "./sql.js";

const townshipUser = (c: string, base: number, t: string) => ids.user(c, `${base} + ${t}`);

/**
 * Open requisitions between neighbouring townships, planned before lots are written because they change lots:
 * an APPROVED line holds part of a lot (`held`), an IN_TRANSIT one has already left it (`out`). Each line takes a
 * lot of its own at the supplier's township depot, serviceable and far from expiry, so holds never pile up.
 */
export async function planRequisitions(ctx: Ctx): Promise<void> {
  const { plan } = ctx;
  const { counties: C, townships: T, requisitions: R } = plan;
  const opened = at(`${day(plan)} - 6`, "09:00");
  await ctx.run(`
    create temp table gen_req on commit drop as
    with r as (
      select c as county_id, (c - 1) * ${R} + r as id from generate_series(1, ${C}) c, generate_series(1, ${R}) r
    ), a as (
      select r.*, 1 + ${rnd("r.id", 21, T)} as a from r
    ), nb as (
      select county_id, region_id, neighbour_id,
             row_number() over (partition by county_id, region_id order by neighbour_id) as rn,
             count(*) over (partition by county_id, region_id) as cnt
        from region_neighbours
    ), q as (
      select a.county_id, a.id, a.a, nb.neighbour_id - a.county_id * 100000 as b,
             case when ${rnd("a.id", 24, 100)} < 40 then 'SUBMITTED'
                  when ${rnd("a.id", 24, 100)} < 75 then 'APPROVED' else 'IN_TRANSIT' end as status,
             case when ${rnd("a.id", 25, 10)} < 6 then 'ROUTINE'
                  when ${rnd("a.id", 25, 10)} < 9 then 'URGENT' else 'EMERGENCY' end as priority,
             date_trunc('minute', ${opened} + ${rnd("a.id", 26, 5760)} * interval '1 minute') as created_at,
             1 + ${rnd("a.id", 27, 3)} as lines
        from a join nb on nb.county_id = a.county_id and nb.region_id = ${ids.township("a.county_id", "a.a")}
                      and nb.rn = 1 + ${rnd("a.id", 22, "nb.cnt")}
    )
    , p as (
      select q.*,
             q.created_at + interval '2 hours' + ${rnd("q.id", 29, 18 * 60)} * interval '1 minute' as approved_at
        from q
    )
    select q.*,
           case when q.status = 'IN_TRANSIT'
                then q.approved_at + interval '1 hour' + ${rnd("q.id", 41, 18 * 60)} * interval '1 minute' end
             as dispatched_at,
           ${pick(CARRIERS, "q.id", 30)} as carrier,
           '豫Q·' || chr(65 + ${rnd("q.id", 38, 26)}::int) || lpad(${rnd("q.id", 39, 100000)}::text, 5, '0')
             as vehicle,
           '138' || lpad(${rnd("q.id", 40, 100000000)}::text, 8, '0') as driver_contact
      from p q`);
  await ctx.run(`
    create temp table gen_rline on commit drop as
    with want as (
      select q.county_id, q.id as req_id, q.status, k as line_no,
             ${ids.depot(plan, "q.county_id", "3 + q.b")} as supplier_depot,
             row_number() over (partition by q.county_id, q.b order by q.id, k) as slot
        from gen_req q cross join lateral generate_series(1, q.lines) as k
    ), eligible as (
      select l.id as lot_id, l.depot_id, l.item_id, l.q - l.t as available,
             row_number() over (partition by l.depot_id order by ${rnd("l.id", 23, 1_000_000_000)}, l.id) as slot
        from gen_lot l
       where l.kind = 'TOWNSHIP_DEPOT' and l.condition = 'SERVICEABLE' and l.mode <> 'SERIAL'
         and (l.expires_on is null or l.expires_on >= ${day(plan)} + 60) and l.q - l.t >= 2
    )
    select w.county_id, row_number() over (order by w.req_id, w.line_no) as id, w.req_id, w.status,
           e.lot_id, e.item_id, greatest(1, floor(e.available * (10 + ${rnd("e.lot_id", 28, 30)}) / 100))::bigint
             as quantity
      from want w join eligible e on e.depot_id = w.supplier_depot and e.slot = w.slot`);
  // a township depot with too few lots leaves a request without lines: drop it rather than keep an empty one
  await ctx.run(`delete from gen_req q where not exists (select 1 from gen_rline r where r.req_id = q.id)`);
  await ctx.run(`
    update gen_lot l
       set held = case when r.status = 'APPROVED' then r.quantity else 0 end,
           out = case when r.status = 'IN_TRANSIT' then r.quantity else 0 end
      from gen_rline r
     where r.lot_id = l.id and r.status <> 'SUBMITTED'`);
}

/** The requisition rows, once lots exist; TRANSFER_OUT lines continue the movement ids after the lots' own. */
export async function insertRequisitions(ctx: Ctx): Promise<number> {
  const C = "q.county_id";
  await ctx.run(`
    insert into requisitions (county_id, id, requesting_region_id, supplying_region_id, destination_depot_id,
                              priority, status, needed_by, reason, incident, return_due_on, carrier, vehicle,
                              driver_contact, created_by, created_at, dispatched_by, dispatched_at)
    select ${C}, q.id, ${ids.township(C, "q.a")}, ${ids.township(C, "q.b")}, ${ids.depot(ctx.plan, C, "3 + q.a")},
           q.priority::priority, q.status::requisition_status, q.created_at + interval '3 days',
           case q.priority when 'EMERGENCY' then '险情抢护急需物资' when 'URGENT' then '汛期防汛物资补充'
                           else '储备定额缺口调剂' end,
           case when q.priority = 'EMERGENCY' then '堤防管涌险情 #' || q.id else '' end,
           case when q.status <> 'SUBMITTED' then (q.approved_at at time zone 'Asia/Shanghai')::date + 30 end,
           case when q.status = 'IN_TRANSIT' then q.carrier end,
           case when q.status = 'IN_TRANSIT' then q.vehicle end,
           case when q.status = 'IN_TRANSIT' then q.driver_contact end,
           ${townshipUser(C, USER.townshipOfficer, "q.a")}, q.created_at,
           case when q.status = 'IN_TRANSIT' then ${townshipUser(C, USER.townshipKeeper, "q.b")} end,
           q.dispatched_at
      from gen_req q order by q.id`);
  await ctx.run(`
    insert into requisition_lines (county_id, id, requisition_id, item_id, requested_quantity, approved_quantity,
                                   dispatched_quantity)
    select county_id, id, req_id, item_id, quantity,
           case when status <> 'SUBMITTED' then quantity end, case when status = 'IN_TRANSIT' then quantity end
      from gen_rline order by id`);
  await ctx.run(`
    insert into allocations (county_id, id, requisition_line_id, lot_id, quantity, dispatched_at)
    select r.county_id, row_number() over (order by r.id), r.id, r.lot_id, r.quantity, q.dispatched_at
      from gen_rline r join gen_req q on q.id = r.req_id
     where r.status <> 'SUBMITTED'`);
  await ctx.run(`
    insert into requisition_approvals (county_id, id, requisition_id, level, approver_id, note, approved_at)
    select ${C}, row_number() over (order by q.id), q.id, 'SUPPLIER',
           ${townshipUser(C, USER.townshipOfficer, "q.b")}, '', q.approved_at
      from gen_req q where q.status <> 'SUBMITTED'`);
  await ctx.run(`
    insert into requisition_events (county_id, id, requisition_id, from_status, to_status, actor_id, note,
                                    occurred_at)
    select ${C}, row_number() over (order by q.id, e.step), q.id, e.from_status::requisition_status,
           e.to_status::requisition_status, e.actor_id, e.note, e.occurred_at
      from gen_req q
      cross join lateral (values
        (1, null, 'DRAFT', ${townshipUser(C, USER.townshipOfficer, "q.a")}, 'created', q.created_at),
        (2, 'DRAFT', 'SUBMITTED', ${townshipUser(C, USER.townshipOfficer, "q.a")}, 'submitted',
         q.created_at + interval '10 minutes'),
        (3, 'SUBMITTED', 'APPROVED', ${townshipUser(C, USER.townshipOfficer, "q.b")}, 'approved at supplier level',
         q.approved_at),
        (4, 'APPROVED', 'IN_TRANSIT', ${townshipUser(C, USER.townshipKeeper, "q.b")},
         'dispatched by ' || q.carrier || ', ' || q.vehicle, q.dispatched_at)
      ) as e(step, from_status, to_status, actor_id, note, occurred_at)
     where e.step <= case q.status when 'SUBMITTED' then 2 when 'APPROVED' then 3 else 4 end`);
  const [row] = await ctx.query<{ next: string }>(`select coalesce(max(id), 0) as next from movements`);
  return ctx.run(`
    insert into movements (county_id, id, depot_id, lot_id, item_id, kind, quantity, actor_id, occurred_at,
                           recorded_at, reason, reference, requisition_id)
    select l.county_id, ${row?.next ?? 0} + row_number() over (order by r.id), l.depot_id, l.id, l.item_id,
           'TRANSFER_OUT', -r.quantity, l.keeper_id, q.dispatched_at, q.dispatched_at,
           'requisition ' || q.id || ' dispatched', q.carrier || ' ' || q.vehicle, q.id
      from gen_rline r join gen_req q on q.id = r.req_id join gen_lot l on l.id = r.lot_id
     where r.status = 'IN_TRANSIT'`);
}
