import type { AppDeps } from "../src/app/deps.js";
import * as regions from "../src/db/repositories/regions.js";
import { demoCounty } from "./demo-county.js";
import { loadWorld, resumeWorld } from "./load.js";

/**
 * Loads the demo county into an empty database, or finishes a load that a killed first start left part way.
 * A database holding any other county is left alone. Returns whether anything was loaded.
 */
export async function seedDemoIfEmpty(deps: AppDeps): Promise<boolean> {
  const db = deps.database.db;
  if (!(await regions.anyExists(db))) {
    await loadWorld(deps, demoCounty);
    return true;
  }
  const [county] = await regions.findByDivisionCode(db, demoCounty.county.divisionCode);
  if (!county) return false;
  return resumeWorld(deps, demoCounty, county.countyId);
}
