import { unitScales } from "../catalogue.js";
import type { Actor } from "../../domain/custody/actor.js";
import { mergeLines } from "../../domain/requisition/allocation.js";
import type { Priority } from "../../domain/requisition/requisition.js";
import { assertRoute } from "../../domain/requisition/routing.js";
import { DomainError } from "../../domain/shared/errors.js";
import { parseQuantity } from "../../domain/shared/quantity.js";
import type { Executor } from "../../db/client.js";
import type { CountyKey } from "../../db/keys.js";
import * as depots from "../../db/repositories/depots.js";
import * as regions from "../../db/repositories/regions.js";
import type { AppDeps } from "../deps.js";
import { command } from "../command.js";
import { requireText } from "../stock/facts.js";
import { regionFacts, speaksFor } from "./facts.js";
import { openRequisition } from "./timeline.js";

export interface CreateRequisitionInput {
  requestingRegion: CountyKey;
  supplyingRegion: CountyKey;
  destinationDepot: CountyKey;
  priority: Priority;
  neededBy?: Date | null;
  reason: string;
  incident?: string | null;
  lines: { itemId: number; quantity: string }[];
  idempotencyKey?: string | null;
}

/**
 * A township office asks a neighbour or the county for supplies, delivered to one of its depots. The same item
 * twice is one line. The request starts as a draft; submitting sends it.
 */
export function createRequisition(deps: AppDeps, actor: Actor, input: CreateRequisitionInput) {
  const countyId = input.requestingRegion.countyId;
  return command(deps, actor, "createRequisition", countyId, input, async (tx, now) => {
    const { requester, supplier } = await routeOf(tx, actor, input);
    const destination = await destinationIn(tx, input.destinationDepot, requester);
    const lines = await requestedLines(deps, tx, input.lines);
    if (input.neededBy && Number.isNaN(input.neededBy.getTime())) {
      throw new DomainError("INVALID_INPUT", "not a valid time", ["neededBy"]);
    }
    return openRequisition(
      tx,
      {
        countyId,
        requestingRegionId: requester.id,
        supplyingRegionId: supplier.id,
        destinationDepotId: destination.id,
        priority: input.priority,
        status: "DRAFT",
        neededBy: input.neededBy ?? null,
        reason: requireText(input.reason, "reason", "a reason"),
        incident: input.incident?.trim() ?? "",
        createdBy: actor.userId,
        createdAt: now,
      },
      mergeLines(lines).map((l) => ({ itemId: l.itemId, requestedQuantity: l.quantity })),
      "created",
      actor,
    );
  });
}

/**
 * Who asks whom (custody rule 6): the actor must speak for the requesting region, and the supplier must be a
 * neighbour of it or its county. A region the actor does not speak for answers like one that does not exist.
 */
async function routeOf(tx: Executor, actor: Actor, input: CreateRequisitionInput) {
  const countyId = input.requestingRegion.countyId;
  const requester = await regionFacts(tx, input.requestingRegion, ["requestingRegionId"]);
  if (!speaksFor(actor, countyId, requester.id, requester.countyId)) {
    throw new DomainError("NOT_FOUND", "region not found", ["requestingRegionId"]);
  }
  if (input.supplyingRegion.countyId !== countyId) {
    throw new DomainError("ROUTE_NOT_ALLOWED", "requests across counties go through the county", [
      "supplyingRegionId",
    ]);
  }
  const supplier = await regionFacts(tx, input.supplyingRegion, ["supplyingRegionId"]);
  const links = await regions.findNeighbours(tx, [input.requestingRegion]);
  assertRoute({
    requester: { id: requester.id, level: requester.level, countyId },
    supplier: { id: supplier.id, level: supplier.level, countyId: supplier.countyId },
    neighbours: links.some((l) => l.neighbourId === supplier.id),
  });
  return { requester, supplier };
}

/** The depot delivered to lies within the requesting township; any other answers like a depot that does not exist. */
async function destinationIn(tx: Executor, key: CountyKey, requester: { id: number; countyId: number }) {
  const { countyId } = requester;
  const [destination] = await depots.findByKeys(tx, [key]);
  const lineage = destination && (await regions.findLineages(tx, [{ countyId, id: destination.regionId }]));
  if (
    !destination ||
    destination.countyId !== countyId ||
    !lineage?.get(`${countyId}:${destination.regionId}`)?.includes(requester.id)
  ) {
    throw new DomainError("NOT_FOUND", "no such depot in the requesting township", ["destinationDepotId"]);
  }
  return destination;
}

/** At least one line; each a known item, its quantity in the item's own unit. */
async function requestedLines(deps: AppDeps, tx: Executor, lines: CreateRequisitionInput["lines"]) {
  if (lines.length === 0) throw new DomainError("INVALID_INPUT", "ask for at least one item", ["lines"]);
  const scales = await unitScales(
    deps,
    tx,
    lines.map((l) => l.itemId),
  );
  return lines.map((l, i) => {
    const scale = scales.get(l.itemId);
    if (scale === undefined)
      throw new DomainError("NOT_FOUND", "item not found", ["lines", String(i), "itemId"]);
    return { itemId: l.itemId, quantity: parseQuantity(l.quantity, scale, ["lines", String(i), "quantity"]) };
  });
}
