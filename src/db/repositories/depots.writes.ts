import type { Executor } from "../client.js";
import { type CountyKey, inKeys, rowsOf } from "../keys.js";
import { runStatement, TableRows } from "../statements.js";
import type { DepotRow } from "./depots.js";
import { depots } from "../schema/index.js";
import type { RegionLevel } from "../../domain/region/region.js";

export type NewDepot = Omit<typeof depots.$inferInsert, "id" | "createdAt">;

export async function insert(db: Executor, depot: NewDepot): Promise<DepotRow> {
  const [row] = await db.insert(depots).values(depot).returning();
  return row!;
}

export type DepotPatch = Partial<
  Pick<
    DepotRow,
    "nameZh" | "nameEn" | "address" | "custodianOrg" | "latitude" | "longitude" | "callUpLeadHours" | "kind"
  >
>;

export async function update(db: Executor, key: CountyKey, patch: DepotPatch): Promise<DepotRow> {
  const [row] = await db
    .update(depots)
    .set(patch)
    .where(inKeys(depots.countyId, depots.id, [key]))
    .returning();
  return row!;
}

export async function close(db: Executor, key: CountyKey, at: Date, reason: string): Promise<DepotRow> {
  const [row] = await db
    .update(depots)
    .set({ closedAt: at, closedReason: reason })
    .where(inKeys(depots.countyId, depots.id, [key]))
    .returning();
  return row!;
}

/** A depot with where it stands: what custody decides on. */
export interface PlacedDepot {
  depot: DepotRow;
  regionLevel: RegionLevel;
  /** The depot's region and its ancestors, nearest first. */
  lineage: number[];
}

const depotRows = new TableRows(depots);
// written once: every stock command asks it ("a stock command holds its depot until it commits, so a closing cannot
// slip in between": KEY SHARE, see lockForClosing)
const PLACED = `select ${depotRows.list("d")}, r.level as region_level,
       (select string_agg(p.ancestor_id::text, ',' order by p.depth) from region_paths p
         where p.county_id = d.county_id and p.descendant_id = d.region_id) as lineage
  from depots d join regions r on r.county_id = d.county_id and r.id = d.region_id
 where d.county_id = $1 and d.id = $2
   for key share of d`;

/** A depot, the level of its region and the region's ancestors, in one statement (every stock command asks it). */
export async function findPlaced(db: Executor, key: CountyKey): Promise<PlacedDepot | null> {
  const [row] = rowsOf<Record<string, unknown>>(await runStatement(db, PLACED, [key.countyId, key.id]));
  if (!row) return null;
  const depot = depotRows.decode(row);
  return {
    depot,
    regionLevel: row.region_level as PlacedDepot["regionLevel"],
    lineage: ((row.lineage as string | null) ?? String(depot.regionId)).split(",").map(Number),
  };
}

/**
 * Serialises commands about one depot as a whole (opening a stock-take, changing the depot or its keepers). NO KEY
 * UPDATE, so stock commands, which hold the depot row in KEY SHARE (findPlaced), are not held up by it.
 */
export async function lock(db: Executor, key: CountyKey): Promise<DepotRow | null> {
  const [row] = await db
    .select()
    .from(depots)
    .where(inKeys(depots.countyId, depots.id, [key]))
    .for("no key update");
  return row ?? null;
}

/**
 * The lock a closing takes: FOR UPDATE waits for every stock command holding the row in KEY SHARE to finish, and
 * every stock command after it waits for the closing and then sees the depot closed.
 */
export async function lockForClosing(db: Executor, key: CountyKey): Promise<DepotRow | null> {
  const [row] = await db
    .select()
    .from(depots)
    .where(inKeys(depots.countyId, depots.id, [key]))
    .for("update");
  return row ?? null;
}
