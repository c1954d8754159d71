import { and, asc, eq, gte, type SQL } from "drizzle-orm";
import type { Executor } from "../client.js";
import type { CountyKey } from "../keys.js";
import { type MovementRow, movementWhere } from "../repositories/movements.js";
import { inSubtrees, sameDepot } from "../repositories/scope.js";
import { depots, emergencies, items, lots, movements, units, users } from "../schema/index.js";
import type { ReadScope } from "../../domain/custody/policy.js";

/** What an export needs of the ledger line's depot or region: one of them. */
export type ExportPlace = { depot: CountyKey } | { region: CountyKey };

export const placeFilter = (place: ExportPlace): SQL =>
  "depot" in place
    ? and(eq(depots.countyId, place.depot.countyId), eq(depots.id, place.depot.id))!
    : inSubtrees(depots, [place.region]);

/** A ledger line with the names a person reads beside it: depot, lot, item, unit and actor. */
export interface LedgerExportLine {
  m: MovementRow;
  depotCode: string;
  depotNameZh: string;
  depotNameEn: string;
  lotCode: string;
  serialNumber: string | null;
  itemCode: string;
  itemNameZh: string;
  itemNameEn: string;
  unitNameZh: string;
  unitNameEn: string;
  unitScale: number;
  actorUsername: string;
  actorDisplayName: string;
  /** The county's number of the emergency the line went out under (先处置后补手续); null for ordinary lines. */
  emergencyNumber: number | null;
}

const LEDGER_EXPORT_SELECT = {
  m: movements,
  depotCode: depots.code,
  depotNameZh: depots.nameZh,
  depotNameEn: depots.nameEn,
  lotCode: lots.lotCode,
  serialNumber: lots.serialNumber,
  itemCode: items.code,
  itemNameZh: items.nameZh,
  itemNameEn: items.nameEn,
  unitNameZh: units.nameZh,
  unitNameEn: units.nameEn,
  unitScale: units.scale,
  actorUsername: users.username,
  actorDisplayName: users.displayName,
  emergencyNumber: emergencies.number,
};

/**
 * The ledger of a depot or of a region's subtree, in recording order, a keyset-paged batch at a time with every
 * name joined in: memory stays bounded by the batch however long the ledger, and a batch is one statement.
 */
export async function* streamLedgerExport(
  db: Executor,
  scope: ReadScope,
  place: ExportPlace,
  period: { from?: Date | undefined; to?: Date | undefined },
  batchSize = 2000,
): AsyncGenerator<LedgerExportLine[]> {
  let afterId = 0;
  for (;;) {
    const rows = await db
      .select(LEDGER_EXPORT_SELECT)
      .from(movements)
      .innerJoin(depots, sameDepot(movements))
      .innerJoin(lots, and(eq(lots.countyId, movements.countyId), eq(lots.id, movements.lotId)))
      .innerJoin(items, eq(items.id, movements.itemId))
      .innerJoin(units, eq(units.code, items.unitCode))
      .innerJoin(users, eq(users.id, movements.actorId))
      .leftJoin(
        emergencies,
        and(eq(emergencies.countyId, movements.countyId), eq(emergencies.id, movements.emergencyId)),
      )
      .where(
        and(
          movementWhere(scope, { from: period.from, to: period.to }),
          placeFilter(place),
          gte(movements.id, afterId + 1),
        ),
      )
      .orderBy(asc(movements.id))
      .limit(batchSize);
    if (rows.length === 0) return;
    yield rows;
    afterId = rows[rows.length - 1]!.m.id;
    if (rows.length < batchSize) return;
  }
}
