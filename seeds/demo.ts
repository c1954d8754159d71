import { readFile } from "node:fs/promises";
import type { AppDeps } from "../src/app/deps.js";
import { importNewCounty } from "../src/app/import/newCounty.js";
import * as regions from "../src/db/repositories/regions.js";
import { DEMO_WORKBOOK } from "./demoWorkbook.js";

const PROGRESS_EVERY = 50;

/**
 * Loads the demo county into an empty database through the 台账 importer, as its administrator (county.admin), in
 * one transaction: a first start killed part way leaves nothing, and the next start loads it again. A database
 * holding any county (the demo one included) is left alone. Returns whether anything was loaded.
 */
export async function seedDemoIfEmpty(deps: AppDeps): Promise<boolean> {
  if (await regions.anyExists(deps.database.db)) return false;
  const bytes = await readFile(DEMO_WORKBOOK);
  await importNewCounty(deps, bytes, {
    // the county's set-up instant; a first start runs no command() to hand one in
    now: deps.clock(),
    onProgress: (sheet, done, of) => {
      if (done > 0 && done % PROGRESS_EVERY === 0) deps.logger.info({ sheet, done, of }, "seeding");
    },
  });
  return true;
}
