import { step } from "./requisitions.js";
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

/** Drives one requisition from draft to the step named, as the offices and keepers of the demo county would. */
export function requisitionSteps(svc: TestService, ids: DemoIds, region: Record<string, string>) {
  const create = async (lines: { item: string; quantity: string }[], extra: Record<string, unknown> = {}) => {
    const res = await step(
      svc,
      "createRequisition",
      "CreateRequisitionInput",
      {
        requestingRegionId: region.hekou,
        supplyingRegionId: region.chengguan,
        destinationDepotId: ids.depot("TD-HEKOU"),
        priority: "URGENT",
        reason: "李庄段堤防管涌",
        lines: lines.map((l) => ({ itemId: ids.item(l.item), quantity: l.quantity })),
        ...extra,
      },
      "hekou.officer",
    );
    if (res.userErrors.length) throw new Error(JSON.stringify(res.userErrors));
    return res.requisition!.id;
  };
  const submit = (id: string) =>
    step(svc, "submitRequisition", "RequisitionStepInput", { requisitionId: id }, "hekou.officer");
  const approve = (id: string, as = "chengguan.officer", extra: Record<string, unknown> = {}) =>
    step(svc, "approveRequisition", "ApproveRequisitionInput", { requisitionId: id, ...extra }, as);
  const dispatch = (id: string, as = "chengguan.keeper") =>
    step(
      svc,
      "dispatchRequisition",
      "DispatchRequisitionInput",
      { requisitionId: id, carrier: "城关镇应急运输队", vehicle: "豫Q·C2301", driverContact: "13900001111" },
      as,
    );
  const receive = (id: string, lines: Record<string, unknown>[], as = "hekou.keeper") =>
    step(svc, "receiveRequisition", "ReceiveRequisitionInput", { requisitionId: id, lines }, as);
  const recall = (id: string, as = "chengguan.keeper", reason = "险情解除，车辆返回") =>
    step(svc, "recallRequisition", "RequisitionReasonInput", { requisitionId: id, reason }, as);
  const cancel = (id: string) =>
    step(
      svc,
      "cancelRequisition",
      "RequisitionReasonInput",
      { requisitionId: id, reason: "重新申请" },
      "hekou.officer",
    );
  /** Created, submitted and approved by the lender; dispatched too unless told otherwise. */
  const underway = async (lines: { item: string; quantity: string }[], dispatched = true) => {
    const id = await create(lines);
    await submit(id);
    const approved = await approve(id);
    if (approved.userErrors.length) throw new Error(JSON.stringify(approved.userErrors));
    if (dispatched) {
      const sent = await dispatch(id);
      if (sent.userErrors.length) throw new Error(JSON.stringify(sent.userErrors));
    }
    return id;
  };
  return { create, submit, approve, dispatch, receive, recall, cancel, underway };
}
