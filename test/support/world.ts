import type { TestService } from "./service.js";

export interface LotView {
  id: string;
  onHand: string;
  allocated: string;
  condition: string;
  expiresOn: string | null;
  serialNumber: string | null;
}

export interface UserErrorView {
  field: string[];
  message: string;
  code: string;
}

export interface ChangeView {
  movements: { id: string; kind: string; quantity: string; lot: { id: string } }[];
  lots: LotView[];
  userErrors: UserErrorView[];
}

const LOT_FIELDS = "id onHand allocated condition expiresOn serialNumber";
export const CHANGE = `movements { id kind quantity lot { id } } lots { ${LOT_FIELDS} } userErrors { field message code }`;

export const RECEIVE = `mutation($input: ReceiveStockInput!) { receiveStock(input: $input) { ${CHANGE} } }`;
export const ISSUE = `mutation($input: IssueStockInput!) { issueStock(input: $input) { ${CHANGE} } }`;
export const WRITE_OFF = `mutation($input: WriteOffStockInput!) { writeOffStock(input: $input) {
  ${CHANGE} request { id status quantity } } }`;
export const CONFIRM_WRITE_OFF = `mutation($input: ConfirmWriteOffInput!) { confirmWriteOff(input: $input) {
  ${CHANGE} request { id status } } }`;
export const SET_CONDITION = `mutation($input: SetLotConditionInput!) { setLotCondition(input: $input) {
  lot { ${LOT_FIELDS} } userErrors { field message code } } }`;
export const REVERSE = `mutation($input: ReverseMovementInput!) { reverseMovement(input: $input) { ${CHANGE} } }`;
export const LOT = `query($id: ID!) { node(id: $id) { ... on Lot { ${LOT_FIELDS} } } }`;

let lotCounter = 0;

/** Receives a fresh lot through the API and returns it; the test owns it from then on. */
export async function receiveLot(
  svc: TestService,
  as: string,
  input: { depotId: string; itemId: string; quantity: string } & Record<string, unknown>,
): Promise<LotView> {
  lotCounter += 1;
  const res = await svc.gql<{ receiveStock: ChangeView }>(
    RECEIVE,
    {
      input: {
        lotCode: `T-${process.pid}-${lotCounter}`,
        receivedOn: "2026-01-10",
        source: "PURCHASE",
        reason: "test receipt",
        ...input,
      },
    },
    as,
  );
  if (res.errors || res.data!.receiveStock.userErrors.length) {
    throw new Error(`receipt failed: ${JSON.stringify(res.errors ?? res.data!.receiveStock.userErrors)}`);
  }
  return res.data!.receiveStock.lots[0]!;
}

/** A lot as a reader of its county sees it (the demo county's auditor unless told). */
export async function lotNow(svc: TestService, id: string, as = "auditor"): Promise<LotView> {
  const res = await svc.gql<{ node: LotView }>(LOT, { id }, as);
  return res.data!.node;
}
