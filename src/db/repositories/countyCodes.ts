import { eq } from "drizzle-orm";
import type { Executor } from "../client.js";
import { depots, items, regions, units, users } from "../schema/index.js";

/**
 * The codes a county already answers to, each table read once: a 台账 names its regions, depots, people, items
 * and units by code, and an import checks every reference against these before it writes.
 */
export async function codesOfCounty(db: Executor, countyId: number) {
  const [regionRows, depotRows, userRows, itemRows, unitRows] = await Promise.all([
    db
      .select({ id: regions.id, code: regions.divisionCode, level: regions.level })
      .from(regions)
      .where(eq(regions.countyId, countyId)),
    db.select({ id: depots.id, code: depots.code }).from(depots).where(eq(depots.countyId, countyId)),
    db.select({ id: users.id, username: users.username }).from(users).where(eq(users.homeCountyId, countyId)),
    db.select({ id: items.id, code: items.code, trackingMode: items.trackingMode }).from(items),
    db.select({ code: units.code, nameZh: units.nameZh }).from(units),
  ]);
  return { regionRows, depotRows, userRows, itemRows, unitRows };
}
