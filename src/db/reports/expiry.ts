import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import type { CountyKey } from "../keys.js";
import type { DepotRow } from "../repositories/depots.js";
import { inRotationWindow, lotExpiresWithin, lotUnallocated } from "../repositories/lotPredicates.js";
import type { LotRow } from "../repositories/lots.js";
import { depotInScope, inSubtrees } from "../repositories/scope.js";
import { depots, items, lots } from "../schema/index.js";
import type { ReadScope } from "../../domain/custody/policy.js";
import type { CalendarDate } from "../../domain/shared/calendar.js";

const inSubtree = (region: CountyKey): SQL => inSubtrees(depots, [region]);

/** Keyset position in (expiry, id) order. */
export interface ExpiryCursor {
  expiresOn: string;
  id: number;
}

/** Which lots `expiringLots` lists (lots joined to depots): in scope and subtree, expiring in the window, after the cursor. */
export function expiringWhere(
  scope: ReadScope,
  region: CountyKey,
  asOf: CalendarDate,
  within: number,
  after: ExpiryCursor | null,
): SQL | undefined {
  return and(
    depotInScope(scope, depots),
    inSubtree(region),
    lotExpiresWithin("lots", asOf, within),
    sql`${lots.onHand} > 0`,
    after
      ? sql`(${lots.expiresOn}, ${lots.id}) > (${after.expiresOn}::date, ${after.id}::bigint)`
      : undefined,
  );
}

/** Serviceable lots of the region's subtree that expire from `asOf` to `asOf + within`, earliest first. */
export async function expiringLots(
  db: Executor,
  scope: ReadScope,
  region: CountyKey,
  asOf: CalendarDate,
  within: number,
  page: { first: number; after: ExpiryCursor | null },
): Promise<{ rows: { lot: LotRow; depot: DepotRow }[]; hasNextPage: boolean }> {
  // the depot is joined for custody anyway; handing it back saves the page a second statement for its depots
  const rows = await db
    .select({ lot: lots, depot: depots })
    .from(lots)
    .innerJoin(depots, and(eq(depots.countyId, lots.countyId), eq(depots.id, lots.depotId)))
    .where(expiringWhere(scope, region, asOf, within, page.after))
    .orderBy(asc(lots.expiresOn), asc(lots.id))
    .limit(page.first + 1);
  return { rows: rows.slice(0, page.first), hasNextPage: rows.length > page.first };
}

export interface RotationCandidate {
  lot: LotRow;
  regionId: number;
}

/**
 * Lots of the subtree inside their item's rotation window on `asOf` (from `rotation_lead_days` before expiry to
 * expiry), serviceable and with unallocated stock: rotation never takes what a requisition holds.
 */
export async function rotationCandidates(
  db: Executor,
  scope: ReadScope,
  region: CountyKey,
  asOf: CalendarDate,
): Promise<RotationCandidate[]> {
  const rows = await db
    .select({ lot: lots, regionId: depots.regionId })
    .from(lots)
    .innerJoin(depots, and(eq(depots.countyId, lots.countyId), eq(depots.id, lots.depotId)))
    .innerJoin(items, eq(items.id, lots.itemId))
    .where(
      and(
        depotInScope(scope, depots),
        inSubtree(region),
        inRotationWindow("lots", "items", asOf),
        sql`${lotUnallocated("lots")} > 0`,
      ),
    )
    .orderBy(asc(lots.expiresOn), asc(lots.id));
  return rows;
}
