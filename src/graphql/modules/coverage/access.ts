import type { CountyKey } from "../../../db/keys.js";
import { canReadCoverage } from "../../../domain/custody/policy.js";
import type { Context } from "../../context.js";

/** Whether the viewer may read a region's coverage; answers like a missing region when not. */
export async function mayRead(ctx: Context, key: CountyKey): Promise<boolean> {
  const actor = ctx.actor!;
  if (!actor.grants.some((g) => g.countyId === key.countyId)) return false;
  if (!(await ctx.loaders.region.load(key))) return false;
  const lineage = await ctx.loaders.regionLineage.load(key);
  const kept = await ctx.loaders.depot.loadMany(
    actor.keptDepots.map((d) => ({ countyId: d.countyId, id: d.depotId })),
  );
  const keptRegions = kept.flatMap((d) =>
    d && !(d instanceof Error) ? [{ countyId: d.countyId, regionId: d.regionId }] : [],
  );
  return canReadCoverage(
    actor,
    { countyId: key.countyId, regionId: key.id, regionLineage: lineage },
    keptRegions,
  );
}
