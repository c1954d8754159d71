export const LOT_CONDITIONS = ["SERVICEABLE", "QUARANTINED", "DAMAGED", "EXPIRED"] as const;
export type LotCondition = (typeof LOT_CONDITIONS)[number];
