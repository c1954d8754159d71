import { type CountyFacts, levelsOf, type ReadFile } from "../../domain/import/checks.js";
import type { RegionLine } from "../../domain/import/rows.js";
import { createRegion, setMutualAid } from "../admin/places.js";
import { type Blocked, blockKey, idsOf } from "./apply.js";
import type { ImportSession } from "./session.js";

/**
 * Every parent before its children, otherwise in the file's order: a township written above its villages keeps
 * its place, so ids follow the file as a person reads it.
 */
function parentsFirst(lines: RegionLine[], facts: CountyFacts): RegionLine[] {
  const levels = levelsOf({ regions: lines } as ReadFile, facts);
  const placed = new Set(facts.regions.keys());
  const ordered: RegionLine[] = [];
  let waiting = lines;
  while (waiting.length > 0) {
    const later: RegionLine[] = [];
    for (const r of waiting) {
      if (placed.has(r.parentCode) || !levels.has(r.parentCode)) {
        ordered.push(r);
        placed.add(r.divisionCode);
      } else later.push(r);
    }
    // a row whose parent never comes keeps its place: applying it refuses it
    if (later.length === waiting.length) return [...ordered, ...later];
    waiting = later;
  }
  return ordered;
}

/** Parents before children, so every parent exists when its child is created. */
export async function applyRegions(
  s: ImportSession,
  lines: RegionLine[],
  facts: CountyFacts,
  blocked: Blocked,
) {
  const ordered = parentsFirst(lines, facts);
  const refused = new Set<string>();
  // read once, then kept up to date: each region created is the parent the next rows may name
  const ids = await idsOf(s);
  for (const [done, r] of ordered.entries()) {
    s.progress("区划", done, lines.length * 2);
    const parentId = ids.regions.get(r.parentCode);
    if (blocked.has(blockKey("REGIONS", r.row)) || refused.has(r.parentCode) || parentId === undefined) {
      refused.add(r.divisionCode);
      s.count("REGIONS", blocked.has(blockKey("REGIONS", r.row)) ? "refused" : "skipped");
      continue;
    }
    const { row: _row, neighbours: _n, ...content } = r;
    const input = {
      parent: { countyId: s.countyId, id: parentId },
      divisionCode: r.divisionCode,
      nameZh: r.nameZh,
      nameEn: r.nameEn,
      population: r.population,
    };
    const done1 = await s.attempt("REGIONS", r.row, "divisionCode", r.divisionCode, () =>
      createRegion(s.deps, s.actor, { ...input, idempotencyKey: s.keyOf("REGIONS", "region", content) }),
    );
    if (done1) ids.regions.set(r.divisionCode, done1.value.id);
    else refused.add(r.divisionCode);
    s.count("REGIONS", done1?.outcome ?? "refused");
  }
  await applyMutualAid(s, lines, refused);
  return refused;
}

async function applyMutualAid(s: ImportSession, lines: RegionLine[], refused: Set<string>) {
  const ids = await idsOf(s);
  const linked = new Set<string>();
  for (const [done, r] of lines.entries()) {
    s.progress("区划", lines.length + done, lines.length * 2);
    for (const n of r.neighbours) {
      const pair = [r.divisionCode, n.code].sort().join("-");
      const a = ids.regions.get(r.divisionCode);
      const b = ids.regions.get(n.code);
      if (linked.has(pair) || refused.has(r.divisionCode) || a === undefined || b === undefined) continue;
      linked.add(pair);
      await s.attempt("REGIONS", r.row, "neighbours", n.code, () =>
        setMutualAid(s.deps, s.actor, {
          region: { countyId: s.countyId, id: a },
          neighbour: { countyId: s.countyId, id: b },
          travelMinutes: n.travelMinutes ?? 0,
          idempotencyKey: s.keyOf("REGIONS", "mutualAid", { pair, minutes: n.travelMinutes }),
        }),
      );
    }
  }
}
