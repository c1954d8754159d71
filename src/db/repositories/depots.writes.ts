import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import type { DepotRow } from "./depots.js";
import { depots, regionPaths, regions } from "../schema/index.js";
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

/** A depot, the level of its region and the region's ancestors, in one statement (every stock command asks it). */
export async function findPlaced(db: Executor, key: CountyKey): Promise<PlacedDepot | null> {
  const [row] = await db
    .select({
      depot: depots,
      regionLevel: regions.level,
      lineage: sql<
        string | null
      >`(select string_agg(${regionPaths.ancestorId}::text, ',' order by ${regionPaths.depth})
        from ${regionPaths}
        where ${regionPaths.countyId} = ${depots.countyId} and ${regionPaths.descendantId} = ${depots.regionId})`,
    })
    .from(depots)
    .innerJoin(regions, and(eq(regions.countyId, depots.countyId), eq(regions.id, depots.regionId)))
    .where(inKeys(depots.countyId, depots.id, [key]))
    // a stock command holds its depot until it commits, so a closing cannot slip in between (lockForClosing)
    .for("key share", { of: depots });
  if (!row) return null;
  return {
    depot: row.depot,
    regionLevel: row.regionLevel,
    lineage: (row.lineage ?? String(row.depot.regionId)).split(",").map(Number),
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
