import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "../client.js";
import { type CountyKey, inKeys } from "../keys.js";
import { depotInScope } from "./scope.js";
import { depots, lots, movements, writeOffRequests } from "../schema/index.js";
import type { ReadScope } from "../../domain/custody/policy.js";
import { type CalendarDate, SERVICE_TIME_ZONE } from "../../domain/shared/calendar.js";
import { type Quantity, ZERO } from "../../domain/shared/quantity.js";

export type WriteOffRequestRow = typeof writeOffRequests.$inferSelect;

/**
 * What one person wrote off from one lot on one calendar day (Asia/Shanghai) without a second person: the lines
 * they recorded that day that no confirmed request stands behind.
 */
export async function writtenOffAlone(
  db: Executor,
  lot: CountyKey,
  actorId: number,
  day: CalendarDate,
): Promise<Quantity> {
  const [row] = await db
    .select({ total: sql<Quantity>`coalesce(sum(-${movements.quantity}), 0)`.mapWith(movements.quantity) })
    .from(movements)
    .where(
      and(
        eq(movements.countyId, lot.countyId),
        eq(movements.lotId, lot.id),
        eq(movements.actorId, actorId),
        eq(movements.kind, "WRITE_OFF"),
        sql`(${movements.recordedAt} at time zone ${SERVICE_TIME_ZONE})::date = ${day}::date`,
        sql`not exists (select 1 from ${writeOffRequests} w
              where w.county_id = ${movements.countyId} and w.movement_id = ${movements.id})`,
      ),
    );
  return row ? row.total : ZERO;
}

export async function findVisible(
  db: Executor,
  scope: ReadScope,
  keys: readonly CountyKey[],
): Promise<WriteOffRequestRow[]> {
  const rows = await db
    .select({ request: writeOffRequests })
    .from(writeOffRequests)
    .innerJoin(lots, and(eq(lots.countyId, writeOffRequests.countyId), eq(lots.id, writeOffRequests.lotId)))
    .innerJoin(depots, and(eq(depots.countyId, lots.countyId), eq(depots.id, lots.depotId)))
    .where(and(inKeys(writeOffRequests.countyId, writeOffRequests.id, keys), depotInScope(scope, depots)));
  return rows.map((r) => r.request);
}
