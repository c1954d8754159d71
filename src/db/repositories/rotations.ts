import { and, asc, eq, gt } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import { type Page, type PageRequest, toPage } from "./page.js";
import { depotInScope } from "./scope.js";
import { depots, rotations } from "../schema/index.js";
import type { ReadScope } from "../../domain/custody/policy.js";

export type RotationRow = typeof rotations.$inferSelect;

export interface RotationFilter {
  status?: RotationRow["status"] | undefined;
  depot?: CountyKey | undefined;
}

export async function list(
  db: Executor,
  scope: ReadScope,
  filter: RotationFilter,
  page: PageRequest,
): Promise<Page<RotationRow>> {
  const rows = await db
    .select({ r: rotations })
    .from(rotations)
    .innerJoin(depots, and(eq(depots.countyId, rotations.countyId), eq(depots.id, rotations.depotId)))
    .where(
      and(
        depotInScope(scope, depots),
        filter.status ? eq(rotations.status, filter.status) : undefined,
        filter.depot
          ? and(eq(rotations.countyId, filter.depot.countyId), eq(rotations.depotId, filter.depot.id))
          : undefined,
        page.afterId !== null ? gt(rotations.id, page.afterId) : undefined,
      ),
    )
    .orderBy(asc(rotations.id))
    .limit(page.first + 1);
  return toPage(
    rows.map((r) => r.r),
    page.first,
  );
}

export async function findVisible(
  db: Executor,
  scope: ReadScope,
  keys: readonly CountyKey[],
): Promise<RotationRow[]> {
  const rows = await db
    .select({ r: rotations })
    .from(rotations)
    .innerJoin(depots, and(eq(depots.countyId, rotations.countyId), eq(depots.id, rotations.depotId)))
    .where(and(inKeys(rotations.countyId, rotations.id, keys), depotInScope(scope, depots)));
  return rows.map((r) => r.r);
}
