import { aDepot, aTownship, type County, type Depot, mutation, type Township } from "./factories.js";

/** What the county-wide reports (readiness, coverage, exports) need beside the common factories. */

/** A township of its own under the county, with its office and a township depot kept by a keeper of its own. */
export async function aTownshipWithDepot(
  county: County,
  opts: { population?: number } = {},
): Promise<Township & { depot: Depot }> {
  const township = await aTownship(county, opts);
  return { ...township, depot: await aDepot(township) };
}

/** A stock-take of the depot counted and submitted by its keeper, every lot at its book quantity. */
export async function aStockTake(depot: Depot): Promise<void> {
  const { svc } = depot.county;
  const started = await mutation<{
    stockTake: { id: string; lines: { bookQuantity: string; lot: { id: string } }[] };
  }>(
    svc,
    depot.keeper,
    "startStockTake",
    "StartStockTakeInput",
    { depotId: depot.id },
    "stockTake { id lines { bookQuantity lot { id } } }",
  );
  const take = started.stockTake;
  await mutation(
    svc,
    depot.keeper,
    "submitStockTake",
    "SubmitStockTakeInput",
    {
      stockTakeId: take.id,
      counts: take.lines.map((l) => ({ lotId: l.lot.id, countedQuantity: l.bookQuantity })),
    },
    "",
  );
}

/**
 * A reserve norm for every region of a level (TOWNSHIP, VILLAGE) of the county, set by a county officer: so
 * much per region, or per 1,000 residents; its floor lands on each such region's depots.
 */
export async function aLevelNorm(
  county: County,
  item: { id: string },
  level: "TOWNSHIP" | "VILLAGE",
  quantity: string,
  opts: { basis?: "ABSOLUTE" | "PER_THOUSAND_RESIDENTS"; reserveFloor?: string } = {},
): Promise<void> {
  await mutation(
    county.svc,
    county.officer,
    "setReserveNorm",
    "SetReserveNormInput",
    {
      countyId: county.id,
      itemId: item.id,
      level,
      basis: opts.basis ?? "ABSOLUTE",
      quantity,
      reserveFloor: opts.reserveFloor ?? "0",
    },
    "norm { quantity }",
  );
}
