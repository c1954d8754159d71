import { type CalendarDate, instantOn } from "../src/domain/shared/calendar.js";
import { provisionWorld, type ProvisionedWorld } from "../src/app/setup/provisionWorld.js";
import type { AppDeps } from "../src/app/deps.js";
import { receiveStock } from "../src/app/stock/receiveStock.js";
import * as users from "../src/db/repositories/users.js";
import type { WorldSeed } from "./world.js";

/** Loads a world through the app's own use cases: structure first, then every opening balance as a receipt. */
export async function loadWorld(deps: AppDeps, seed: WorldSeed): Promise<ProvisionedWorld> {
  const world = await provisionWorld(deps, seed);
  const actors = new Map<string, Awaited<ReturnType<typeof users.loadActor>>>();
  for (const r of seed.receipts) {
    if (!actors.has(r.recordedBy))
      actors.set(r.recordedBy, await users.loadActor(deps.database.db, r.recordedBy));
    const loaded = actors.get(r.recordedBy);
    const depotId = world.depotIds.get(r.depotCode);
    const itemId = world.itemIds.get(r.itemCode);
    if (!loaded || depotId === undefined || itemId === undefined) {
      throw new Error(`seed receipt ${r.lotCode} names an unknown user, depot or item`);
    }
    await receiveStock(deps, loaded.actor, {
      depot: { countyId: world.countyId, id: depotId },
      itemId,
      quantity: r.quantity,
      lotCode: r.lotCode,
      receivedOn: r.receivedOn,
      expiresOn: r.expiresOn ?? null,
      serialNumbers: r.serialNumbers ?? null,
      source: r.source,
      reason: r.reason,
      occurredAt: instantOn(r.receivedOn as CalendarDate, "09:00:00"),
    });
  }
  return world;
}
