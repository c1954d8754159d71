import type postgres from "postgres";
import { signLocalToken } from "../src/auth/tokens.js";
import type { LoadResult } from "./load.js";

const gid = (type: string, countyId: number, id: number) =>
  Buffer.from(`${type}:${countyId}:${id}`).toString("base64url");
const itemGid = (id: number) => Buffer.from(`Item:${id}`).toString("base64url");

/** Two neighbouring townships: one asks, the other lends one unit of an item it holds in bulk. */
export interface Lane {
  county: number;
  requester: number;
  supplier: number;
  destinationDepot: number;
  supplierDepot: number;
  item: number;
  users: {
    requesterOfficer: number;
    supplierOfficer: number;
    supplierKeeper: number;
    requesterKeeper: number;
  };
  tokens: {
    requesterOfficer: string;
    supplierOfficer: string;
    supplierKeeper: string;
    requesterKeeper: string;
  };
}

/**
 * Up to 16 lanes of the first county: township pairs linked as neighbours, each supplier's township depot holding
 * a bulk item with stock for thousands of one-unit requests, and the four people a requisition passes through.
 */
export async function lanes(sql: postgres.Sql, secret: Uint8Array): Promise<Lane[]> {
  const rows = await sql<
    {
      county: number;
      requester: number;
      supplier: number;
      destination_depot: number;
      supplier_depot: number;
      item: number;
      ro: number;
      ro_name: string;
      so: number;
      so_name: string;
      sk: number;
      sk_name: string;
      rk: number;
      rk_name: string;
    }[]
  >`
    with county as (select min(id) as id from regions where level = 'COUNTY'),
    pairs as (
      select distinct on (n.region_id) n.county_id, n.region_id as requester, n.neighbour_id as supplier
        from region_neighbours n, county where n.county_id = county.id order by n.region_id, n.neighbour_id
    ),
    people as (
      select g.region_id, g.role, min(u.id) as id from role_grants g join users u on u.id = g.user_id
       where g.county_id = (select id from county) and g.role in ('TOWNSHIP_OFFICER', 'KEEPER')
       group by g.region_id, g.role
    )
    select p.county_id::int as county, p.requester::int as requester, p.supplier::int as supplier,
           dd.id::int as destination_depot, sd.id::int as supplier_depot, it.item_id::int as item,
           ro.id::int as ro, rou.username as ro_name, so.id::int as so, sou.username as so_name,
           sk.id::int as sk, sku.username as sk_name, rk.id::int as rk, rku.username as rk_name
      from pairs p
      join depots dd on dd.county_id = p.county_id and dd.region_id = p.requester and dd.kind = 'TOWNSHIP_DEPOT'
      join depots sd on sd.county_id = p.county_id and sd.region_id = p.supplier and sd.kind = 'TOWNSHIP_DEPOT'
      join lateral (
        select l.item_id from lots l join items i on i.id = l.item_id and i.tracking_mode = 'BULK'
         where l.county_id = sd.county_id and l.depot_id = sd.id and l.condition = 'SERVICEABLE'
         group by l.item_id having sum(l.on_hand - l.allocated) >= 1000
         order by sum(l.on_hand - l.allocated) desc, l.item_id limit 1) it on true
      join people ro on ro.region_id = p.requester and ro.role = 'TOWNSHIP_OFFICER'
      join people so on so.region_id = p.supplier and so.role = 'TOWNSHIP_OFFICER'
      join people rk on rk.region_id = p.requester and rk.role = 'KEEPER'
      join people sk on sk.region_id = p.supplier and sk.role = 'KEEPER'
      join users rou on rou.id = ro.id join users sou on sou.id = so.id
      join users rku on rku.id = rk.id join users sku on sku.id = sk.id
     order by p.requester limit 16`;
  if (rows.length === 0) throw new Error("the dataset has no neighbouring townships with stock to lend");
  const sign = (username: string) => signLocalToken(secret, username, { expiresIn: "6h" });
  return Promise.all(
    rows.map(async (r) => ({
      county: r.county,
      requester: r.requester,
      supplier: r.supplier,
      destinationDepot: r.destination_depot,
      supplierDepot: r.supplier_depot,
      item: r.item,
      users: { requesterOfficer: r.ro, supplierOfficer: r.so, supplierKeeper: r.sk, requesterKeeper: r.rk },
      tokens: {
        requesterOfficer: await sign(r.ro_name),
        supplierOfficer: await sign(r.so_name),
        supplierKeeper: await sign(r.sk_name),
        requesterKeeper: await sign(r.rk_name),
      },
    })),
  );
}

async function post(url: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}

/** One whole requisition on B: create, submit, approve, dispatch, receive, by the four people it involves. */
export async function flowB(port: number, lane: Lane, n: number): Promise<void> {
  const call = async (name: string, inputType: string, input: unknown, token: string, fields = "") => {
    const json = await post(
      `http://127.0.0.1:${port}/graphql`,
      {
        query: `mutation($input: ${inputType}!) { ${name}(input: $input) { ${fields || "requisition { id }"} userErrors { code message } } }`,
        variables: { input },
      },
      token,
    );
    const payload = (
      json.data as Record<string, { userErrors: unknown[] } & Record<string, unknown>> | undefined
    )?.[name];
    if (json.errors || !payload || payload.userErrors.length > 0)
      throw new Error(`${name}: ${JSON.stringify(json.errors ?? payload?.userErrors).slice(0, 300)}`);
    return payload;
  };
  const created = await call(
    "createRequisition",
    "CreateRequisitionInput",
    {
      requestingRegionId: gid("Region", lane.county, lane.requester),
      supplyingRegionId: gid("Region", lane.county, lane.supplier),
      destinationDepotId: gid("Depot", lane.county, lane.destinationDepot),
      priority: "ROUTINE",
      reason: `benchmark flow ${n}`,
      lines: [{ itemId: itemGid(lane.item), quantity: "1" }],
    },
    lane.tokens.requesterOfficer,
    "requisition { id lines { id } }",
  );
  const requisition = created.requisition as { id: string; lines: { id: string }[] };
  const id = requisition.id;
  await call(
    "submitRequisition",
    "RequisitionStepInput",
    { requisitionId: id },
    lane.tokens.requesterOfficer,
  );
  await call(
    "approveRequisition",
    "ApproveRequisitionInput",
    { requisitionId: id },
    lane.tokens.supplierOfficer,
  );
  await call(
    "dispatchRequisition",
    "DispatchRequisitionInput",
    { requisitionId: id, carrier: "县应急运输队", vehicle: "豫Q·B0001", driverContact: "13800000000" },
    lane.tokens.supplierKeeper,
  );
  await call(
    "receiveRequisition",
    "ReceiveRequisitionInput",
    { requisitionId: id, lines: [{ lineId: requisition.lines[0]!.id, acceptedQuantity: "1" }] },
    lane.tokens.requesterKeeper,
  );
}

/** The same requisition on A: one hand-written transaction per step. */
export async function flowA(port: number, lane: Lane, n: number): Promise<void> {
  const base = `http://127.0.0.1:${port}/w3`;
  const { id } = (await post(`${base}/create`, { lane, n })) as { id: number };
  for (const step of ["submit", "approve", "dispatch", "receive"]) {
    const answer = await post(`${base}/${step}`, { lane, id });
    if (answer.ok !== true) throw new Error(`A ${step}: ${JSON.stringify(answer)}`);
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

/**
 * `connections` clients each run whole flows back to back for `seconds`, every client on its own lanes in turn.
 * Latency is per flow (five requests); throughput is flows per second.
 */
export async function driveFlows(
  flow: (lane: Lane, n: number) => Promise<void>,
  lanesOf: Lane[],
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const deadline = performance.now() + seconds * 1000;
  let firstError: unknown = null;
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      while (performance.now() < deadline) {
        const i = n++;
        const started = performance.now();
        try {
          await flow(lanesOf[(c + i) % lanesOf.length]!, i);
          latencies.push(performance.now() - started);
        } catch (e) {
          errors += 1;
          firstError ??= e;
        }
      }
    }),
  );
  if (latencies.length === 0 && firstError) throw firstError as Error;
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    throughput: latencies.length / seconds,
    requests: latencies.length,
    errors,
    transportErrors: 0,
    statusErrors: 0,
    // a flow fails when any of its steps answered an error or a refusal
    answerErrors: errors,
    ...(firstError === null ? {} : { firstError: String((firstError as Error).message ?? firstError) }),
  };
}
