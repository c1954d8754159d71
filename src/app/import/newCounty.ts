import { actorCacheOf } from "../../db/actorCache.js";
import { catalogueOf } from "../../db/catalogueCache.js";
import { regionsOf } from "../../db/regionCache.js";
import * as users from "../../db/repositories/users.js";
import { RowReader, readPerson, readRegion, type RawRow } from "../../domain/import/rows.js";
import type { SheetName } from "../../domain/import/sheets.js";
import type { Executor } from "../../db/client.js";
import { type AppDeps, inTransaction } from "../deps.js";
import { foundCounty } from "../setup/initCounty.js";
import { type ImportReport, importFile } from "./importFile.js";
import { readFile, type ReadResult } from "./read.js";

/** A 台账 that could not be loaded whole into an empty database; its report says why. */
export class NewCountyRefused extends Error {
  constructor(readonly report: ImportReport) {
    const first = report.problems[0];
    super(
      first
        ? `${report.problems.length} problem(s), first ${first.sheet} row ${first.row} ${first.column}: ${first.message.en}`
        : "the file was not committed",
    );
  }
}

/**
 * A whole county from its 台账 on a database that has none (the demo county's first start). The county's row of 区划
 * and its administrator's row of 人员 are set up first, as `npm run admin -- init` would but without a password,
 * then the file is imported by that administrator, all in one transaction: a start killed part way leaves nothing,
 * and the next start loads it again. `now` is the instant the county is set up.
 */
export async function importNewCounty(
  deps: AppDeps,
  bytes: Buffer,
  opts: { now: Date; onProgress?: (sheet: string, done: number, total: number) => void },
): Promise<ImportReport> {
  const read = await readFile(bytes);
  const founding = foundingRows(read);
  try {
    return await inTransaction(deps, async (tx) => {
      const username = await setUpCounty(tx, founding, opts.now);
      const { actor } = (await users.loadActor(tx, username))!;
      const inside = { ...deps, database: { ...deps.database, db: tx } };
      const report = await importFile(inside, actor, bytes, {
        commit: true,
        onProgress: opts.onProgress,
        read,
      });
      if (!report.committed) throw new NewCountyRefused(report);
      return report;
    });
  } finally {
    // the import cleared the caches of its transaction; the service reads through these
    catalogueOf(deps.database.db).invalidate();
    regionsOf(deps.database.db).clear();
    actorCacheOf(deps.database.db).clear();
  }
}

type Founding = ReturnType<typeof foundingRows>;

/** The county's region, its administrator (no password), their grant and the audit line `admin init` writes. */
async function setUpCounty(tx: Executor, founding: Founding, now: Date): Promise<string> {
  const { county: c, admin } = founding;
  const { nameZh, nameEn, population } = c;
  await foundCounty(tx, { divisionCode: c.divisionCode, nameZh, nameEn, population }, admin, now);
  return admin.username;
}

/** The county's own row (the one with no parent) and the first administrator the file grants over it. */
function foundingRows(read: ReadResult) {
  const rowsOf = (name: SheetName): RawRow[] => read.sheets.find((s) => s.spec.name === name)?.rows ?? [];
  const county = rowsOf("REGIONS")
    .map((raw) => readRegion(new RowReader("REGIONS", raw)))
    .find((r) => r.parentCode === "" && /^\d{6}0{6}$/.test(r.divisionCode));
  const admin = rowsOf("PEOPLE")
    .map((raw) => readPerson(new RowReader("PEOPLE", raw)))
    .find((p) => p.role === "COUNTY_ADMIN" && p.regionCode === county?.divisionCode);
  if (!county || !admin) {
    const problem = read.problems[0]?.message.en;
    throw new Error(
      problem ?? "the file names no county (a 区划 row without a parent) and no administrator of it in 人员",
    );
  }
  const { username, displayName, organisation, phone } = admin;
  return { county, admin: { username, displayName, organisation, phone } };
}
