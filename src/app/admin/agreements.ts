import type { Actor } from "../../domain/custody/actor.js";
import { parseCalendarDate } from "../../domain/shared/calendar.js";
import { DomainError } from "../../domain/shared/errors.js";
import { parseQuantity } from "../../domain/shared/quantity.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import * as agreementWrites from "../../db/repositories/agreements.writes.js";
import * as agreements from "../../db/repositories/agreements.js";
import * as depotWrites from "../../db/repositories/depots.writes.js";
import * as regionWrites from "../../db/repositories/regions.writes.js";
import { itemsWithScale } from "../catalogue.js";
import type { AppDeps } from "../deps.js";
import { requireText } from "../stock/facts.js";
import { adminCommand } from "./command.js";
import { definedOnly, requiredName, wholeNumber } from "./fields.js";

export interface AgreementLineInput {
  itemId: number;
  quantity: string;
}

export interface AgreementFields {
  supplier?: string | null;
  contact?: string | null;
  contractNo?: string | null;
  validFrom?: string | null;
  validUntil?: string | null;
  leadHours?: number | null;
  lines?: readonly AgreementLineInput[] | null;
  depot?: CountyKey | null;
}

export interface CreateAgreementInput extends AgreementFields {
  region: CountyKey;
  supplier: string;
  contact: string;
  contractNo: string;
  validFrom: string;
  validUntil: string;
  leadHours: number;
  lines: readonly AgreementLineInput[];
  idempotencyKey?: string | null;
}

export interface AgreementResult {
  agreement: agreements.AgreementRow;
  lines: agreements.AgreementLineRow[];
}

function day(text: string, field: string) {
  const d = parseCalendarDate(text);
  if (!d) throw new DomainError("INVALID_INPUT", "a day is written YYYY-MM-DD", [field]);
  return d;
}

/** Agreed quantities in each item's unit; an item appears once, and a retired one takes no new agreement. */
async function agreedLines(deps: AppDeps, tx: Executor, lines: readonly AgreementLineInput[]) {
  if (lines.length === 0)
    throw new DomainError("INVALID_INPUT", "an agreement names at least one item", ["lines"]);
  if (new Set(lines.map((l) => l.itemId)).size !== lines.length)
    throw new DomainError("INVALID_INPUT", "each item appears once", ["lines"]);
  const found = await itemsWithScale(
    deps,
    tx,
    lines.map((l) => l.itemId),
  );
  return lines.map((l, i) => {
    const f = found.get(l.itemId);
    if (!f) throw new DomainError("NOT_FOUND", "item not found", ["lines", String(i), "itemId"]);
    if (f.item.retiredAt !== null)
      throw new DomainError("ITEM_RETIRED", "the item is retired from the catalogue", [
        "lines",
        String(i),
        "itemId",
      ]);
    return {
      itemId: l.itemId,
      quantity: parseQuantity(l.quantity, f.unit.scale, ["lines", String(i), "quantity"]),
    };
  });
}

/** The agreement-reserve depot that books the distributor's stock: open, of this county, of that kind. */
async function agreementDepot(tx: Executor, countyId: number, key: CountyKey | null | undefined) {
  if (!key) return null;
  const depot = key.countyId === countyId ? await depotWrites.lock(tx, key) : null;
  if (!depot) throw new DomainError("NOT_FOUND", "depot not found", ["depotId"]);
  if (depot.kind !== "AGREEMENT_RESERVE")
    throw new DomainError("INVALID_INPUT", "the depot is not an agreement reserve", ["depotId"]);
  if (depot.closedAt !== null) throw new DomainError("DEPOT_CLOSED", "the depot is closed", ["depotId"]);
  return depot.id;
}

async function uniqueContractNo(tx: Executor, countyId: number, contractNo: string, self?: number) {
  const other = await agreements.findByContractNo(tx, countyId, contractNo);
  if (other && other.id !== self)
    throw new DomainError("DUPLICATE", `contract ${contractNo} is already on file`, ["contractNo"]);
  return contractNo;
}

function validRange(from: string, until: string) {
  if (until < from)
    throw new DomainError("INVALID_INPUT", "the agreement ends before it begins", ["validUntil"]);
}

/** A contract with a distributor (协议储备合同) to keep agreed quantities ready and deliver on call. */
export function createAgreement(deps: AppDeps, actor: Actor, input: CreateAgreementInput) {
  const { region } = input;
  return adminCommand(deps, actor, "createAgreement", region.countyId, input, {}, async (tx, _now, audit) => {
    if (!(await regionWrites.lock(tx, region)))
      throw new DomainError("NOT_FOUND", "region not found", ["regionId"]);
    const validFrom = day(input.validFrom, "validFrom");
    const validUntil = day(input.validUntil, "validUntil");
    validRange(validFrom, validUntil);
    const contractNo = requiredName(input.contractNo, "contractNo", "the contract number");
    const agreement = await agreementWrites.insert(tx, {
      countyId: region.countyId,
      regionId: region.id,
      supplier: requiredName(input.supplier, "supplier", "the supplier"),
      contact: requiredName(input.contact, "contact", "a contact"),
      contractNo: await uniqueContractNo(tx, region.countyId, contractNo),
      validFrom,
      validUntil,
      leadHours: wholeNumber(input.leadHours, "leadHours", 1, 24 * 30),
      depotId: await agreementDepot(tx, region.countyId, input.depot),
    });
    const key = { countyId: agreement.countyId, id: agreement.id };
    const lines = await agreementWrites.replaceLines(tx, key, await agreedLines(deps, tx, input.lines));
    await audit({
      targetType: "Agreement",
      targetId: agreement.id,
      before: null,
      after: { ...agreement, lines },
    });
    return { agreement, lines };
  });
}

export interface UpdateAgreementInput extends AgreementFields {
  agreement: CountyKey;
  idempotencyKey?: string | null;
}

/** Changes the terms of an agreement still in force; `lines`, when given, replace the agreed items. */
export function updateAgreement(deps: AppDeps, actor: Actor, input: UpdateAgreementInput) {
  const key = input.agreement;
  return adminCommand(deps, actor, "updateAgreement", key.countyId, input, {}, async (tx, _now, audit) => {
    const before = await agreementWrites.lock(tx, key);
    if (!before) throw new DomainError("NOT_FOUND", "agreement not found", ["agreementId"]);
    if (before.endedAt !== null)
      throw new DomainError("INVALID_TRANSITION", "the agreement has ended", ["agreementId"]);
    const beforeLines = await agreements.linesOf(tx, [key]);
    const patch = definedOnly({
      supplier: input.supplier == null ? undefined : requiredName(input.supplier, "supplier", "the supplier"),
      contact: input.contact == null ? undefined : requiredName(input.contact, "contact", "a contact"),
      contractNo:
        input.contractNo == null
          ? undefined
          : await uniqueContractNo(
              tx,
              key.countyId,
              requiredName(input.contractNo, "contractNo", "the contract number"),
              before.id,
            ),
      validFrom: input.validFrom == null ? undefined : day(input.validFrom, "validFrom"),
      validUntil: input.validUntil == null ? undefined : day(input.validUntil, "validUntil"),
      leadHours: input.leadHours == null ? undefined : wholeNumber(input.leadHours, "leadHours", 1, 24 * 30),
      depotId: input.depot === undefined ? undefined : await agreementDepot(tx, key.countyId, input.depot),
    });
    validRange(patch.validFrom ?? before.validFrom, patch.validUntil ?? before.validUntil);
    const agreement = Object.keys(patch).length > 0 ? await agreementWrites.update(tx, key, patch) : before;
    const lines = input.lines
      ? await agreementWrites.replaceLines(tx, key, await agreedLines(deps, tx, input.lines))
      : beforeLines;
    await audit({
      targetType: "Agreement",
      targetId: agreement.id,
      before: { ...before, lines: beforeLines },
      after: { ...agreement, lines },
    });
    return { agreement, lines };
  });
}

export interface EndAgreementInput {
  agreement: CountyKey;
  reason: string;
  idempotencyKey?: string | null;
}

/** Ends an agreement early (terminated, supplier gone); from now on coverage no longer counts it. */
export function endAgreement(deps: AppDeps, actor: Actor, input: EndAgreementInput) {
  const key = input.agreement;
  return adminCommand(deps, actor, "endAgreement", key.countyId, input, {}, async (tx, now, audit) => {
    const reason = requireText(input.reason, "reason", "a reason");
    const before = await agreementWrites.lock(tx, key);
    if (!before) throw new DomainError("NOT_FOUND", "agreement not found", ["agreementId"]);
    if (before.endedAt !== null)
      throw new DomainError("INVALID_TRANSITION", "the agreement has already ended", ["agreementId"]);
    const agreement = await agreementWrites.end(tx, key, now, reason);
    const lines = await agreements.linesOf(tx, [key]);
    await audit({ targetType: "Agreement", targetId: agreement.id, before, after: agreement });
    return { agreement, lines };
  });
}
