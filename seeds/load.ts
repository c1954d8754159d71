import { type CalendarDate, instantOn } from "../src/domain/shared/calendar.js";
import { provisionWorld, type ProvisionedWorld } from "../src/app/setup/provisionWorld.js";
import type { AppDeps } from "../src/app/deps.js";
import { receiveStock } from "../src/app/stock/receiveStock.js";
import * as users from "../src/db/repositories/users.js";
import type { WorldSeed } from "./world.js";

type Receipt = WorldSeed["receipts"][number];

/** Where a world's receipts go: its county and the ids of its depots and items by code. */
type Placement = Pick<ProvisionedWorld, "countyId" | "depotIds" | "itemIds">;

/** Each receipt under its own idempotency key: a load run again replays what is on the books. */
const receiptKey = (index: number) => `seed-receipt:${index}`;

/**
 * Loads a test's world through the app's own use cases: structure first, then every receipt. The demo county loads
 * through the 台账 importer instead (seeds/demo.ts).
 */
export async function loadWorld(deps: AppDeps, seed: WorldSeed): Promise<ProvisionedWorld> {
  const world = await provisionWorld(deps, seed);
  await receiveAll(deps, seed.receipts, world);
  return world;
}

async function receiveAll(deps: AppDeps, receipts: readonly Receipt[], world: Placement): Promise<void> {
  const actors = new Map<string, Awaited<ReturnType<typeof users.loadActor>>>();
  for (const [index, r] of receipts.entries()) {
    if (!actors.has(r.recordedBy))
      actors.set(r.recordedBy, await users.loadActor(deps.database.db, r.recordedBy));
    const loaded = actors.get(r.recordedBy);
    const depotId = world.depotIds.get(r.depotCode);
    const itemId = world.itemIds.get(r.itemCode);
    if (!loaded || depotId === undefined || itemId === undefined) {
      throw new Error(`seed receipt ${r.lotCode} names an unknown user, depot or item`);
    }
    await receiveStock(deps, loaded.actor, {
      idempotencyKey: receiptKey(index),
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
    if ((index + 1) % PROGRESS_EVERY === 0)
      deps.logger.info({ done: index + 1, of: receipts.length }, "seeding");
    // embedded PGlite answers from this thread without yielding: without a turn of the event loop, /readyz and
    // /healthz would hang for the whole load instead of answering "starting"
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const PROGRESS_EVERY = 50;
