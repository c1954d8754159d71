/**
 * Map keys for pairs of ids within one county. Branded, so a map keyed by depot and item cannot be read with a
 * key spelt by hand in another order, or with a region-and-item key.
 */
export type DepotItemKey = string & { readonly __key: "depot:item" };
export type RegionItemKey = string & { readonly __key: "region:item" };

export const depotItemKey = (k: { depotId: number; itemId: number }): DepotItemKey =>
  `${k.depotId}:${k.itemId}` as DepotItemKey;

export const regionItemKey = (k: { regionId: number; itemId: number }): RegionItemKey =>
  `${k.regionId}:${k.itemId}` as RegionItemKey;
