import { nextCursor } from "../../api/pages";
import { graphql } from "../../gql";
import type {
  ApproveRequisitionInput,
  CreateRequisitionInput,
  DispatchRequisitionInput,
  ReceiveRequisitionInput,
  RequisitionDetailQuery,
  RequisitionDirection,
  RequisitionListQuery,
  SupplierFiguresQuery,
  TownshipGapsQuery,
  TownshipPlacesQuery,
} from "../../gql/graphql";
import { gql } from "../../api/client";
import { sum } from "./quantity";

const LIST = graphql(`
  query RequisitionList($regionId: ID!, $direction: RequisitionDirection!, $after: String) {
    requisitions(regionId: $regionId, direction: $direction, first: 20, after: $after) {
      nodes {
        id
        status
        priority
        reason
        incident
        createdAt
        awaitingCountyApproval
        requestingRegion {
          id
          nameZh
          nameEn
        }
        supplyingRegion {
          id
          nameZh
          nameEn
        }
        lines {
          id
          requestedQuantity
          approvedQuantity
          item {
            id
            nameZh
            nameEn
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const DETAIL = graphql(`
  query RequisitionDetail($id: ID!) {
    requisition(id: $id) {
      id
      status
      priority
      reason
      incident
      createdAt
      neededBy
      awaitingCountyApproval
      carrier
      vehicle
      driverContact
      dispatchedAt
      receivedAt
      returnDueOn
      createdBy {
        displayName
      }
      requestingRegion {
        id
        nameZh
        nameEn
      }
      supplyingRegion {
        id
        nameZh
        nameEn
      }
      destinationDepot {
        id
        code
        nameZh
        nameEn
      }
      lines {
        id
        requestedQuantity
        approvedQuantity
        dispatchedQuantity
        acceptedQuantity
        item {
          id
          code
          nameZh
          nameEn
          unit {
            nameZh
            nameEn
            scale
          }
        }
        discrepancies {
          id
          kind
          quantity
          reason
          open
          recordedAt
        }
      }
      approvals {
        level
        note
        approvedAt
        approver {
          displayName
        }
      }
      timeline {
        fromStatus
        toStatus
        note
        occurredAt
        actor {
          displayName
        }
      }
    }
  }
`);

/** What the supplying township holds of each item, depot by depot, and the norm it must keep for itself. */
const SUPPLIER = graphql(`
  query SupplierFigures($regionId: ID!, $after: String) {
    depots(regionId: $regionId, first: 100, after: $after) {
      nodes {
        id
        closedAt
        stock {
          item {
            id
          }
          usable
          reserveFloor
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    coverage(regionId: $regionId) {
      lines {
        item {
          id
        }
        required
      }
    }
  }
`);

const GAPS = graphql(`
  query TownshipGaps($regionId: ID!, $after: String) {
    coverageGaps(regionId: $regionId, first: 20, after: $after) {
      nodes {
        shortfall
        line {
          status
          ratio
          usable
          required
          region {
            id
            nameZh
            nameEn
            level
          }
          item {
            id
            code
            nameZh
            nameEn
            unit {
              nameZh
              nameEn
              scale
            }
          }
        }
        nearestSurplus {
          quantity
          travelMinutes
          region {
            id
            nameZh
            nameEn
            level
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Where the township may ask (its mutual-aid neighbours and its county) and its depots that can receive. */
const PLACES = graphql(`
  query TownshipPlaces($regionId: ID!) {
    region(id: $regionId) {
      id
      nameZh
      nameEn
      parent {
        id
        nameZh
        nameEn
        level
      }
      neighbours {
        travelMinutes
        region {
          id
          nameZh
          nameEn
          level
        }
      }
    }
    depots(regionId: $regionId, first: 100) {
      nodes {
        id
        code
        nameZh
        nameEn
        closedAt
        region {
          id
        }
      }
    }
  }
`);

const CREATE = graphql(`
  mutation TownshipCreateRequisition($input: CreateRequisitionInput!) {
    createRequisition(input: $input) {
      requisition {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
const SUBMIT = graphql(`
  mutation TownshipSubmitRequisition($input: RequisitionStepInput!) {
    submitRequisition(input: $input) {
      requisition {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
const APPROVE = graphql(`
  mutation TownshipApproveRequisition($input: ApproveRequisitionInput!) {
    approveRequisition(input: $input) {
      requisition {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
const REJECT = graphql(`
  mutation TownshipRejectRequisition($input: RequisitionReasonInput!) {
    rejectRequisition(input: $input) {
      requisition {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
const DISPATCH = graphql(`
  mutation TownshipDispatchRequisition($input: DispatchRequisitionInput!) {
    dispatchRequisition(input: $input) {
      requisition {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
const RECEIVE = graphql(`
  mutation TownshipReceiveRequisition($input: ReceiveRequisitionInput!) {
    receiveRequisition(input: $input) {
      requisition {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

export type RequisitionSummary = RequisitionListQuery["requisitions"]["nodes"][number];
export type RequisitionView = NonNullable<RequisitionDetailQuery["requisition"]>;
export type Gap = TownshipGapsQuery["coverageGaps"]["nodes"][number];
export type Places = TownshipPlacesQuery;
export type UserError = { code: string; field: string[]; message: string };
export type StepResult = { id: string | null; userErrors: UserError[] };

/** One page of a township's incoming or outgoing requests, newest first (the server's order). */
export async function requisitionPage(
  regionId: string,
  direction: RequisitionDirection,
  after: string | null,
): Promise<RequisitionListQuery["requisitions"]> {
  return (await gql(LIST, { regionId, direction, after })).requisitions;
}

export async function requisitionDetail(id: string): Promise<RequisitionView | null> {
  return (await gql(DETAIL, { id })).requisition ?? null;
}

/** Per item: the supplying township's usable stock and reserve floors over its open depots, and its norm. */
export interface SupplierFigure {
  usable: string;
  floor: string;
  norm: string | null;
}

export async function supplierFigures(regionId: string): Promise<Map<string, SupplierFigure>> {
  const levels: SupplierFiguresQuery["depots"]["nodes"][number]["stock"] = [];
  const norms = new Map<string, string | null>();
  let after: string | null = null;
  do {
    const page: SupplierFiguresQuery = await gql(SUPPLIER, { regionId, after });
    for (const d of page.depots.nodes) if (!d.closedAt) levels.push(...d.stock);
    for (const l of page.coverage?.lines ?? []) norms.set(l.item.id, l.required ?? null);
    after = nextCursor(page.depots);
  } while (after);
  const itemIds = new Set([...levels.map((l) => l.item.id), ...norms.keys()]);
  return new Map(
    [...itemIds].map((id) => {
      const of = levels.filter((l) => l.item.id === id);
      return [
        id,
        {
          usable: sum(of.map((l) => l.usable)),
          floor: sum(of.map((l) => l.reserveFloor)),
          norm: norms.get(id) ?? null,
        },
      ];
    }),
  );
}

export async function gapPage(
  regionId: string,
  after: string | null,
): Promise<TownshipGapsQuery["coverageGaps"]> {
  return (await gql(GAPS, { regionId, after })).coverageGaps;
}

export async function townshipPlaces(regionId: string): Promise<Places> {
  return gql(PLACES, { regionId });
}

const result = (p: { requisition?: { id: string } | null; userErrors: UserError[] }): StepResult => ({
  id: p.requisition?.id ?? null,
  userErrors: p.userErrors,
});

/**
 * A new key per attempt the person makes: a retry of one click is not a second request. getRandomValues works on
 * a plain-http county intranet too, where randomUUID (secure contexts only) does not exist.
 */
const key = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

/** Drafts the request and sends it to the supplier: one attempt, two steps (the draft stays if the second fails). */
export async function askFor(input: Omit<CreateRequisitionInput, "idempotencyKey">): Promise<StepResult> {
  const created = result(
    (await gql(CREATE, { input: { ...input, idempotencyKey: key() } })).createRequisition,
  );
  if (!created.id) return created;
  const submitted = await submit(created.id);
  // a refused submission leaves the draft: answer its id, so the person sees it and sends it again from there
  return { id: created.id, userErrors: submitted.userErrors };
}

export async function submit(requisitionId: string): Promise<StepResult> {
  return result((await gql(SUBMIT, { input: { requisitionId, idempotencyKey: key() } })).submitRequisition);
}

export async function approve(input: Omit<ApproveRequisitionInput, "idempotencyKey">): Promise<StepResult> {
  return result((await gql(APPROVE, { input: { ...input, idempotencyKey: key() } })).approveRequisition);
}

export async function reject(requisitionId: string, reason: string): Promise<StepResult> {
  return result(
    (await gql(REJECT, { input: { requisitionId, reason, idempotencyKey: key() } })).rejectRequisition,
  );
}

export async function dispatch(input: Omit<DispatchRequisitionInput, "idempotencyKey">): Promise<StepResult> {
  return result((await gql(DISPATCH, { input: { ...input, idempotencyKey: key() } })).dispatchRequisition);
}

export async function receive(input: Omit<ReceiveRequisitionInput, "idempotencyKey">): Promise<StepResult> {
  return result((await gql(RECEIVE, { input: { ...input, idempotencyKey: key() } })).receiveRequisition);
}

/**
 * The refusal naming a field (its path below `input`, e.g. "lines.0.approvedQuantity"), or, with `general`, a
 * refusal naming none of `known`.
 */
export function errorAt(errors: UserError[], path: string): UserError | null {
  return errors.find((e) => e.field.slice(1).join(".") === path) ?? null;
}
export function generalErrors(errors: UserError[], known: (path: string) => boolean): UserError[] {
  return errors.filter((e) => !known(e.field.slice(1).join(".")));
}
