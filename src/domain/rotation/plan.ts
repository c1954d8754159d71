import type { ItemCategory } from "../catalogue/item.js";
import type { CalendarDate } from "../shared/calendar.js";
import { type Quantity, min, sub } from "../shared/quantity.js";
import { daysToExpiry, type DisposalKind } from "./rotation.js";

export interface PlanLot {
  lotId: number;
  depotId: number;
  itemId: number;
  expiresOn: CalendarDate;
  /** Serviceable, unallocated quantity: rotation never touches what a requisition holds. */
  available: Quantity;
  /** The township the depot lies in (itself or a village's township); null for county-level depots. */
  townshipId: number | null;
  /** Every region containing the depot: those regions already count the lot. */
  regionLineage: readonly number[];
}

export interface PlanItem {
  itemId: number;
  category: ItemCategory;
  returnable: boolean;
}

/** A region holding less usable stock of an item than its norm, and the depot that would take more. */
export interface Shortfall {
  regionId: number;
  townshipId: number | null;
  itemId: number;
  short: Quantity;
  depotId: number;
}

export type RotationAction =
  | {
      kind: "TRANSFER";
      quantity: Quantity;
      toDepotId: number;
      toRegionId: number;
      travelMinutes: number | null;
    }
  | { kind: "USE_IN_DRILL"; quantity: Quantity }
  | { kind: "ROTATE_OUT"; quantity: Quantity; disposal: DisposalKind; replacementQuantity: Quantity };

export interface RotationProposal {
  lot: PlanLot;
  daysToExpiry: number;
  actions: RotationAction[];
}

/** Consumables a drill really uses up: sandbags filled, lamps burnt, disinfectant sprayed. */
const DRILL_CATEGORIES: readonly ItemCategory[] = ["FLOOD_CONTROL", "LIGHTING", "MEDICAL"];
/** Too close to expiry to organise a drill around. */
const MIN_DAYS_FOR_DRILL = 7;
/** Too close to expiry for another depot to receive it and use it first. */
const MIN_DAYS_FOR_TRANSFER = 3;

function disposalFor(item: PlanItem): DisposalKind {
  if (item.category === "MEDICAL" || item.category === "SHELTER") return "DONATE";
  if (item.category === "CONSTRUCTION_MATERIAL") return "SELL";
  return "RETURN_TO_SUPPLIER";
}

export interface PlanInput {
  lots: readonly PlanLot[];
  items: ReadonlyMap<number, PlanItem>;
  shortfalls: readonly Shortfall[];
  /** Travel minutes between townships; null when unknown (no link path, or a county-level depot). */
  travel: (fromTownship: number | null, toTownship: number | null) => number | null;
  asOf: CalendarDate;
}

/**
 * Proposes what to do with each lot in its rotation window, deterministically: first send it where the county is
 * short (nearest first, then the largest gap) if there is time for the receiver to use it, then use it in a drill,
 * else rotate it out and order a replacement.
 * Lots are taken earliest expiry first, and each shortfall is filled only once.
 */
export function planRotation(input: PlanInput): RotationProposal[] {
  const remaining = new Map(input.shortfalls.map((s) => [s, s.short]));
  const lots = [...input.lots].sort((a, b) =>
    a.expiresOn < b.expiresOn ? -1 : a.expiresOn > b.expiresOn ? 1 : a.lotId - b.lotId,
  );
  return lots.map((lot) => {
    const item = input.items.get(lot.itemId)!;
    const actions: RotationAction[] = [];
    let left = lot.available;
    const days = daysToExpiry(lot.expiresOn, input.asOf);
    const targets = (days >= MIN_DAYS_FOR_TRANSFER ? input.shortfalls : [])
      .filter((s) => s.itemId === lot.itemId && !lot.regionLineage.includes(s.regionId))
      .map((s) => ({ s, minutes: input.travel(lot.townshipId, s.townshipId) }))
      .sort(
        (a, b) =>
          (a.minutes ?? Infinity) - (b.minutes ?? Infinity) ||
          Number(remaining.get(b.s)! - remaining.get(a.s)!) ||
          a.s.regionId - b.s.regionId,
      );
    for (const { s, minutes } of targets) {
      if (left <= 0n) break;
      const gap = remaining.get(s)!;
      if (gap <= 0n) continue;
      const quantity = min(left, gap);
      actions.push({
        kind: "TRANSFER",
        quantity,
        toDepotId: s.depotId,
        toRegionId: s.regionId,
        travelMinutes: minutes,
      });
      remaining.set(s, sub(gap, quantity));
      left = sub(left, quantity);
    }
    if (left > 0n) {
      actions.push(
        DRILL_CATEGORIES.includes(item.category) && !item.returnable && days >= MIN_DAYS_FOR_DRILL
          ? { kind: "USE_IN_DRILL", quantity: left }
          : { kind: "ROTATE_OUT", quantity: left, disposal: disposalFor(item), replacementQuantity: left },
      );
    }
    return { lot, daysToExpiry: days, actions };
  });
}
