import type { TrackingMode } from "../catalogue/item.js";
import { addDays, type CalendarDate, parseCalendarDate } from "../shared/calendar.js";
import { DomainError } from "../shared/errors.js";
import { type Quantity, parseQuantity, quantityFromThousandths } from "../shared/quantity.js";
import type { LotCondition } from "./lot.js";

export interface ReceiptItemFacts {
  trackingMode: TrackingMode;
  shelfLifeDays: number | null;
  unitScale: number;
}

export interface ReceiptInput {
  quantity: string;
  lotCode: string;
  receivedOn: string;
  expiresOn?: string | null | undefined;
  serialNumbers?: readonly string[] | null | undefined;
}

export interface PlannedLot {
  lotCode: string;
  receivedOn: CalendarDate;
  expiresOn: CalendarDate | null;
  serialNumber: string | null;
  quantity: Quantity;
}

const ONE = quantityFromThousandths(1000n);

/**
 * Turns a receipt into the lots it creates: one lot, or one per serial number for serialised equipment.
 * An item without a printed expiry ages from its received date by its shelf life.
 */
export function planReceipt(item: ReceiptItemFacts, input: ReceiptInput, today: CalendarDate): PlannedLot[] {
  const quantity = parseQuantity(input.quantity, item.unitScale, ["quantity"]);
  const lotCode = input.lotCode.trim();
  if (!lotCode) throw new DomainError("INVALID_INPUT", "lot code is required", ["lotCode"]);
  const receivedOn = parseCalendarDate(input.receivedOn);
  if (!receivedOn) throw new DomainError("INVALID_INPUT", "received date must be YYYY-MM-DD", ["receivedOn"]);
  if (receivedOn > today)
    throw new DomainError("INVALID_INPUT", "received date is in the future", ["receivedOn"]);
  let expiresOn: CalendarDate | null = null;
  if (input.expiresOn) {
    expiresOn = parseCalendarDate(input.expiresOn);
    if (!expiresOn) throw new DomainError("INVALID_INPUT", "expiry date must be YYYY-MM-DD", ["expiresOn"]);
    if (expiresOn < receivedOn) {
      throw new DomainError("INVALID_INPUT", "expiry date is before the received date", ["expiresOn"]);
    }
  } else if (item.shelfLifeDays) {
    expiresOn = addDays(receivedOn, item.shelfLifeDays);
  }
  const serials = (input.serialNumbers ?? []).map((s) => s.trim());
  if (item.trackingMode !== "SERIAL") {
    if (serials.length > 0) {
      throw new DomainError("INVALID_INPUT", "this item is not tracked by serial number", ["serialNumbers"]);
    }
    return [{ lotCode, receivedOn, expiresOn, serialNumber: null, quantity }];
  }
  if (BigInt(serials.length) * ONE !== quantity) {
    throw new DomainError("INVALID_INPUT", "give one serial number per unit received", ["serialNumbers"]);
  }
  if (serials.some((s) => !s) || new Set(serials).size !== serials.length) {
    throw new DomainError("INVALID_INPUT", "serial numbers must be non-empty and distinct", [
      "serialNumbers",
    ]);
  }
  return serials.map((serialNumber) => ({ lotCode, receivedOn, expiresOn, serialNumber, quantity: ONE }));
}

/**
 * A lot whose printed expiry is already past on the day it arrives is received only when the receiver says so, and
 * then as EXPIRED: it is on the books, never usable (rule 2). A lot expiring that day is still usable that day.
 */
export function conditionOnArrival(
  expiresOn: CalendarDate | null,
  arrivedOn: CalendarDate,
  acceptExpired: boolean,
): LotCondition {
  if (expiresOn === null || expiresOn >= arrivedOn) return "SERVICEABLE";
  if (!acceptExpired) {
    throw new DomainError(
      "EXPIRED_ON_RECEIPT",
      `the lot expired on ${expiresOn}; receive it with acceptExpired: true to book it as EXPIRED`,
      ["expiresOn"],
    );
  }
  return "EXPIRED";
}
