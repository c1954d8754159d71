import type { TestService } from "./service.js";
import type { UserErrorView } from "./world.js";

export interface RequisitionView {
  id: string;
  status: string;
  awaitingCountyApproval: boolean;
  lines: {
    id: string;
    item: { code: string };
    requestedQuantity: string;
    approvedQuantity: string | null;
    dispatchedQuantity: string | null;
    acceptedQuantity: string | null;
    returnedQuantity: string | null;
    allocations: { quantity: string; status: string; lot: { id: string; depot: { code: string } } }[];
    discrepancies: { kind: string; quantity: string; reason: string }[];
    loans: { quantity: string; returnedQuantity: string; status: string; dueOn: string; overdue: boolean }[];
  }[];
  timeline: { fromStatus: string | null; toStatus: string; actor: { username: string } }[];
}

export const REQUISITION_FIELDS = `id status awaitingCountyApproval
  lines { id item { code } requestedQuantity approvedQuantity dispatchedQuantity acceptedQuantity returnedQuantity
    allocations { quantity status lot { id depot { code } } }
    discrepancies { kind quantity reason }
    loans { quantity returnedQuantity status dueOn overdue } }
  timeline { fromStatus toStatus actor { username } }`;

type Payload = { requisition: RequisitionView | null; userErrors: UserErrorView[] };

/** Calls a requisition mutation and returns its payload, failing loudly on a top-level error. */
export async function step(
  svc: TestService,
  mutation: string,
  inputType: string,
  input: Record<string, unknown>,
  as: string,
): Promise<Payload & { topLevel?: string }> {
  const res = await svc.gql<Record<string, Payload>>(
    `mutation($input: ${inputType}!) { ${mutation}(input: $input) { requisition { ${REQUISITION_FIELDS} } userErrors { field message code } } }`,
    { input },
    as,
  );
  if (res.errors) return { requisition: null, userErrors: [], topLevel: res.errors[0]!.extensions?.code };
  return res.data![mutation]!;
}

export async function view(
  svc: TestService,
  id: string,
  as = "county.officer",
): Promise<RequisitionView | null> {
  const res = await svc.gql<{ requisition: RequisitionView | null }>(
    `query($id: ID!) { requisition(id: $id) { ${REQUISITION_FIELDS} } }`,
    { id },
    as,
  );
  return res.data!.requisition;
}
