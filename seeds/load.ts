import { type CalendarDate, instantOn } from "../src/domain/shared/calendar.js";
import { provisionWorld, type ProvisionedWorld } from "../src/app/setup/provisionWorld.js";
import type { AppDeps } from "../src/app/deps.js";
import { receiveStock } from "../src/app/stock/receiveStock.js";
import * as catalogue from "../src/db/repositories/catalogue.js";
import * as depots from "../src/db/repositories/depots.js";
import * as idempotencyKeys from "../src/db/repositories/idempotencyKeys.js";
import * as users from "../src/db/repositories/users.js";
import type { WorldSeed } from "./world.js";

type Receipt = WorldSeed["receipts"][number];

/** Where a world's receipts go: its county and the ids of its depots and items by code. */
type Placement = Pick<ProvisionedWorld, "countyId" | "depotIds" | "itemIds">;

/**
 * Each opening balance is received under its own idempotency key, so a load cut short (the process killed during a
 * first start) is finished by running it again: receipts already on the books replay and write nothing.
 */
const receiptKey = (index: number) => `seed-receipt:${index}`;

/** Loads a world through the app's own use cases: structure first, then every opening balance as a receipt. */
export async function loadWorld(deps: AppDeps, seed: WorldSeed): Promise<ProvisionedWorld> {
  const world = await provisionWorld(deps, seed);
  await receiveAll(deps, seed.receipts, world);
  return world;
}

/**
 * Finishes a world whose structure is in place (provisionWorld is one transaction, so it is all there) but whose
 * receipts may stop part way. Returns false when the last receipt is already on the books: nothing to do.
 */
export async function resumeWorld(deps: AppDeps, seed: WorldSeed, countyId: number): Promise<boolean> {
  const last = seed.receipts.at(-1);
  if (!last) return false;
  const recorder = await users.loadActor(deps.database.db, last.recordedBy);
  const done =
    recorder !== null &&
    (await idempotencyKeys.find(deps.database.db, {
      countyId,
      userId: recorder.actor.userId,
      key: receiptKey(seed.receipts.length - 1),
    })) !== null;
  if (done) return false;
  await receiveAll(deps, seed.receipts, await placementOf(deps, seed, countyId));
  return true;
}

async function placementOf(deps: AppDeps, seed: WorldSeed, countyId: number): Promise<Placement> {
  const db = deps.database.db;
  const items = await catalogue.findItemsByCodes(db, [...new Set(seed.receipts.map((r) => r.itemCode))]);
  const depotIds = new Map<string, number>();
  for (const code of new Set(seed.receipts.map((r) => r.depotCode))) {
    const depot = await depots.findByCode(db, countyId, code);
    if (depot) depotIds.set(code, depot.id);
  }
  return { countyId, depotIds, itemIds: new Map(items.map((i) => [i.code, i.id])) };
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
