import type { Actor } from "../../domain/custody/actor.js";
import { decideNormSetting } from "../../domain/custody/policy.js";
import type { NormBasis } from "../../domain/coverage/norm.js";
import type { RegionLevel } from "../../domain/region/region.js";
import { DomainError } from "../../domain/shared/errors.js";
import { parseQuantity } from "../../domain/shared/quantity.js";
import type { Executor } from "../../db/client.js";
import { itemsWithScale } from "../catalogue.js";
import * as normWrites from "../../db/repositories/reserveNorms.writes.js";
import * as regions from "../../db/repositories/regions.js";
import type { AppDeps } from "../deps.js";
import { auditIn } from "../admin/command.js";
import { command } from "../command.js";
import { applyFloors } from "./floors.js";

export interface SetReserveNormInput {
  countyId: number;
  itemId: number;
  /** One region, or every region of a level of the county. */
  regionId?: number | null;
  level?: RegionLevel | null;
  basis: NormBasis;
  quantity: string;
  reserveFloor?: string | null;
  idempotencyKey?: string | null;
  /** Set only by a 台账 import: the county's administrator writes the file's norms while opening the books. */
  openingBooks?: boolean | null;
}

/**
 * County civil affairs sets how much of an item a region must hold (储备定额), absolute or per 1,000 residents, and
 * the reserve floor only a county-approved emergency may dip into. The floor lands on each affected region's own
 * depot, where allocation and issues enforce it; a level norm does not touch regions with a norm of their own.
 */
export function setReserveNorm(deps: AppDeps, actor: Actor, input: SetReserveNormInput) {
  return command(deps, actor, "setReserveNorm", input.countyId, input, async (tx, now) => {
    const { itemId, quantity, floor } = await checkedNorm(deps, tx, actor, input);
    const scope = {
      countyId: input.countyId,
      itemId,
      regionId: input.regionId ?? null,
      level: input.level ?? null,
    };
    const before = await normWrites.lockScope(tx, scope);
    const norm = await normWrites.upsert(tx, {
      ...scope,
      basis: input.basis,
      quantity,
      reserveFloor: floor,
      setBy: actor.userId,
      setAt: now,
    });
    // a norm is part of the county's set-up: who changed it, and from what, stays answerable (custody rule 7)
    const audit = auditIn(tx, actor, input.countyId, "setReserveNorm", now);
    await audit({ targetType: "ReserveNorm", targetId: norm.id, before, after: norm });
    await applyFloors(tx, input.countyId, itemId, (region) =>
      input.regionId != null ? region.id === input.regionId : region.level === input.level,
    );
    return norm;
  });
}

/** Who may set it, what it is of, where, and its figures in the item's unit, refused in this order. */
async function checkedNorm(deps: AppDeps, tx: Executor, actor: Actor, input: SetReserveNormInput) {
  const may = decideNormSetting(actor, input.countyId, input.openingBooks === true);
  if (!may.allowed) throw new DomainError("FORBIDDEN", may.reason, ["countyId"]);
  if ((input.regionId == null) === (input.level == null)) {
    throw new DomainError("INVALID_INPUT", "give either a region or a level", ["regionId"]);
  }
  const found = (await itemsWithScale(deps, tx, [input.itemId])).get(input.itemId);
  if (!found) throw new DomainError("NOT_FOUND", "item not found", ["itemId"]);
  const { item, unit } = found;
  // a per-1,000 rate may be finer than the unit: 1.5 tents per 1,000 residents
  const quantity = parseQuantity(input.quantity, input.basis === "ABSOLUTE" ? unit.scale : 3, ["quantity"]);
  const floor = parseQuantity(input.reserveFloor ?? "0", unit.scale, ["reserveFloor"], {
    allowZero: true,
  });
  const countyRegions = await regions.countyRegions(tx, input.countyId);
  if (input.regionId != null && !countyRegions.some((r) => r.id === input.regionId)) {
    throw new DomainError("NOT_FOUND", "region not found", ["regionId"]);
  }
  return { itemId: item.id, quantity, floor };
}
