import type { Grant } from "../custody/actor.js";

/** What happened to a requisition that someone on either side, or the county, should hear of at once. */
export const NOTICE_KINDS = [
  "SUBMITTED",
  "APPROVED",
  "REJECTED",
  "DISPATCHED",
  "RECEIVED",
  "DISCREPANCY",
  "LOAN_OVERDUE",
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Where a reader of a requisition stands: the asking region, the supplying one, or neither (the county). */
export type NoticeSide = "REQUESTER" | "SUPPLIER" | "ELSEWHERE";

/**
 * Who is told of what. The supplier hears of a request to answer, of its approval (its keeper dispatches) and of
 * the receipt; the requester of the answer, the dispatch and the receipt; both sides and the county of a
 * discrepancy or an overdue loan. Everyone else who may read the requisition can look it up, unprompted.
 */
const TOLD: Record<NoticeSide, readonly NoticeKind[]> = {
  SUPPLIER: ["SUBMITTED", "APPROVED", "RECEIVED", "DISCREPANCY", "LOAN_OVERDUE"],
  REQUESTER: ["APPROVED", "REJECTED", "DISPATCHED", "RECEIVED", "DISCREPANCY", "LOAN_OVERDUE"],
  ELSEWHERE: ["DISCREPANCY", "LOAN_OVERDUE"],
};

export interface NoticeParties {
  countyId: number;
  requestingRegionId: number;
  supplyingRegionId: number;
}

/** The side a person's grants put them on; one who holds both (rare) hears as the supplier. */
export function sideOf(grants: readonly Grant[], r: NoticeParties): NoticeSide {
  const holds = (regionId: number) =>
    grants.some((g) => g.countyId === r.countyId && g.regionId === regionId);
  if (holds(r.supplyingRegionId)) return "SUPPLIER";
  if (holds(r.requestingRegionId)) return "REQUESTER";
  return "ELSEWHERE";
}

export const isToldOf = (kind: NoticeKind, side: NoticeSide): boolean => TOLD[side].includes(kind);
