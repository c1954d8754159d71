import { actorCacheOf } from "../../db/actorCache.js";
import { catalogueOf } from "../../db/catalogueCache.js";
import { regionsOf } from "../../db/regionCache.js";
import * as regions from "../../db/repositories/regions.js";
import type { Actor } from "../../domain/custody/actor.js";
import { checkFile, type ReadFile } from "../../domain/import/checks.js";
import type { ImportProblem } from "../../domain/import/problems.js";
import * as rows from "../../domain/import/rows.js";
import { normaliseHeader, type SheetName, SHEETS } from "../../domain/import/sheets.js";
import { cellText } from "../../domain/import/values.js";
import { DomainError } from "../../domain/shared/errors.js";
import { type AppDeps, inTransaction } from "../deps.js";
import { applyDepots, applyItems, applyPeople, applyStock, blockKey, loadFacts } from "./apply.js";
import { applyNorms } from "./applyNorms.js";
import { applyRegions } from "./applyRegions.js";
import { type RawSheet, readFile, type ReadResult } from "./read.js";
import { ImportSession, type SheetSummary } from "./session.js";

export interface ImportOptions {
  commit: boolean;
  /** Which sheet a CSV holds, when its headers do not tell. */
  sheet?: string | undefined;
  onProgress?: (sheet: string, done: number, total: number) => void;
  /** The file as already read from these bytes, so a caller that looked into it does not parse it twice. */
  read?: ReadResult | undefined;
}

export interface ImportReport {
  /** True only when the whole file was written; a dry run, or a file with any problem, writes nothing. */
  committed: boolean;
  problems: ImportProblem[];
  /** Columns the sheets do not know, ignored. */
  notices: { sheet: string; ignored: string[] }[];
  sheets: SheetSummary[];
}

/** The whole report leaves the transaction this way when it must not commit: a dry run, or any problem. */
class Undo extends Error {
  constructor(readonly report: ImportReport) {
    super("import undone");
  }
}

/**
 * A 台账 workbook (or one CSV sheet) applied through the administration and stock use cases as the signed-in
 * administrator, in one outer transaction: every problem is collected, and the file is written only when asked
 * and only when it has none (all or nothing). Rows carry idempotency keys of their content, so the same file
 * again writes nothing and a longer one writes only its new rows.
 */
export async function importFile(
  deps: AppDeps,
  actor: Actor,
  bytes: Buffer,
  opts: ImportOptions,
): Promise<ImportReport> {
  const grant = actor.grants.find((g) => g.role === "COUNTY_ADMIN");
  if (!grant) throw new DomainError("FORBIDDEN", "only a county's administrator imports a 台账", null);
  const read = opts.read ?? (await readFile(bytes, { sheet: opts.sheet }));
  const notices = read.sheets
    .filter((s) => s.ignored.length > 0)
    .map((s) => ({ sheet: s.spec.zh, ignored: s.ignored }));
  let report: ImportReport;
  try {
    report = await inTransaction(deps, async (tx) => {
      const session = new ImportSession(deps, tx, actor, grant.countyId, opts.onProgress);
      const problems = [...read.problems, ...(await run(session, read.sheets))];
      const result = { committed: false, problems, notices, sheets: [...session.summaries.values()] };
      if (!opts.commit || problems.length > 0) throw new Undo(result);
      return { ...result, committed: true };
    });
  } catch (e) {
    if (!(e instanceof Undo)) throw e;
    report = e.report;
  } finally {
    // the use cases filled these through the import's transaction; what they hold may have been undone
    catalogueOf(deps.database.db).invalidate();
    regionsOf(deps.database.db).clear();
    actorCacheOf(deps.database.db).clear();
  }
  return report;
}

const READERS = {
  REGIONS: rows.readRegion,
  DEPOTS: rows.readDepot,
  PEOPLE: rows.readPerson,
  ITEMS: rows.readItem,
  NORMS: rows.readNorm,
  STOCK: rows.readStock,
} as const;

async function run(s: ImportSession, sheets: RawSheet[]): Promise<ImportProblem[]> {
  const [county] = await regions.findByKeys(s.tx, [{ countyId: s.countyId, id: s.countyId }]);
  const facts = await loadFacts(s, county!.divisionCode);
  const file = readLines(s, sheets, facts.countyCode);
  const problems = [...file.problems, ...checkFile(file.lines, facts)];
  const blocked = new Set(
    problems.map((p) => blockKey(SHEETS.find((x) => x.zh === p.sheet)?.name ?? "", p.row)),
  );
  const { lines } = file;
  const refusedRegions = await applyRegions(s, lines.regions, facts, blocked);
  const refusedPeople = await applyPeople(s, lines.people, blocked, refusedRegions);
  const refusedItems = await applyItems(s, lines.items, facts, blocked);
  const refusedDepots = await applyDepots(s, lines.depots, blocked, refusedRegions, refusedPeople);
  // norms before stock, as a county is set up: each depot's floor is in place when its first receipt lands
  await applyNorms(s, lines.norms, blocked, refusedRegions, refusedItems);
  await applyStock(s, lines.stock, blocked, refusedDepots, refusedItems);
  return [...problems, ...s.problems];
}

function readLines(s: ImportSession, sheets: RawSheet[], countyCode: string) {
  const lines: ReadFile = { regions: [], depots: [], people: [], items: [], norms: [], stock: [] };
  const problems: ImportProblem[] = [];
  const push = <K extends keyof ReadFile>(key: K, line: ReadFile[K][number]) =>
    (lines[key] as unknown[]).push(line);
  for (const sheet of sheets) {
    const name: SheetName = sheet.spec.name;
    const summary = s.summary(name, sheet.spec.zh);
    for (const raw of sheet.rows) {
      summary.read += 1;
      // the county itself is already set up (npm run admin -- init): its row is there for completeness
      if (name === "REGIONS" && isCounty(raw, countyCode)) {
        summary.unchanged += 1;
        continue;
      }
      const reader = new rows.RowReader(name, raw);
      const line = READERS[name](reader);
      problems.push(...reader.problems);
      push(KEY_OF[name], line as never);
    }
  }
  return { lines, problems };
}

const KEY_OF: Record<SheetName, keyof ReadFile> = {
  REGIONS: "regions",
  DEPOTS: "depots",
  PEOPLE: "people",
  ITEMS: "items",
  NORMS: "norms",
  STOCK: "stock",
};

const isCounty = (raw: rows.RawRow, countyCode: string) => {
  const code = cellText(raw.cells.divisionCode ?? null);
  return (
    code.padEnd(12, "0") === countyCode && normaliseHeader(cellText(raw.cells.parentCode ?? null)) === ""
  );
};
