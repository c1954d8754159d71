export const ITEM_CATEGORIES = [
  "FLOOD_CONTROL",
  "POWER",
  "LIFE_SAVING",
  "SHELTER",
  "LIGHTING",
  "MEDICAL",
  "CONSTRUCTION_MATERIAL",
  "TRANSPORT",
  // GB/T 38565-2020 class 1, basic living support, beside the older groups above
  "FOOD",
  "DRINKING_WATER",
  "CLOTHING_BEDDING",
] as const;
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];

/** BULK: one balance per lot without expiry; LOT: lots with expiry; SERIAL: one lot per serial-numbered unit. */
export const TRACKING_MODES = ["BULK", "LOT", "SERIAL"] as const;
export type TrackingMode = (typeof TRACKING_MODES)[number];
