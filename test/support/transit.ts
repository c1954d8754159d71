import type { TestService } from "./service.js";
import { query, sql } from "./sql.js";
import { demoIds, type DemoIds } from "./world.js";

/** The demo county seen by a requisition test: depot and item ids, and township region ids by English name. */
export async function transitWorld(
  svc: TestService,
): Promise<{ ids: DemoIds; region: Record<string, string> }> {
  const ids = await demoIds(svc);
  const res = await svc.gql<{ regions: { nodes: { id: string; nameEn: string; level: string }[] } }>(
    "{ regions(first: 100) { nodes { id nameEn level } } }",
  );
  const region: Record<string, string> = {};
  for (const r of res.data!.regions.nodes) {
    if (r.level !== "VILLAGE") region[r.nameEn.split(" ")[0]!.toLowerCase()] = r.id;
  }
  return { ids, region };
}

export interface DepotStock {
  onHand: string;
  allocated: string;
  usable: string;
  inTransit: string;
  quarantined: string;
  damaged: string;
}

/** A depot's named quantities of one item, as the auditor reads them. */
export async function stockOf(svc: TestService, depotId: string, item: string): Promise<DepotStock> {
  const res = await svc.gql<{ node: { stock: (DepotStock & { item: { code: string } })[] } }>(
    `query($id: ID!) { node(id: $id) { ... on Depot { stock { item { code } onHand allocated usable inTransit quarantined damaged } } } }`,
    { id: depotId },
    "auditor",
  );
  const zero = { onHand: "0", allocated: "0", usable: "0", inTransit: "0", quarantined: "0", damaged: "0" };
  const { item: _item, ...row } = res.data!.node.stock.find((s) => s.item.code === item) ?? {
    ...zero,
    item: { code: item },
  };
  return row;
}

/** Every lot's balance and the ledger's length: what "nothing else changed" compares. */
export async function books(svc: TestService) {
  const [lines] = await query<{ n: number }>(svc.database, sql`select count(*)::int as n from movements`);
  const lots = await query<{ id: string; on_hand: string; allocated: string }>(
    svc.database,
    sql`select id::text, on_hand::text, allocated::text from lots order by id`,
  );
  const levels = await query<{ k: string; on_hand: string; allocated: string }>(
    svc.database,
    sql`select depot_id || ':' || item_id as k, on_hand::text, allocated::text from stock_levels order by 1`,
  );
  return { movements: lines!.n, lots, levels };
}

/** Lots whose balance is not the sum of their ledger lines, and levels that are not the sum of their lots. */
export async function imbalances(svc: TestService) {
  const lots = await query(
    svc.database,
    sql`select l.id from lots l left join movements m on m.county_id = l.county_id and m.lot_id = l.id
         group by l.id, l.on_hand having l.on_hand <> coalesce(sum(m.quantity), 0)`,
  );
  const levels = await query(
    svc.database,
    sql`select s.depot_id, s.item_id from stock_levels s left join lots l
          on l.county_id = s.county_id and l.depot_id = s.depot_id and l.item_id = s.item_id
         group by s.depot_id, s.item_id, s.on_hand, s.allocated
        having s.on_hand <> coalesce(sum(l.on_hand), 0) or s.allocated <> coalesce(sum(l.allocated), 0)`,
  );
  return [...lots, ...levels];
}
