import type { Ctx } from "./sql.js";

interface Check {
  name: string;
  /** Counts the offending rows: zero means the check holds. */
  sql: string;
}

/** The invariants the service keeps and its reports rely on; a generator that breaks one is useless for timing. */
const CHECKS: Check[] = [
  {
    name: "every lot's on_hand equals the sum of its ledger lines",
    sql: `select count(*) from lots l
            left join (select county_id, lot_id, sum(quantity) as total from movements group by 1, 2) m
              on m.county_id = l.county_id and m.lot_id = l.id
           where l.on_hand <> coalesce(m.total, 0)`,
  },
  {
    name: "stock_levels on_hand and allocated equal the sums of their lots",
    sql: `select count(*) from stock_levels s
            full join (select county_id, depot_id, item_id, sum(on_hand) as on_hand, sum(allocated) as allocated
                         from lots group by 1, 2, 3) l
              on l.county_id = s.county_id and l.depot_id = s.depot_id and l.item_id = s.item_id
           where s.county_id is null or s.on_hand <> coalesce(l.on_hand, 0)
              or s.allocated <> coalesce(l.allocated, 0)`,
  },
  {
    name: "lots.allocated equals the held (not dispatched, not released) allocations",
    sql: `select count(*) from lots l
            left join (select county_id, lot_id, sum(quantity) as held from allocations
                        where dispatched_at is null and released_at is null group by 1, 2) a
              on a.county_id = l.county_id and a.lot_id = l.id
           where l.allocated <> coalesce(a.held, 0)`,
  },
  {
    name: "held allocations belong to approved requisitions, dispatched ones to requisitions in transit",
    sql: `select count(*) from allocations a
            join requisition_lines rl on rl.county_id = a.county_id and rl.id = a.requisition_line_id
            join requisitions r on r.county_id = rl.county_id and r.id = rl.requisition_id
           where a.released_at is null
             and case when a.dispatched_at is null then r.status not in ('APPROVED', 'PARTIALLY_APPROVED')
                      else r.status <> 'IN_TRANSIT' end`,
  },
  {
    name: "every dispatched allocation has its TRANSFER_OUT line",
    sql: `select count(*) from allocations a
            join requisition_lines rl on rl.county_id = a.county_id and rl.id = a.requisition_line_id
           where a.dispatched_at is not null
             and not exists (select 1 from movements m
                              where m.county_id = a.county_id and m.lot_id = a.lot_id and m.kind = 'TRANSFER_OUT'
                                and m.requisition_id = rl.requisition_id and m.quantity = -a.quantity)`,
  },
  {
    name: "no lot's running balance ever goes negative",
    sql: `select count(*) from (
            select sum(quantity) over (partition by county_id, lot_id order by occurred_at, id) as balance
              from movements) b
           where balance < 0`,
  },
  {
    name: "no negative or over-allocated balance",
    sql: `select (select count(*) from lots where on_hand < 0 or allocated < 0 or allocated > on_hand)
               + (select count(*) from stock_levels where on_hand < 0 or allocated < 0 or allocated > on_hand)`,
  },
];

export interface CheckResult {
  name: string;
  failures: number;
  seconds: number;
}

export async function runChecks(ctx: Ctx): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [i, check] of CHECKS.entries()) {
    const started = performance.now();
    const [row] = await ctx.query<{ count: string }>(`select (${check.sql}) as count`);
    results.push({
      name: check.name,
      failures: Number(row?.count ?? -1),
      seconds: (performance.now() - started) / 1000,
    });
    ctx.progress.update((i + 1) / CHECKS.length);
  }
  return results;
}

/** Identity sequences continue after the explicit ids, so the service can insert once benchmarks start. */
export async function advanceSequences(ctx: Ctx): Promise<number> {
  const tables = await ctx.query<{ table_name: string }>(`
    select table_name from information_schema.columns
     where table_schema = 'public' and column_name = 'id' and is_identity = 'YES' order by table_name`);
  for (const { table_name: t } of tables) {
    await ctx.query(
      `select setval(pg_get_serial_sequence('public.${t}', 'id'), coalesce(max(id), 0) + 1, false) from public.${t}`,
    );
  }
  return tables.length;
}

export const COUNTED_TABLES = [
  "regions",
  "region_paths",
  "region_neighbours",
  "users",
  "role_grants",
  "units",
  "items",
  "depots",
  "depot_keepers",
  "lots",
  "movements",
  "stock_levels",
  "reserve_norms",
  "stock_takes",
  "test_runs",
  "lot_condition_changes",
  "requisitions",
  "requisition_lines",
  "allocations",
  "requisition_approvals",
  "requisition_events",
] as const;

export async function countRows(ctx: Ctx): Promise<Record<string, number>> {
  const sql = COUNTED_TABLES.map((t) => `select '${t}' as name, count(*) as rows from ${t}`).join(
    " union all ",
  );
  const rows = await ctx.query<{ name: string; rows: string }>(sql);
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.rows)]));
}
