import { classificationCode } from "../../domain/catalogue/classification.js";
import type { ItemCategory, TrackingMode } from "../../domain/catalogue/item.js";
import type { Actor } from "../../domain/custody/actor.js";
import { DomainError } from "../../domain/shared/errors.js";
import * as catalogue from "../../db/repositories/catalogue.js";
import * as catalogueWrites from "../../db/repositories/catalogue.writes.js";
import type { AppDeps } from "../deps.js";
import { requireText } from "../stock/facts.js";
import { adminCommand } from "./command.js";
import { catalogueCounty, codeOf, definedOnly, optionalText, requiredName, wholeNumber } from "./fields.js";

export interface ItemAgeing {
  shelfLifeDays?: number | null;
  rotationLeadDays?: number | null;
  testRunIntervalDays?: number | null;
}

export interface CreateItemInput extends ItemAgeing {
  countyId?: number | null;
  code: string;
  nameZh: string;
  nameEn?: string | null;
  category: ItemCategory;
  classificationCode?: string | null;
  unitCode: string;
  trackingMode: TrackingMode;
  returnable: boolean;
  description?: string | null;
  idempotencyKey?: string | null;
}

const YEARS_50 = 50 * 366;

/** Ageing figures: `undefined` unchanged, `null` cleared; test runs are for serialised equipment only. */
function ageing(input: ItemAgeing, trackingMode: TrackingMode) {
  const days = (v: number | null | undefined, field: string, min: number) =>
    v == null ? v : wholeNumber(v, field, min, YEARS_50);
  if (input.testRunIntervalDays != null && trackingMode !== "SERIAL") {
    throw new DomainError("INVALID_INPUT", "only serialised equipment is test-run", ["testRunIntervalDays"]);
  }
  return {
    shelfLifeDays: days(input.shelfLifeDays, "shelfLifeDays", 1),
    rotationLeadDays: days(input.rotationLeadDays, "rotationLeadDays", 0),
    testRunIntervalDays: days(input.testRunIntervalDays, "testRunIntervalDays", 1),
  };
}

/** A new catalogue entry, shared by every county; the audit row is kept under the administrator's county. */
export function createItem(deps: AppDeps, actor: Actor, input: CreateItemInput) {
  const countyId = catalogueCounty(actor, input.countyId);
  return adminCommand(
    deps,
    actor,
    "createItem",
    countyId,
    input,
    { catalogue: true },
    async (tx, _now, audit) => {
      const code = codeOf(input.code, "code");
      if ((await catalogue.findItemsByCodes(tx, [code])).length > 0)
        throw new DomainError("DUPLICATE", `item code ${code} is already in the catalogue`, ["code"]);
      if ((await catalogue.findUnits(tx, [input.unitCode])).length === 0)
        throw new DomainError("NOT_FOUND", "unit not found", ["unitCode"]);
      const a = ageing(input, input.trackingMode);
      const row = await catalogueWrites.insertItem(tx, {
        code,
        nameZh: requiredName(input.nameZh, "nameZh", "a Chinese name"),
        nameEn: optionalText(input.nameEn, "nameEn", 200),
        description: optionalText(input.description, "description"),
        category: input.category,
        classificationCode: classificationCode(input.classificationCode),
        unitCode: input.unitCode,
        trackingMode: input.trackingMode,
        shelfLifeDays: a.shelfLifeDays ?? null,
        rotationLeadDays: a.rotationLeadDays ?? null,
        testRunIntervalDays: a.testRunIntervalDays ?? null,
        returnable: input.returnable,
      });
      await audit({ targetType: "Item", targetId: row.id, before: null, after: row });
      return row;
    },
  );
}

export interface UpdateItemInput extends ItemAgeing {
  countyId?: number | null;
  itemId: number;
  nameZh?: string | null;
  nameEn?: string | null;
  category?: ItemCategory | null;
  classificationCode?: string | null;
  returnable?: boolean | null;
  description?: string | null;
  idempotencyKey?: string | null;
}

/** Names, category, code of the standard, ageing and returnability; the unit and tracking mode stay (stock is in them). */
export function updateItem(deps: AppDeps, actor: Actor, input: UpdateItemInput) {
  const countyId = catalogueCounty(actor, input.countyId);
  return adminCommand(
    deps,
    actor,
    "updateItem",
    countyId,
    input,
    { catalogue: true },
    async (tx, _now, audit) => {
      const before = await catalogueWrites.lockItem(tx, input.itemId);
      if (!before) throw new DomainError("NOT_FOUND", "item not found", ["itemId"]);
      const patch = definedOnly({
        nameZh: input.nameZh == null ? undefined : requiredName(input.nameZh, "nameZh", "a Chinese name"),
        nameEn: input.nameEn === undefined ? undefined : optionalText(input.nameEn, "nameEn", 200),
        description:
          input.description === undefined ? undefined : optionalText(input.description, "description"),
        category: input.category ?? undefined,
        classificationCode:
          input.classificationCode === undefined ? undefined : classificationCode(input.classificationCode),
        returnable: input.returnable ?? undefined,
        ...ageing(input, before.trackingMode),
      });
      if (Object.keys(patch).length === 0) return before;
      const after = await catalogueWrites.updateItem(tx, before.id, patch);
      await audit({ targetType: "Item", targetId: after.id, before, after });
      return after;
    },
  );
}

export interface RetireItemInput {
  countyId?: number | null;
  itemId: number;
  reason: string;
  idempotencyKey?: string | null;
}

/** A retired item takes no receipts; what is on hand and its whole history stay. */
export function retireItem(deps: AppDeps, actor: Actor, input: RetireItemInput) {
  const countyId = catalogueCounty(actor, input.countyId);
  return adminCommand(
    deps,
    actor,
    "retireItem",
    countyId,
    input,
    { catalogue: true },
    async (tx, now, audit) => {
      const reason = requireText(input.reason, "reason", "a reason");
      const before = await catalogueWrites.lockItem(tx, input.itemId);
      if (!before) throw new DomainError("NOT_FOUND", "item not found", ["itemId"]);
      if (before.retiredAt !== null)
        throw new DomainError("INVALID_TRANSITION", "the item is already retired", ["itemId"]);
      const after = await catalogueWrites.retireItem(tx, before.id, now, reason);
      await audit({ targetType: "Item", targetId: after.id, before, after });
      return after;
    },
  );
}

export interface CreateUnitInput {
  countyId?: number | null;
  code: string;
  nameZh: string;
  nameEn?: string | null;
  scale: number;
  idempotencyKey?: string | null;
}

/** A unit of measure; its scale (decimals) is fixed once created, since quantities are stored in it. */
export function createUnit(deps: AppDeps, actor: Actor, input: CreateUnitInput) {
  const countyId = catalogueCounty(actor, input.countyId);
  return adminCommand(
    deps,
    actor,
    "createUnit",
    countyId,
    input,
    { catalogue: true },
    async (tx, _now, audit) => {
      const code = codeOf(input.code, "code");
      if ((await catalogue.findUnits(tx, [code])).length > 0)
        throw new DomainError("DUPLICATE", `unit ${code} already exists`, ["code"]);
      const row = await catalogueWrites.insertUnit(tx, {
        code,
        nameZh: requiredName(input.nameZh, "nameZh", "a Chinese name"),
        nameEn: optionalText(input.nameEn, "nameEn", 200),
        scale: wholeNumber(input.scale, "scale", 0, 3),
      });
      // units are keyed by code; the log's target id is numeric, so the code travels in before/after
      await audit({ targetType: "Unit", targetId: 0, before: null, after: row });
      return row;
    },
  );
}
