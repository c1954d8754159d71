import type { AppDeps } from "../src/app/deps.js";
import * as regions from "../src/db/repositories/regions.js";
import { demoCounty } from "./demo-county.js";
import { loadWorld } from "./load.js";

/** Loads the demo county into an empty database; a database with any region is left alone. */
export async function seedDemoIfEmpty(deps: AppDeps): Promise<boolean> {
  if (await regions.anyExists(deps.database.db)) return false;
  await loadWorld(deps, demoCounty);
  return true;
}
