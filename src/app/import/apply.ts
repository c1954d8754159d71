import * as codes from "../../db/repositories/countyCodes.js";
import { type CountyFacts, unitOf } from "../../domain/import/checks.js";
import type { DepotLine, ItemLine, PersonLine, StockLine } from "../../domain/import/rows.js";
import { type CalendarDate, instantOn } from "../../domain/shared/calendar.js";
import { createItem, createUnit } from "../admin/catalogue.js";
import { standardUnit } from "../../domain/catalogue/standardUnits.js";
import { createDepot } from "../admin/depots.js";
import { grantRole } from "../admin/grants.js";
import { assignKeeper } from "../admin/keepers.js";
import { createUser } from "../admin/people.js";
import { receiveStock } from "../stock/receiveStock.js";
import type { ImportSession } from "./session.js";

export type Ids = Awaited<ReturnType<typeof idsOf>>;

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

/** One person per username (their first row), and a grant for every row that names a role. */
export async function applyPeople(
  s: ImportSession,
  lines: PersonLine[],
  blocked: Blocked,
  refusedRegions: Set<string>,
) {
  const refused = new Set<string>();
  const ids = await idsOf(s);
  for (const [done, p] of lines.entries()) {
    s.progress("人员", done, lines.length);
    if (blocked.has(blockKey("PEOPLE", p.row)) || refusedRegions.has(p.regionCode)) {
      refused.add(p.username);
      s.count("PEOPLE", blocked.has(blockKey("PEOPLE", p.row)) ? "refused" : "skipped");
      continue;
    }
    const first = lines.find((l) => l.username === p.username)!;
    let outcome: "created" | "unchanged" | null = "unchanged";
    // the administrator importing is set up already (npm run admin -- init): their own row is there for completeness
    const self = p.username === s.actor.username;
    if (first === p && !self) {
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
      if (made) ids.users.set(p.username, made.value.user.id);
    }
    if (outcome && p.role && !(self && holdsGrant(s, p, ids))) outcome = await grant(s, p, outcome, ids);
    if (!outcome) refused.add(p.username);
    s.count("PEOPLE", outcome ?? "refused");
  }
  return refused;
}

/** Whether the importing administrator already holds the grant their own row names. */
function holdsGrant(s: ImportSession, p: PersonLine, ids: Ids): boolean {
  const regionId = ids.regions.get(p.regionCode);
  return s.actor.grants.some(
    (g) => g.role === p.role && g.countyId === s.countyId && g.regionId === regionId,
  );
}

async function grant(s: ImportSession, p: PersonLine, so: "created" | "unchanged", ids: Ids) {
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
  // regions and people are all in place before the first depot
  const ids = await idsOf(s);
  for (const [done, d] of lines.entries()) {
    s.progress("储备点", done, lines.length);
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
