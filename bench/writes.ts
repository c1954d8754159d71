import type postgres from "postgres";
import { signLocalToken } from "../src/auth/tokens.js";
import { dateInZone } from "../src/domain/shared/calendar.js";
import type { LoadTarget } from "./load.js";

const gid = (type: string, countyId: number, id: number) =>
  Buffer.from(`${type}:${countyId}:${id}`).toString("base64url");
const itemGid = (id: number) => Buffer.from(`Item:${id}`).toString("base64url");

/** One (depot, item) a keeper of that depot may write to, with stock enough to issue from for a whole run. */
interface Spot {
  county: number;
  depot: number;
  item: number;
  actor: number;
  username: string;
  /** Agent storage (代储点) gives stock only against a release order (动用指令), which its issues carry. */
  agentStorage: boolean;
  token: string;
}

export interface WriteWorkload {
  name: string;
  description: string;
  connections: number[];
  /** The county every spot lies in: checks after a run look at its ledger. */
  county: number;
  /** Request `i` of a run, for A (hand-written SQL) and B (this service). */
  target(variant: "A" | "B", run: string, i: number): LoadTarget;
}

async function spots(
  sql: postgres.Sql,
  secret: Uint8Array,
  where: postgres.PendingQuery<postgres.Row[]>,
  limit: number,
) {
  const rows = await sql<
    { county: number; depot: number; item: number; actor: number; username: string; agentStorage: boolean }[]
  >`
    select s.county_id::int as county, s.depot_id::int as depot, s.item_id::int as item, u.id::int as actor, u.username,
           d.kind = 'AGENT_STORAGE' as "agentStorage"
      from stock_levels s
      join depots d on d.county_id = s.county_id and d.id = s.depot_id
      join items i on i.id = s.item_id and i.tracking_mode = 'BULK'
      join lateral (select user_id from depot_keepers k where k.county_id = s.county_id and k.depot_id = s.depot_id
                     order by user_id limit 1) k on true
      join users u on u.id = k.user_id
     where s.county_id = (select min(id) from regions where level = 'COUNTY') and ${where}
       and (select sum(l.on_hand - l.allocated) from lots l
             where l.county_id = s.county_id and l.depot_id = s.depot_id and l.item_id = s.item_id
               and l.condition = 'SERVICEABLE' and l.expires_on is null) >= 200
     order by hashint8(s.depot_id * 1000 + s.item_id), s.depot_id, s.item_id
     limit ${limit}`;
  if (rows.length === 0) throw new Error("the dataset has no depot with bulk stock to write against");
  const tokens = new Map<string, string>();
  for (const r of rows) {
    if (!tokens.has(r.username))
      tokens.set(r.username, await signLocalToken(secret, r.username, { expiresIn: "6h" }));
  }
  return rows.map((r): Spot => ({ ...r, token: tokens.get(r.username)! }));
}

/** A's hand-written write endpoint, with the spot's ids in the body. */
function plain(port: number, path: string, body: Record<string, unknown>): LoadTarget {
  return {
    url: `http://127.0.0.1:${port}${path}`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  };
}

/** One stock mutation of B for the spot's depot and item, as the spot's keeper, asking only for its errors. */
function mutation(
  port: number,
  s: Spot,
  name: string,
  inputType: string,
  input: Record<string, unknown>,
): LoadTarget {
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${s.token}` },
    body: JSON.stringify({
      query: `mutation($input: ${inputType}!) { ${name}(input: $input) { userErrors { code } } }`,
      variables: { input: { depotId: gid("Depot", s.county, s.depot), itemId: itemGid(s.item), ...input } },
    }),
  };
}

function receive(variant: "A" | "B", ports: { A: number; B: number }, s: Spot, lotCode: string): LoadTarget {
  if (variant === "A") {
    const { county, depot, item, actor } = s;
    return plain(ports.A, "/w/receive", { county, depot, item, actor, quantity: "5", lotCode });
  }
  return mutation(ports.B, s, "receiveStock", "ReceiveStockInput", {
    quantity: "5",
    lotCode,
    receivedOn: dateInZone(new Date()),
    source: "PURCHASE",
    reason: "benchmark receipt",
  });
}

function issue(variant: "A" | "B", ports: { A: number; B: number }, s: Spot): LoadTarget {
  if (variant === "A") {
    const { county, depot, item, actor } = s;
    return plain(ports.A, "/w/issue", { county, depot, item, actor, quantity: "1" });
  }
  return mutation(ports.B, s, "issueStock", "IssueStockInput", {
    quantity: "1",
    purpose: "DRILL",
    recipient: "benchmark",
    reason: "benchmark issue",
    ...(s.agentStorage ? { releaseOrderNo: "BENCH-动用-1" } : {}),
  });
}

/**
 * W1: receipts and issues alternating over 64 (depot, item) pairs spread over a county, each by a keeper of that
 * depot. W2: every client issues one unit of the same item at the county warehouse, first-expiry-first-out, so all
 * of them contend for the same lot rows and the same depot-item balance.
 */
export async function writeWorkloads(
  sql: postgres.Sql,
  secret: Uint8Array,
  ports: { A: number; B: number },
  quick: boolean,
): Promise<WriteWorkload[]> {
  const spread = await spots(sql, secret, sql`true`, 64);
  const [hot] = await spots(sql, secret, sql`d.kind = 'COUNTY_WAREHOUSE'`, 1);
  const county = spread[0]!.county;
  await topUp(sql, hot!);
  return [
    {
      name: "W1",
      description: "receipts and issues alternating over 64 (depot, item) pairs spread over a county",
      connections: quick ? [8] : [8, 32],
      county,
      target: (v, run, i) => {
        const s = spread[Math.floor(i / 2) % spread.length]!;
        return i % 2 === 0 ? receive(v, ports, s, `${run}-${i}`) : issue(v, ports, s);
      },
    },
    {
      name: "W2",
      description: "issues racing on one item at the county warehouse (the hot row), first-expiry-first-out",
      connections: quick ? [8] : [8, 32],
      county: hot!.county,
      target: (v) => issue(v, ports, hot!),
    },
  ];
}

/**
 * A receipt of a million units at the hot spot, written as the service would (lot, ledger line, balance), so that
 * W2 measures issues that succeed, not refusals once rounds of both variants have emptied the shelf.
 */
async function topUp(sql: postgres.Sql, s: Spot): Promise<void> {
  await sql.begin(async (tx) => {
    const [lot] = await tx`
      insert into lots (county_id, depot_id, item_id, lot_code, received_on, on_hand)
      values (${s.county}, ${s.depot}, ${s.item}, ${`BENCH-W2-${Date.now()}`}, current_date, 1000000) returning id`;
    await tx`
      insert into movements (county_id, depot_id, lot_id, item_id, kind, quantity, actor_id, occurred_at, recorded_at,
                             reason, source)
      values (${s.county}, ${s.depot}, ${lot!.id}, ${s.item}, 'RECEIPT', 1000000, ${s.actor}, now(), now(),
              'benchmark stock for W2', 'PURCHASE')`;
    await tx`update stock_levels set on_hand = on_hand + 1000000
              where county_id = ${s.county} and depot_id = ${s.depot} and item_id = ${s.item}`;
  });
}

/** Ledger lines written since `after`, per kind: what a write run really achieved. */
export async function linesSince(sql: postgres.Sql, county: number, after: number): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from movements where county_id = ${county} and id > ${after}`;
  return row!.n;
}

export async function lastLine(sql: postgres.Sql, county: number): Promise<number> {
  const [row] = await sql<{ id: number | null }[]>`
    select max(id)::bigint as id from movements where county_id = ${county}`;
  return Number(row!.id ?? 0);
}

/**
 * After a write run: every lot touched has on-hand equal to its ledger, no lot or balance is negative or
 * over-allocated, and each touched depot-item balance equals the sum of its lots. Answers the offending rows.
 */
export async function mismatchesSince(sql: postgres.Sql, county: number, after: number): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    with touched as (select distinct lot_id, depot_id, item_id from movements where county_id = ${county} and id > ${after})
    select (
      (select count(*) from lots l join touched t on t.lot_id = l.id
        where l.county_id = ${county} and (l.on_hand < 0 or l.allocated > l.on_hand or l.on_hand <>
          (select coalesce(sum(m.quantity), 0) from movements m where m.county_id = ${county} and m.lot_id = l.id)))
      + (select count(*) from (select distinct depot_id, item_id from touched) t
           join stock_levels s on s.county_id = ${county} and s.depot_id = t.depot_id and s.item_id = t.item_id
          where s.on_hand <> (select coalesce(sum(l.on_hand), 0) from lots l
                               where l.county_id = ${county} and l.depot_id = t.depot_id and l.item_id = t.item_id))
    )::int as n`;
  return row!.n;
}
