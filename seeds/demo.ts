import { readFile } from "node:fs/promises";
import type { AppDeps } from "../src/app/deps.js";
import { importNewCounty } from "../src/app/import/newCounty.js";
import { giveDemoPasswords } from "../src/app/setup/demoPasswords.js";
import * as regions from "../src/db/repositories/regions.js";
import { demoCounty } from "./demo-county.js";
import { DEMO_WORKBOOK } from "./demoWorkbook.js";

/** Every demo person signs in to the console with this (README, 演示账号); never in production. */
export const DEMO_PASSWORD = "qinghe-demo-2026";

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

/**
 * The demo county's people get DEMO_PASSWORD right after `npm start` loaded it (not in the test template, whose
 * tests make their own people). Never later: by then a county's own people may carry the same usernames.
 */
export const giveDemoPeoplePasswords = (deps: AppDeps): Promise<number> =>
  giveDemoPasswords(
    deps,
    demoCounty.users.map((u) => u.username),
    DEMO_PASSWORD,
  );
