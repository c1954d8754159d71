import * as codes from "../../db/repositories/countyCodes.js";
import { type CountyFacts, levelsOf, type ReadFile, unitOf } from "../../domain/import/checks.js";
import type { DepotLine, ItemLine, PersonLine, RegionLine, StockLine } from "../../domain/import/rows.js";
import { type CalendarDate, instantOn } from "../../domain/shared/calendar.js";
import { createItem, createUnit } from "../admin/catalogue.js";
import { standardUnit } from "../../domain/catalogue/standardUnits.js";
import { createDepot } from "../admin/depots.js";
import { grantRole } from "../admin/grants.js";
import { assignKeeper } from "../admin/keepers.js";
import { createUser } from "../admin/people.js";
import { createRegion, setMutualAid } from "../admin/places.js";
import { receiveStock } from "../stock/receiveStock.js";
import type { ImportSession } from "./session.js";

/** Ids by code, as the county stands now inside the import's transaction. */
export async function idsOf(s: ImportSession) {
  const found = await codes.codesOfCounty(s.tx, s.countyId);
  return {
    regions: new Map(found.regionRows.map((r) => [r.code, r.id])),
    depots: new Map(found.depotRows.map((d) => [d.code, d.id])),
    users: new Map(found.userRows.map((u) => [u.username, u.id])),
    items: new Map(found.itemRows.map((i) => [i.code, i.id])),
  };
}

export async function loadFacts(s: ImportSession, countyCode: string): Promise<CountyFacts> {
  const found = await codes.codesOfCounty(s.tx, s.countyId);
  const units = new Map<string, string>();
  for (const u of found.unitRows) {
    units.set(u.code, u.code);
    units.set(u.code.toLowerCase(), u.code);
    units.set(u.nameZh, u.code);
  }
  return {
    countyCode,
    regions: new Map(found.regionRows.map((r) => [r.code, r.level])),
    depots: new Set(found.depotRows.map((d) => d.code)),
    users: new Set(found.userRows.map((u) => u.username)),
    items: new Map(found.itemRows.map((i) => [i.code, i.trackingMode])),
    units,
  };
}

/** Rows of each sheet that may not be applied: their own problems, or a refused row they depend on. */
export type Blocked = Set<string>;
export const blockKey = (sheet: string, row: number) => `${sheet}:${row}`;

/** Townships before villages, so every parent exists when its child is created. */
export async function applyRegions(
  s: ImportSession,
  lines: RegionLine[],
  facts: CountyFacts,
  blocked: Blocked,
) {
  const levels = levelsOf({ regions: lines } as ReadFile, facts);
  const ordered = [...lines].sort(
    (a, b) =>
      (levels.get(a.divisionCode) === "TOWNSHIP" ? 0 : 1) -
      (levels.get(b.divisionCode) === "TOWNSHIP" ? 0 : 1),
  );
  const refused = new Set<string>();
  for (const [done, r] of ordered.entries()) {
    s.progress("区划", done, lines.length * 2);
    const ids = await idsOf(s);
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
    if (!done1) refused.add(r.divisionCode);
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

/** One person per username (their first row), and a grant for every row that names a role. */
export async function applyPeople(
  s: ImportSession,
  lines: PersonLine[],
  blocked: Blocked,
  refusedRegions: Set<string>,
) {
  const refused = new Set<string>();
  for (const [done, p] of lines.entries()) {
    s.progress("人员", done, lines.length);
    if (blocked.has(blockKey("PEOPLE", p.row)) || refusedRegions.has(p.regionCode)) {
      refused.add(p.username);
      s.count("PEOPLE", blocked.has(blockKey("PEOPLE", p.row)) ? "refused" : "skipped");
      continue;
    }
    const first = lines.find((l) => l.username === p.username)!;
    let outcome: "created" | "unchanged" | null = "unchanged";
    if (first === p) {
      const content = {
        username: p.username,
        displayName: p.displayName,
        organisation: p.organisation,
        phone: p.phone,
      };
      const made = await s.attempt("PEOPLE", p.row, "username", p.username, () =>
        createUser(
          s.deps,
          s.actor,
          { countyId: s.countyId, ...content, idempotencyKey: s.keyOf("PEOPLE", "user", content) },
          { passwordless: true },
        ),
      );
      outcome = made?.outcome ?? null;
    }
    if (outcome && p.role) outcome = await grant(s, p, outcome);
    if (!outcome) refused.add(p.username);
    s.count("PEOPLE", outcome ?? "refused");
  }
  return refused;
}

async function grant(s: ImportSession, p: PersonLine, so: "created" | "unchanged") {
  const ids = await idsOf(s);
  const userId = ids.users.get(p.username);
  const regionId = ids.regions.get(p.regionCode);
  if (userId === undefined || regionId === undefined || !p.role) return null;
  const role = p.role;
  const done = await s.attempt("PEOPLE", p.row, "role", p.role, () =>
    grantRole(s.deps, s.actor, {
      userId,
      role,
      region: { countyId: s.countyId, id: regionId },
      idempotencyKey: s.keyOf("PEOPLE", "grant", { u: p.username, role, r: p.regionCode }),
    }),
  );
  return done ? (done.outcome === "created" ? "created" : so) : null;
}

/** Items new to the catalogue; one the catalogue already has (it is shared by every county) is left as it is. */
export async function applyItems(s: ImportSession, lines: ItemLine[], facts: CountyFacts, blocked: Blocked) {
  const refused = new Set<string>();
  for (const [done, i] of lines.entries()) {
    s.progress("物资目录", done, lines.length);
    if (blocked.has(blockKey("ITEMS", i.row)) || !i.category || !i.trackingMode) {
      refused.add(i.code);
      s.count("ITEMS", "refused");
      continue;
    }
    if (facts.items.has(i.code)) {
      s.count("ITEMS", "unchanged");
      continue;
    }
    const { row: _row, unit, ...rest } = i;
    if (!(await ensureUnit(s, i, facts))) {
      refused.add(i.code);
      s.count("ITEMS", "refused");
      continue;
    }
    const input = {
      ...rest,
      category: i.category,
      trackingMode: i.trackingMode,
      unitCode: unitOf(facts, unit)!,
      countyId: s.countyId,
    };
    const made = await s.attempt("ITEMS", i.row, "code", i.code, () =>
      createItem(s.deps, s.actor, { ...input, idempotencyKey: s.keyOf("ITEMS", "item", input) }),
    );
    if (!made) refused.add(i.code);
    s.count("ITEMS", made?.outcome ?? "refused");
  }
  return refused;
}

/** A standard unit the catalogue lacks is created once, before the first item counted in it. */
async function ensureUnit(s: ImportSession, i: ItemLine, facts: CountyFacts): Promise<boolean> {
  const known = facts.units.get(i.unit) ?? facts.units.get(i.unit.toLowerCase());
  const standard = standardUnit(i.unit);
  if (known || !standard) return true;
  const made = await s.attempt("ITEMS", i.row, "unit", i.unit, () =>
    createUnit(s.deps, s.actor, {
      ...standard,
      countyId: s.countyId,
      idempotencyKey: s.keyOf("ITEMS", "unit", standard),
    }),
  );
  if (made)
    (facts.units as Map<string, string>)
      .set(standard.code, standard.code)
      .set(standard.nameZh, standard.code);
  return made !== null;
}

export async function applyDepots(
  s: ImportSession,
  lines: DepotLine[],
  blocked: Blocked,
  refusedRegions: Set<string>,
  refusedPeople: Set<string>,
) {
  const refused = new Set<string>();
  for (const [done, d] of lines.entries()) {
    s.progress("储备点", done, lines.length);
    const ids = await idsOf(s);
    const regionId = ids.regions.get(d.regionCode);
    const own = blocked.has(blockKey("DEPOTS", d.row));
    if (
      own ||
      !d.kind ||
      regionId === undefined ||
      refusedRegions.has(d.regionCode) ||
      d.keepers.some((k) => refusedPeople.has(k))
    ) {
      refused.add(d.code);
      s.count("DEPOTS", own ? "refused" : "skipped");
      continue;
    }
    const { row: _row, keepers, regionCode: _r, ...rest } = d;
    const input = { ...rest, kind: d.kind, region: { countyId: s.countyId, id: regionId } };
    const made = await s.attempt("DEPOTS", d.row, "code", d.code, () =>
      createDepot(s.deps, s.actor, {
        ...input,
        idempotencyKey: s.keyOf("DEPOTS", "depot", { ...d, row: 0 }),
      }),
    );
    let outcome = made?.outcome ?? null;
    const depotId = made?.value.id;
    for (const k of depotId === undefined ? [] : keepers) {
      const userId = ids.users.get(k)!;
      const kept = await s.attempt("DEPOTS", d.row, "keepers", k, () =>
        assignKeeper(s.deps, s.actor, {
          depot: { countyId: s.countyId, id: depotId! },
          userId,
          idempotencyKey: s.keyOf("DEPOTS", "keeper", { depot: d.code, k }),
        }),
      );
      if (!kept) outcome = null;
      else if (kept.outcome === "created") outcome = "created";
    }
    if (!outcome) refused.add(d.code);
    s.count("DEPOTS", outcome ?? "refused");
  }
  return refused;
}

/** Reason written on every opening-balance line, so the ledger says where the figure came from. */
export const OPENING_REASON = "期初库存（台账导入）";

export async function applyStock(
  s: ImportSession,
  lines: StockLine[],
  blocked: Blocked,
  refusedDepots: Set<string>,
  refusedItems: Set<string>,
) {
  const ids = await idsOf(s);
  for (const [done, l] of lines.entries()) {
    s.progress("库存", done, lines.length);
    if ((done + 1) % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
    const depotId = ids.depots.get(l.depotCode);
    const itemId = ids.items.get(l.itemCode);
    const own = blocked.has(blockKey("STOCK", l.row));
    if (
      own ||
      refusedDepots.has(l.depotCode) ||
      refusedItems.has(l.itemCode) ||
      depotId === undefined ||
      itemId === undefined ||
      !l.quantity ||
      !l.receivedOn
    ) {
      s.count("STOCK", own ? "refused" : "skipped");
      continue;
    }
    const { row: _row, ...content } = l;
    const input = {
      depot: { countyId: s.countyId, id: depotId },
      itemId,
      quantity: l.quantity,
      lotCode: l.lotCode,
      receivedOn: l.receivedOn,
      expiresOn: l.expiresOn,
      serialNumbers: l.serialNumbers.length > 0 ? l.serialNumbers : null,
      source: "OPENING_BALANCE" as const,
      reason: OPENING_REASON,
      occurredAt: instantOn(l.receivedOn as CalendarDate),
      acceptExpired: true,
      arrivesAs: l.condition,
      openingBooks: true,
      idempotencyKey: s.keyOf("STOCK", "receipt", content),
    };
    const made = await s.attempt("STOCK", l.row, "quantity", l.quantity, () =>
      receiveStock(s.deps, s.actor, input),
    );
    s.count("STOCK", made?.outcome ?? "refused");
  }
}
