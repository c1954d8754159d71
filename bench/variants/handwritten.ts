import { createServer, type IncomingMessage } from "node:http";
import type { Lane } from "../flows.js";
import postgres from "postgres";

/**
 * Variant A, the limit: a bare node:http handler and one hand-written SQL statement per question, no auth, no
 * GraphQL. Whatever this costs is what the database itself costs.
 */
const sql = postgres(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/bench", {
  max: 10,
  onnotice: () => {},
});

/**
 * Coverage cells of the regions in `regs` × the items in `normed` (both CTEs of the caller): the subtree's usable
 * stock summed once per (region, item), and the effective norm (the region's own, else its level's; per 1,000
 * residents rounded up to the unit), as a lateral `x` over `rg`, `it` and `u`.
 */
function usableByRegion(county: string, asOf: string) {
  return sql`figures as (
        select pa.ancestor_id as region_id, l.item_id, sum(l.on_hand - l.allocated) as usable
          from region_paths pa
          join depots d on d.county_id = pa.county_id and d.region_id = pa.descendant_id
                       and d.kind <> 'AGREEMENT_RESERVE'
          join lots l on l.county_id = d.county_id and l.depot_id = d.id
         where pa.county_id = ${county} and pa.ancestor_id in (select region_id from regs)
           and l.item_id in (select item_id from normed) and l.condition = 'SERVICEABLE'
           and (l.expires_on is null or l.expires_on >= ${asOf}::date)
         group by 1, 2)`;
}

function coverageOf() {
  return sql`left join figures f on f.region_id = rg.id and f.item_id = it.id
    cross join lateral (select coalesce(f.usable, 0) as usable,
      (select case n.basis when 'ABSOLUTE' then n.quantity
                else ceil(n.quantity * rg.population / 1000 * 10::numeric ^ u.scale) / 10::numeric ^ u.scale end
         from reserve_norms n
        where n.county_id = rg.county_id and n.item_id = it.id
          and (n.region_id = rg.id or (n.region_id is null and n.level = rg.level))
        order by n.region_id nulls last limit 1) as required) x`;
}

const STATUS = sql`case when x.required is null then null when x.usable >= x.required then 'MET'
  when x.usable * 2 >= x.required then 'LOW' when x.usable > 0 then 'CRITICAL' else 'NONE' end`;

const handlers: Record<string, (p: URLSearchParams) => Promise<unknown>> = {
  async "/q1"(p) {
    const [row] = await sql`
      select coalesce(json_agg(x), '[]') as answer from (
        select l.lot_code, l.on_hand::text as on_hand, l.allocated::text as allocated, l.condition,
               i.code as item_code, i.name_zh as item_name,
               coalesce((select sum(a.quantity)
                  from requisitions r
                  join requisition_lines rl on rl.county_id = r.county_id and rl.requisition_id = r.id
                  join allocations a on a.county_id = rl.county_id and a.requisition_line_id = rl.id
                 where r.county_id = l.county_id and r.destination_depot_id = l.depot_id
                   and r.status = 'IN_TRANSIT' and rl.item_id = l.item_id
                   and a.dispatched_at is not null and a.released_at is null), 0)::text as in_transit
          from lots l join items i on i.id = l.item_id
         where l.county_id = ${p.get("county")} and l.depot_id = ${p.get("depot")}
         order by l.id limit 50) x`;
    return row!.answer;
  },
  async "/q2"(p) {
    const [row] = await sql`
      select coalesce(json_agg(x), '[]') as answer from (
        select l.lot_code, l.on_hand::text as on_hand, l.expires_on::text as expires_on, d.code as depot_code,
               rg.name_zh as region_name
          from lots l
          join depots d on d.county_id = l.county_id and d.id = l.depot_id
          join regions rg on rg.county_id = d.county_id and rg.id = d.region_id
         where l.county_id = ${p.get("county")} and l.condition = 'SERVICEABLE' and l.on_hand > 0
           and l.expires_on between ${p.get("asOf")}::date and ${p.get("asOf")}::date + 30
         order by l.expires_on, l.id limit 100) x`;
    return row!.answer;
  },
  async "/q3"(p) {
    const [row] = await sql`
      with recursive reach(region_id, minutes) as (
        select ${p.get("township")}::bigint, 0
        union all
        select n.neighbour_id, r.minutes + n.travel_minutes
          from reach r join region_neighbours n on n.county_id = ${p.get("county")} and n.region_id = r.region_id
         where r.minutes + n.travel_minutes <= 60
      ), regs as (
        select region_id, min(minutes) as minutes from reach group by region_id
      ), normed as (
        select distinct item_id from reserve_norms where county_id = ${p.get("county")}
      ), ${usableByRegion(p.get("county")!, p.get("asOf")!)}, cells as (
        select rg.id as region_id, rg.division_code, regs.minutes, it.id as item_id, it.code as item_code,
               x.usable, x.required, ${STATUS} as status
          from regs join regions rg on rg.county_id = ${p.get("county")} and rg.id = regs.region_id
          cross join normed join items it on it.id = normed.item_id join units u on u.code = it.unit_code
          ${coverageOf()}
      )
      select coalesce(json_agg(json_build_object('item_code', c.item_code, 'required', c.required::text,
               'usable', c.usable::text, 'status', c.status,
               'neighbours', coalesce((select json_agg(json_build_object('division_code', o.division_code,
                   'minutes', o.minutes, 'quantity', o.lendable::text) order by o.minutes, o.region_id)
                 from (select n.*, greatest(n.usable - coalesce(n.required, 0), 0) as lendable from cells n
                        where n.item_id = c.item_id and n.region_id <> c.region_id) o
                where o.lendable > 0), '[]'))), '[]') as answer
        from cells c where c.region_id = ${p.get("township")} and c.required is not null`;
    return row!.answer;
  },
  async "/q4"(p) {
    const [row] = await sql`
      with normed as (
        select distinct item_id from reserve_norms where county_id = ${p.get("county")}
      ), regs as (
        select id as region_id from regions where county_id = ${p.get("county")} and level = 'TOWNSHIP'
      ), ${usableByRegion(p.get("county")!, p.get("asOf")!)}, cells as (
        select rg.id as region_id, rg.division_code, it.code as item_code, x.usable, x.required,
               ${STATUS} as status
          from regs join regions rg on rg.county_id = ${p.get("county")} and rg.id = regs.region_id
          cross join normed join items it on it.id = normed.item_id join units u on u.code = it.unit_code
          ${coverageOf()}
      )
      select coalesce(json_agg(json_build_object('division_code', division_code, 'item_code', item_code,
               'required', required::text, 'usable', usable::text, 'status', status)), '[]') as answer
        from cells`;
    return row!.answer;
  },
  async "/q5"(p) {
    const county = p.get("county");
    const id = p.get("id");
    const [row] = await sql`
      select json_build_object(
        'status', r.status,
        'lines', coalesce((select json_agg(json_build_object(
            'item_code', i.code, 'requested_quantity', rl.requested_quantity::text,
            'approved_quantity', rl.approved_quantity::text,
            'allocations', coalesce((select json_agg(json_build_object('lot_code', l.lot_code, 'quantity', a.quantity::text) order by a.id)
               from allocations a join lots l on l.county_id = a.county_id and l.id = a.lot_id
              where a.county_id = rl.county_id and a.requisition_line_id = rl.id), '[]')) order by rl.id)
          from requisition_lines rl join items i on i.id = rl.item_id
          where rl.county_id = r.county_id and rl.requisition_id = r.id), '[]'),
        'approvals', coalesce((select json_agg(json_build_object('level', ap.level) order by ap.id)
          from requisition_approvals ap where ap.county_id = r.county_id and ap.requisition_id = r.id), '[]'),
        'movements', coalesce((select json_agg(json_build_object('kind', m.kind, 'quantity', m.quantity::text) order by m.id)
          from movements m where m.county_id = r.county_id and m.requisition_id = r.id), '[]')) as answer
      from requisitions r where r.county_id = ${county} and r.id = ${id}`;
    return row?.answer ?? null;
  },
};

interface WriteBody {
  county: number;
  depot: number;
  item: number;
  actor: number;
  quantity: string;
  lotCode?: string;
}

/**
 * The writes of W1 and W2 as the service does them, in one transaction each: the ledger line, the lot and the
 * depot-item balance move together; an issue locks the item's lots at the depot and takes first-expiry-first-out.
 */
const writes: Record<string, (b: WriteBody) => Promise<unknown>> = {
  async "/w/receive"(b) {
    return sql.begin(async (tx) => {
      const [lot] = await tx`
        insert into lots (county_id, depot_id, item_id, lot_code, received_on, expires_on, on_hand)
        values (${b.county}, ${b.depot}, ${b.item}, ${b.lotCode!}, current_date, null, ${b.quantity})
        returning id`;
      await tx`
        insert into movements (county_id, depot_id, lot_id, item_id, kind, quantity, actor_id, occurred_at,
                               recorded_at, reason, source)
        values (${b.county}, ${b.depot}, ${lot!.id}, ${b.item}, 'RECEIPT', ${b.quantity}, ${b.actor}, now(), now(),
                'benchmark receipt', 'PURCHASE')`;
      await tx`
        insert into stock_levels (county_id, depot_id, item_id, on_hand) values (${b.county}, ${b.depot}, ${b.item}, ${b.quantity})
        on conflict (county_id, depot_id, item_id) do update set on_hand = stock_levels.on_hand + excluded.on_hand,
          updated_at = now()`;
      return { ok: true };
    });
  },
  async "/w/issue"(b) {
    return sql.begin(async (tx) => {
      const lots = await tx`
        select id, on_hand - allocated as free from lots
         where county_id = ${b.county} and depot_id = ${b.depot} and item_id = ${b.item}
         order by id for update`;
      const usable = await tx`
        select id from lots
         where county_id = ${b.county} and depot_id = ${b.depot} and item_id = ${b.item}
           and id = any(${lots.map((l) => l.id as string)}::bigint[])
           and condition = 'SERVICEABLE' and (expires_on is null or expires_on >= current_date)
           and on_hand - allocated >= ${b.quantity}
         order by expires_on nulls last, id limit 1`;
      const lot = usable[0];
      if (!lot) return { ok: false, code: "INSUFFICIENT_STOCK" };
      await tx`
        insert into movements (county_id, depot_id, lot_id, item_id, kind, quantity, actor_id, occurred_at,
                               recorded_at, reason, recipient, purpose)
        values (${b.county}, ${b.depot}, ${lot.id}, ${b.item}, 'ISSUE', ${"-" + b.quantity}, ${b.actor}, now(), now(),
                'benchmark issue', 'benchmark', 'DRILL')`;
      await tx`update lots set on_hand = on_hand - ${b.quantity} where county_id = ${b.county} and id = ${lot.id}`;
      await tx`update stock_levels set on_hand = on_hand - ${b.quantity}, updated_at = now()
                where county_id = ${b.county} and depot_id = ${b.depot} and item_id = ${b.item}`;
      return { ok: true };
    });
  },
};

interface FlowBody {
  lane: Lane;
  id: number;
  n: number;
}

const event = (tx: postgres.TransactionSql, b: FlowBody, from: string | null, to: string, actor: number) =>
  tx`insert into requisition_events (county_id, requisition_id, from_status, to_status, actor_id)
     values (${b.lane.county}, ${b.id}, ${from}, ${to}, ${actor})`;

/** Moves a requisition from one status to the next, or answers false when it is not where it should be. */
const advance = async (tx: postgres.TransactionSql, b: FlowBody, from: string, to: string, actor: number) => {
  const rows =
    await tx`update requisitions set status = ${to} where county_id = ${b.lane.county} and id = ${b.id}
                          and status = ${from} returning id`;
  if (rows.length === 0) return false;
  await event(tx, b, from, to, actor);
  return true;
};

/**
 * W3 as hand-written transactions: the same rows the service writes for a one-line requisition (request, events,
 * approval and first-expiry-first-out allocation, TRANSFER_OUT and TRANSFER_IN ledger lines, a lot at the
 * destination), without GraphQL, custody checks or idempotency.
 */
const flows: Record<string, (b: FlowBody) => Promise<unknown>> = {
  async "/w3/create"(b) {
    const { lane } = b;
    return sql.begin(async (tx) => {
      const [r] = await tx`
        insert into requisitions (county_id, requesting_region_id, supplying_region_id, destination_depot_id, priority,
                                  reason, created_by)
        values (${lane.county}, ${lane.requester}, ${lane.supplier}, ${lane.destinationDepot}, 'ROUTINE',
                ${"benchmark flow " + b.n}, ${lane.users.requesterOfficer}) returning id`;
      await tx`insert into requisition_lines (county_id, requisition_id, item_id, requested_quantity)
               values (${lane.county}, ${r!.id}, ${lane.item}, 1)`;
      await event(tx, { ...b, id: r!.id as number }, null, "DRAFT", lane.users.requesterOfficer);
      return { id: r!.id };
    });
  },
  async "/w3/submit"(b) {
    return sql.begin(async (tx) => ({
      ok: await advance(tx, b, "DRAFT", "SUBMITTED", b.lane.users.requesterOfficer),
    }));
  },
  async "/w3/approve"(b) {
    const { lane } = b;
    return sql.begin(async (tx) => {
      const [line] =
        await tx`select id from requisition_lines where county_id = ${lane.county} and requisition_id = ${b.id}`;
      const lots = await tx`
        select id from lots where county_id = ${lane.county} and depot_id = ${lane.supplierDepot} and item_id = ${lane.item}
         order by id for update`;
      const [lot] = await tx`
        select id from lots where county_id = ${lane.county} and id = any(${lots.map((l) => l.id as string)}::bigint[])
           and condition = 'SERVICEABLE' and (expires_on is null or expires_on >= current_date) and on_hand - allocated >= 1
         order by expires_on nulls last, id limit 1`;
      if (!lot || !line) return { ok: false };
      await tx`insert into allocations (county_id, requisition_line_id, lot_id, quantity)
               values (${lane.county}, ${line.id}, ${lot.id}, 1)`;
      await tx`update lots set allocated = allocated + 1 where county_id = ${lane.county} and id = ${lot.id}`;
      await tx`update stock_levels set allocated = allocated + 1 where county_id = ${lane.county}
                 and depot_id = ${lane.supplierDepot} and item_id = ${lane.item}`;
      await tx`update requisition_lines set approved_quantity = 1 where county_id = ${lane.county} and id = ${line.id}`;
      await tx`insert into requisition_approvals (county_id, requisition_id, level, approver_id)
               values (${lane.county}, ${b.id}, 'SUPPLIER', ${lane.users.supplierOfficer})`;
      return { ok: await advance(tx, b, "SUBMITTED", "APPROVED", lane.users.supplierOfficer) };
    });
  },
  async "/w3/dispatch"(b) {
    const { lane } = b;
    return sql.begin(async (tx) => {
      const allocations = await tx`
        select a.id, a.lot_id, a.quantity, rl.id as line_id from allocations a
          join requisition_lines rl on rl.county_id = a.county_id and rl.id = a.requisition_line_id
         where rl.county_id = ${lane.county} and rl.requisition_id = ${b.id} and a.dispatched_at is null`;
      for (const a of allocations) {
        await tx`update lots set on_hand = on_hand - ${a.quantity}, allocated = allocated - ${a.quantity}
                  where county_id = ${lane.county} and id = ${a.lot_id}`;
        await tx`update stock_levels set on_hand = on_hand - ${a.quantity}, allocated = allocated - ${a.quantity}
                  where county_id = ${lane.county} and depot_id = ${lane.supplierDepot} and item_id = ${lane.item}`;
        await tx`insert into movements (county_id, depot_id, lot_id, item_id, kind, quantity, actor_id, occurred_at,
                                        recorded_at, reason, requisition_id)
                 values (${lane.county}, ${lane.supplierDepot}, ${a.lot_id}, ${lane.item}, 'TRANSFER_OUT',
                         ${-Number(a.quantity)}, ${lane.users.supplierKeeper}, now(), now(), 'requisition dispatched', ${b.id})`;
        await tx`update allocations set dispatched_at = now() where county_id = ${lane.county} and id = ${a.id}`;
        await tx`update requisition_lines set dispatched_quantity = ${a.quantity} where county_id = ${lane.county} and id = ${a.line_id}`;
      }
      await tx`update requisitions set carrier = '县应急运输队', vehicle = '豫Q·B0001', driver_contact = '13800000000',
                 dispatched_by = ${lane.users.supplierKeeper}, dispatched_at = now()
               where county_id = ${lane.county} and id = ${b.id}`;
      return { ok: await advance(tx, b, "APPROVED", "IN_TRANSIT", lane.users.supplierKeeper) };
    });
  },
  async "/w3/receive"(b) {
    const { lane } = b;
    return sql.begin(async (tx) => {
      const allocations = await tx`
        select a.id, a.quantity, rl.id as line_id from allocations a
          join requisition_lines rl on rl.county_id = a.county_id and rl.id = a.requisition_line_id
         where rl.county_id = ${lane.county} and rl.requisition_id = ${b.id} and a.dispatched_at is not null`;
      for (const a of allocations) {
        const [lot] = await tx`
          insert into lots (county_id, depot_id, item_id, lot_code, received_on, on_hand)
          values (${lane.county}, ${lane.destinationDepot}, ${lane.item}, ${"REQ-" + b.id + "-" + a.id}, current_date,
                  ${a.quantity}) returning id`;
        await tx`insert into movements (county_id, depot_id, lot_id, item_id, kind, quantity, actor_id, occurred_at,
                                        recorded_at, reason, requisition_id)
                 values (${lane.county}, ${lane.destinationDepot}, ${lot!.id}, ${lane.item}, 'TRANSFER_IN', ${a.quantity},
                         ${lane.users.requesterKeeper}, now(), now(), 'requisition received', ${b.id})`;
        await tx`insert into stock_levels (county_id, depot_id, item_id, on_hand)
                 values (${lane.county}, ${lane.destinationDepot}, ${lane.item}, ${a.quantity})
                 on conflict (county_id, depot_id, item_id) do update set on_hand = stock_levels.on_hand + excluded.on_hand`;
        await tx`update allocations set accepted_quantity = ${a.quantity}, received_lot_id = ${lot!.id}
                  where county_id = ${lane.county} and id = ${a.id}`;
        await tx`update requisition_lines set accepted_quantity = ${a.quantity} where county_id = ${lane.county} and id = ${a.line_id}`;
      }
      await tx`update requisitions set received_by = ${lane.users.requesterKeeper}, received_at = now()
               where county_id = ${lane.county} and id = ${b.id}`;
      return { ok: await advance(tx, b, "IN_TRANSIT", "RECEIVED", lane.users.requesterKeeper) };
    });
  },
};

async function readBody(req: IncomingMessage): Promise<WriteBody> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString()) as WriteBody;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/healthz") return void res.end("ok");
  const write =
    writes[url.pathname] ?? (flows[url.pathname] as ((b: WriteBody) => Promise<unknown>) | undefined);
  if (write) {
    readBody(req)
      .then(write)
      .then(
        (answer) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer)),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    return;
  }
  const handler = handlers[url.pathname];
  if (!handler) return void res.writeHead(404).end();
  handler(url.searchParams).then(
    (answer) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(answer));
    },
    (err: unknown) => {
      res.writeHead(500).end(String(err));
    },
  );
});

server.listen(Number(process.env.PORT ?? 4101), "127.0.0.1", () => console.log("ready"));
process.once("SIGTERM", () => {
  server.close();
  void sql.end({ timeout: 1 });
});
