import { catalogueOf } from "../db/catalogueCache.js";
import type { Executor } from "../db/client.js";
import * as catalogue from "../db/repositories/catalogue.js";
import type { AppDeps } from "./deps.js";

/**
 * Items and their unit precision for a command, from the process's copy of the catalogue; what is missing there
 * (added a moment ago by another process) is read through the command's transaction before it is called unknown.
 */
export async function itemsWithScale(
  deps: AppDeps,
  tx: Executor,
  ids: readonly number[],
): Promise<Map<number, { item: catalogue.ItemRow; unit: catalogue.UnitRow }>> {
  const cache = catalogueOf(deps.database.db);
  const wanted = [...new Set(ids)];
  const cached = await cache.items(wanted, tx);
  const found = cached.filter((i): i is catalogue.ItemRow => i !== null);
  const missing = wanted.filter((_, i) => cached[i] === null);
  if (missing.length > 0) found.push(...(await catalogue.findItemsByIds(tx, missing)));
  const codes = [...new Set(found.map((i) => i.unitCode))];
  const units = new Map(
    (await cache.units(codes, tx)).filter((u): u is catalogue.UnitRow => u !== null).map((u) => [u.code, u]),
  );
  const unknownUnits = codes.filter((c) => !units.has(c));
  if (unknownUnits.length > 0) {
    for (const u of await catalogue.findUnits(tx, unknownUnits)) units.set(u.code, u);
  }
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
