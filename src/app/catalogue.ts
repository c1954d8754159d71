import { catalogueOf } from "../db/catalogueCache.js";
import type { Executor } from "../db/client.js";
import type * as catalogue from "../db/repositories/catalogue.js";
import type { AppDeps } from "./deps.js";

/**
 * Items and their unit precision for a command, from the process's copy of the catalogue, read through the
 * command's transaction where the copy lacks them (src/db/catalogueCache.ts).
 */
export async function itemsWithScale(
  deps: AppDeps,
  tx: Executor,
  ids: readonly number[],
): Promise<Map<number, { item: catalogue.ItemRow; unit: catalogue.UnitRow }>> {
  const cache = catalogueOf(deps.database.db);
  const wanted = [...new Set(ids)];
  const found = (await cache.items(wanted, tx)).filter((i): i is catalogue.ItemRow => i !== null);
  const codes = [...new Set(found.map((i) => i.unitCode))];
  const units = new Map(
    (await cache.units(codes, tx)).filter((u): u is catalogue.UnitRow => u !== null).map((u) => [u.code, u]),
  );
  return new Map(found.map((item) => [item.id, { item, unit: units.get(item.unitCode)! }]));
}

/** Each item's unit precision (decimal places), from what itemsWithScale found. */
export const scalesOf = (found: ReadonlyMap<number, { unit: catalogue.UnitRow }>): Map<number, number> =>
  new Map([...found].map(([id, { unit }]) => [id, unit.scale]));

/** Unit precision of each known item among `ids`; an unknown item has no entry. */
export async function unitScales(
  deps: AppDeps,
  tx: Executor,
  ids: readonly number[],
): Promise<Map<number, number>> {
  return scalesOf(await itemsWithScale(deps, tx, ids));
}
