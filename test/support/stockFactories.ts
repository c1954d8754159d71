import { type County, type Depot, type Item, mutation, unique } from "./factories.js";
import type { LotView } from "./world.js";

/** Lots, norms and the figures a depot shows: made and read through the API like any county's. */

export type { Item } from "./factories.js";

export interface LotOptions {
  expiresOn?: string | null;
  receivedOn?: string;
  /** Serialised equipment: one per unit; made up when not given. */
  serialNumbers?: string[];
  /** Who records the receipt: the depot's keeper unless told. */
  as?: string;
  acceptExpired?: boolean;
}

/** Stock of an item received at a depot by its keeper: one lot (one per unit for serialised equipment). */
export async function aLotOf(
  depot: Depot,
  item: Item,
  quantity: string,
  opts: LotOptions = {},
): Promise<LotView[]> {
  const n = unique();
  const serialNumbers =
    item.trackingMode === "SERIAL"
      ? (opts.serialNumbers ?? Array.from({ length: Number(quantity) }, (_, i) => `SN-${n}-${i + 1}`))
      : undefined;
  const res = await mutation<{ lots: LotView[] }>(
    depot.county.svc,
    opts.as ?? depot.keeper,
    "receiveStock",
    "ReceiveStockInput",
    {
      depotId: depot.id,
      itemId: item.id,
      quantity,
      lotCode: `LOT-${n}`,
      receivedOn: opts.receivedOn ?? "2026-01-10",
      source: "PURCHASE",
      reason: "测试入库",
      ...(opts.expiresOn !== undefined ? { expiresOn: opts.expiresOn } : {}),
      ...(serialNumbers ? { serialNumbers } : {}),
      ...(opts.acceptExpired ? { acceptExpired: true } : {}),
    },
    "lots { id onHand allocated condition expiresOn serialNumber }",
  );
  return res.lots;
}

/**
 * A reserve norm for the item over one region, set by a county officer; its floor lands on the region's own
 * depots, where issues and allocation keep it.
 */
export async function aNorm(
  county: County,
  item: Item,
  regionId: string,
  quantity: string,
  reserveFloor = "0",
): Promise<void> {
  await mutation(
    county.svc,
    county.officer,
    "setReserveNorm",
    "SetReserveNormInput",
    {
      countyId: county.id,
      itemId: item.id,
      regionId,
      basis: "ABSOLUTE",
      quantity,
      reserveFloor,
    },
    "norm { quantity }",
  );
}

export interface StockFigures {
  onHand: string;
  allocated: string;
  usable: string;
  inTransit: string;
  quarantined: string;
  damaged: string;
}

/** A depot's figures for one item as the county's auditor reads them (all zero before any stock of it). */
export async function stockAt(depot: Depot, item: Item): Promise<StockFigures> {
  const res = await depot.county.svc.gql<{ node: { stock: (StockFigures & { item: { id: string } })[] } }>(
    `query($id: ID!) { node(id: $id) { ... on Depot {
       stock { item { id } onHand allocated usable inTransit quarantined damaged } } } }`,
    { id: depot.id },
    depot.county.auditor,
  );
  const row = res.data!.node.stock.find((s) => s.item.id === item.id);
  if (!row)
    return { onHand: "0", allocated: "0", usable: "0", inTransit: "0", quarantined: "0", damaged: "0" };
  const { item: _item, ...figures } = row;
  return figures;
}
