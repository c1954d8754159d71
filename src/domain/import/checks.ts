import type { TrackingMode } from "../catalogue/item.js";
import { childDivisionCode } from "../region/divisionCode.js";
import type { RegionLevel } from "../region/region.js";
import { isDomainError } from "../shared/errors.js";
import type { ImportProblem } from "./problems.js";
import {
  type DepotLine,
  type ItemLine,
  type NormLine,
  type PersonLine,
  problemAt,
  type RegionLine,
  type StockLine,
} from "./rows.js";
import { standardUnit } from "../catalogue/standardUnits.js";
import type { SheetName } from "./sheets.js";

/** What the county already holds, loaded before the checks: references may point at the database or the file. */
export interface CountyFacts {
  /** The county's own 12-digit division code. */
  countyCode: string;
  regions: ReadonlyMap<string, RegionLevel>;
  depots: ReadonlySet<string>;
  /** Usernames of the county's people. */
  users: ReadonlySet<string>;
  items: ReadonlyMap<string, TrackingMode>;
  /** Unit code by its code and by its Chinese name. */
  units: ReadonlyMap<string, string>;
}

/** The file's rows as read, per sheet (a sheet that is not in the file has none). */
export interface ReadFile {
  regions: RegionLine[];
  depots: DepotLine[];
  people: PersonLine[];
  items: ItemLine[];
  norms: NormLine[];
  stock: StockLine[];
}

type Problems = ImportProblem[];

function duplicates<T extends { row: number }>(
  sheet: SheetName,
  key: string,
  lines: readonly T[],
  keyOf: (line: T) => string,
  out: Problems,
): void {
  const seen = new Set<string>();
  for (const line of lines) {
    const k = keyOf(line);
    if (k !== "" && seen.has(k)) out.push(problemAt(sheet, line.row, key, k, "DUPLICATE_ROW"));
    seen.add(k);
  }
}

/** Each region's level, told by its parent: a township under the county, a village under a township. */
export function levelsOf(file: ReadFile, facts: CountyFacts): Map<string, RegionLevel> {
  const levels = new Map(facts.regions);
  for (let pass = 0; pass < 2; pass += 1) {
    for (const r of file.regions) {
      const parent = levels.get(r.parentCode);
      if (parent === "COUNTY") levels.set(r.divisionCode, "TOWNSHIP");
      if (parent === "TOWNSHIP") levels.set(r.divisionCode, "VILLAGE");
    }
  }
  return levels;
}

function checkRegions(file: ReadFile, levels: Map<string, RegionLevel>, out: Problems): void {
  duplicates("REGIONS", "divisionCode", file.regions, (r) => r.divisionCode, out);
  for (const r of file.regions) {
    const parent = levels.get(r.parentCode);
    if (r.parentCode === "" || r.divisionCode === "") continue;
    if (!parent || parent === "VILLAGE") {
      out.push(problemAt("REGIONS", r.row, "parentCode", r.parentCode, "UNKNOWN_REGION"));
      continue;
    }
    const level: RegionLevel = parent === "COUNTY" ? "TOWNSHIP" : "VILLAGE";
    try {
      childDivisionCode(level, r.parentCode, r.divisionCode);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      out.push(problemAt("REGIONS", r.row, "divisionCode", r.divisionCode, e.code));
      continue;
    }
    if (r.level && r.level !== level)
      out.push(
        problemAt(
          "REGIONS",
          r.row,
          "level",
          r.level,
          "INVALID_INPUT",
          `a region under a ${parent.toLowerCase()} is a ${level.toLowerCase()}`,
        ),
      );
    for (const n of r.neighbours)
      if (!levels.has(n.code)) out.push(problemAt("REGIONS", r.row, "neighbours", n.code, "UNKNOWN_REGION"));
  }
}

function checkPeopleAndDepots(
  file: ReadFile,
  facts: CountyFacts,
  levels: Map<string, RegionLevel>,
  out: Problems,
) {
  for (const p of file.people)
    if (p.role && p.regionCode !== "" && !levels.has(p.regionCode))
      out.push(problemAt("PEOPLE", p.row, "regionCode", p.regionCode, "UNKNOWN_REGION"));
  const users = new Set([...facts.users, ...file.people.map((p) => p.username)]);
  duplicates("DEPOTS", "code", file.depots, (d) => d.code, out);
  for (const d of file.depots) {
    if (d.regionCode !== "" && !levels.has(d.regionCode))
      out.push(problemAt("DEPOTS", d.row, "regionCode", d.regionCode, "UNKNOWN_REGION"));
    for (const k of d.keepers)
      if (!users.has(k)) out.push(problemAt("DEPOTS", d.row, "keepers", k, "UNKNOWN_USER"));
  }
}

/** The unit an item line names, by code or Chinese name; null when the catalogue has no such unit. */
export const unitOf = (facts: CountyFacts, written: string): string | null =>
  facts.units.get(written) ?? facts.units.get(written.toLowerCase()) ?? standardUnit(written)?.code ?? null;

function checkItems(file: ReadFile, facts: CountyFacts, out: Problems): void {
  duplicates("ITEMS", "code", file.items, (i) => i.code, out);
  for (const i of file.items)
    if (i.unit !== "" && unitOf(facts, i.unit) === null)
      out.push(problemAt("ITEMS", i.row, "unit", i.unit, "UNKNOWN_UNIT"));
}

/** A norm's item and region must exist (in the county or the file), and it names a region or a level, not both. */
function checkNorms(file: ReadFile, facts: CountyFacts, levels: Map<string, RegionLevel>, out: Problems) {
  const items = new Set([...facts.items.keys(), ...file.items.map((i) => i.code)]);
  duplicates("NORMS", "itemCode", file.norms, (n) => normScope(n), out);
  for (const n of file.norms) {
    if (n.itemCode !== "" && !items.has(n.itemCode))
      out.push(problemAt("NORMS", n.row, "itemCode", n.itemCode, "UNKNOWN_ITEM"));
    if ((n.regionCode === "") === (n.level === null))
      out.push(problemAt("NORMS", n.row, "regionCode", n.regionCode, "NORM_SCOPE"));
    else if (n.regionCode !== "" && !levels.has(n.regionCode))
      out.push(problemAt("NORMS", n.row, "regionCode", n.regionCode, "UNKNOWN_REGION"));
  }
}

/** What a norm is for: one item in one region, or in every region of a level; two rows may not say it twice. */
const normScope = (n: NormLine): string =>
  n.itemCode === "" ? "" : `${n.itemCode} ${n.regionCode || (n.level ?? "")}`;

function checkStock(file: ReadFile, facts: CountyFacts, out: Problems): void {
  const depots = new Set([...facts.depots, ...file.depots.map((d) => d.code)]);
  const modes = new Map(facts.items);
  for (const i of file.items) if (i.trackingMode) modes.set(i.code, i.trackingMode);
  const serials = new Set<string>();
  for (const s of file.stock) {
    if (s.depotCode !== "" && !depots.has(s.depotCode))
      out.push(problemAt("STOCK", s.row, "depotCode", s.depotCode, "UNKNOWN_DEPOT"));
    const mode = modes.get(s.itemCode);
    if (s.itemCode !== "" && !mode)
      out.push(problemAt("STOCK", s.row, "itemCode", s.itemCode, "UNKNOWN_ITEM"));
    const serialised = mode === "SERIAL";
    if (s.quantity !== null && mode && serialised !== s.serialNumbers.length > 0) {
      out.push(
        problemAt(
          "STOCK",
          s.row,
          "serialNumbers",
          s.serialNumbers.join("、"),
          "SERIAL_COUNT",
          serialised ? undefined : "only a serialised item takes serial numbers",
        ),
      );
    } else if (serialised && s.quantity !== null && String(s.serialNumbers.length) !== s.quantity) {
      out.push(
        problemAt("STOCK", s.row, "serialNumbers", s.serialNumbers.join("、"), "SERIAL_COUNT", undefined),
      );
    }
    for (const sn of s.serialNumbers) {
      const k = `${s.itemCode}\u0000${sn}`;
      if (serials.has(k)) out.push(problemAt("STOCK", s.row, "serialNumbers", sn, "DUPLICATE_SERIAL"));
      serials.add(k);
    }
  }
}

/** Every problem the file shows before anything is applied: references, codes, duplicates, serial numbers. */
export function checkFile(file: ReadFile, facts: CountyFacts): ImportProblem[] {
  const out: Problems = [];
  const levels = levelsOf(file, facts);
  checkRegions(file, levels, out);
  checkPeopleAndDepots(file, facts, levels, out);
  checkItems(file, facts, out);
  checkNorms(file, facts, levels, out);
  checkStock(file, facts, out);
  return out;
}
