import {
  aCounty,
  anItem,
  type CountyShape,
  type Depot,
  type Item,
  type ItemOptions,
  type ProvisionedCounty,
  type Region,
  type Township,
} from "./factories.js";
import { type RequisitionView, step } from "./requisitions.js";
import { aLotOf } from "./stockFactories.js";

/**
 * Requisitions in the state a test needs, each driven there through the same mutations the offices and keepers
 * call. A test asks for the state it starts from and owns the request from then on.
 */

/** A county of its own with two neighbouring townships, each with a depot: one lends, the other borrows. */
export interface LendingPair {
  county: ProvisionedCounty;
  lender: Township & { depot: Depot };
  borrower: Township & { depot: Depot };
}

export async function aLendingPair(
  svc: Parameters<typeof aCounty>[0],
  shape: Omit<CountyShape, "townships" | "neighbours"> = {},
): Promise<LendingPair> {
  const county = await aCounty(svc, { ...shape, townships: 2, neighbours: [[0, 1]] });
  return { county, lender: county.townships[0]!, borrower: county.townships[1]! };
}

/** An item the lender's depot holds `onHand` of (one lot), new to the catalogue so no other test stocks it. */
export async function aStockedItem(pair: LendingPair, onHand: string, opts: ItemOptions = {}): Promise<Item> {
  const item = await anItem(pair.county, opts);
  await aLotOf(pair.lender.depot, item, onHand);
  return item;
}

export interface RequisitionPlan {
  /** Who asks (a township office, or the county), delivered to `destination`. */
  from: Region & { officer?: string };
  to: Region;
  destination: Depot;
  lines: { item: Item; quantity: string }[];
  priority?: "ROUTINE" | "URGENT" | "EMERGENCY";
  /** The requesting office; the township's own officer unless told. */
  as?: string;
}

export interface Requisition {
  id: string;
  plan: RequisitionPlan;
  view: RequisitionView;
  /** The line id of an item of the request. */
  lineOf: (item: Item) => string;
}

/** A plan for a lending pair: the borrower asks the lender for the lines, delivered to its depot. */
export const between = (
  pair: LendingPair,
  lines: RequisitionPlan["lines"],
  extra: Partial<RequisitionPlan> = {},
): RequisitionPlan => ({
  from: pair.borrower,
  to: pair.lender,
  destination: pair.borrower.depot,
  lines,
  ...extra,
});

const requesterOf = (plan: RequisitionPlan) => {
  const who = plan.as ?? plan.from.officer;
  if (!who) throw new Error("say who asks: plan.as");
  return who;
};

function handle(plan: RequisitionPlan, view: RequisitionView): Requisition {
  return {
    id: view.id,
    plan,
    view,
    lineOf: (item) => {
      const line = view.lines.find((l) => l.item.code === item.code);
      if (!line) throw new Error(`no line of ${item.code}`);
      return line.id;
    },
  };
}

/** Fails the test at once when a step it relies on was refused. */
async function must(p: ReturnType<typeof step>, what: string): Promise<RequisitionView> {
  const res = await p;
  if (res.topLevel || res.userErrors.length > 0 || !res.requisition)
    throw new Error(`${what}: ${res.topLevel ?? JSON.stringify(res.userErrors)}`);
  return res.requisition;
}

export async function aDraftRequisition(plan: RequisitionPlan): Promise<Requisition> {
  const svc = plan.destination.county.svc;
  const view = await must(
    step(
      svc,
      "createRequisition",
      "CreateRequisitionInput",
      {
        requestingRegionId: plan.from.id,
        supplyingRegionId: plan.to.id,
        destinationDepotId: plan.destination.id,
        priority: plan.priority ?? "URGENT",
        reason: "堤防管涌，申请支援",
        lines: plan.lines.map((l) => ({ itemId: l.item.id, quantity: l.quantity })),
      },
      requesterOf(plan),
    ),
    "createRequisition",
  );
  return handle(plan, view);
}

export async function aSubmittedRequisition(plan: RequisitionPlan): Promise<Requisition> {
  const draft = await aDraftRequisition(plan);
  const svc = plan.destination.county.svc;
  const view = await must(
    step(svc, "submitRequisition", "RequisitionStepInput", { requisitionId: draft.id }, requesterOf(plan)),
    "submitRequisition",
  );
  return handle(plan, view);
}

/** Approved in full by the supplying office (by `approver` when the supplier is the county or a floor is near). */
export async function anApprovedRequisition(
  plan: RequisitionPlan,
  opts: { approver?: string; input?: Record<string, unknown> } = {},
): Promise<Requisition> {
  const submitted = await aSubmittedRequisition(plan);
  const approver = opts.approver ?? (plan.to as Township).officer;
  if (!approver) throw new Error("say who approves: opts.approver");
  const svc = plan.destination.county.svc;
  const view = await must(
    step(
      svc,
      "approveRequisition",
      "ApproveRequisitionInput",
      { requisitionId: submitted.id, ...opts.input },
      approver,
    ),
    "approveRequisition",
  );
  return handle(plan, view);
}

export const DISPATCH = { carrier: "应急运输队", vehicle: "豫Q·C2301", driverContact: "13900001111" };

/** Approved and on its way: dispatched by the keeper of `source` (the lender's depot). */
export async function aDispatchedRequisition(
  plan: RequisitionPlan,
  source: Depot,
  opts: { approver?: string; input?: Record<string, unknown> } = {},
): Promise<Requisition> {
  const approved = await anApprovedRequisition(plan, opts);
  const svc = plan.destination.county.svc;
  const view = await must(
    step(
      svc,
      "dispatchRequisition",
      "DispatchRequisitionInput",
      { requisitionId: approved.id, ...DISPATCH },
      source.keeper,
    ),
    "dispatchRequisition",
  );
  return handle(plan, view);
}

/** Dispatched and counted in full at the destination by its keeper (loans open for returnable items). */
export async function aReceivedRequisition(
  plan: RequisitionPlan,
  source: Depot,
  opts: { approver?: string; input?: Record<string, unknown> } = {},
): Promise<Requisition> {
  const dispatched = await aDispatchedRequisition(plan, source, opts);
  const lines = dispatched.view.lines.map((l) => ({
    lineId: l.id,
    acceptedQuantity: l.dispatchedQuantity ?? "0",
  }));
  const view = await must(
    step(
      plan.destination.county.svc,
      "receiveRequisition",
      "ReceiveRequisitionInput",
      { requisitionId: dispatched.id, lines },
      plan.destination.keeper,
    ),
    "receiveRequisition",
  );
  return handle(plan, view);
}

/** The steps of a lending pair's requisitions, each as the office or keeper whose step it is (or `as`). */
export function stepsOf(pair: LendingPair) {
  const svc = pair.county.svc;
  const run = (mutation: string, type: string, input: Record<string, unknown>, as: string) =>
    step(svc, mutation, type, input, as);
  return {
    /** Created, submitted and approved by the lender; dispatched too unless told otherwise. */
    underway: async (lines: RequisitionPlan["lines"], dispatched = true) =>
      dispatched
        ? (await aDispatchedRequisition(between(pair, lines), pair.lender.depot)).id
        : (await anApprovedRequisition(between(pair, lines))).id,
    receive: (id: string, lines: Record<string, unknown>[], as = pair.borrower.depot.keeper) =>
      run("receiveRequisition", "ReceiveRequisitionInput", { requisitionId: id, lines }, as),
    recall: (id: string, as = pair.lender.depot.keeper, reason = "险情解除，车辆返回") =>
      run("recallRequisition", "RequisitionReasonInput", { requisitionId: id, reason }, as),
    cancel: (id: string, as = pair.borrower.officer) =>
      run("cancelRequisition", "RequisitionReasonInput", { requisitionId: id, reason: "重新申请" }, as),
  };
}
