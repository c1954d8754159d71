import { createServer } from "node:http";
import postgres from "postgres";

/**
 * Variant A, the limit: a bare node:http handler and one hand-written SQL statement per question, no auth, no
 * GraphQL. Whatever this costs is what the database itself costs.
 */
const sql = postgres(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/bench", {
  max: 10,
  onnotice: () => {},
});

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

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/healthz") return void res.end("ok");
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
