import type { CountyKey } from "../../db/keys.js";
import * as regions from "../../db/repositories/regions.js";
import * as userWrites from "../../db/repositories/users.writes.js";
import * as users from "../../db/repositories/users.js";
import {
  checkGrantScope,
  refuseLosingLastAdministrator,
  refuseSelfAdministration,
} from "../../domain/account/account.js";
import type { Actor } from "../../domain/custody/actor.js";
import type { Role } from "../../domain/custody/roles.js";
import { DomainError } from "../../domain/shared/errors.js";
import type { AppDeps } from "../deps.js";
import { adminCommand } from "./command.js";
import { lockUserOf } from "./people.js";

export interface GrantInput {
  userId: number;
  role: Role;
  region: CountyKey;
  idempotencyKey?: string | null | undefined;
}

const OWN_GRANTS = "an administrator never changes their own grants; ask another administrator";

const grantsOf = async (tx: Parameters<typeof users.findGrants>[0], userId: number) =>
  (await users.findGrants(tx, [userId])).map((g) => ({
    countyId: g.countyId,
    role: g.role,
    regionId: g.regionId,
  }));

/**
 * grantRole: a role over a region of the administrator's county, to a person of that county. A region or a
 * person of another county is NOT_FOUND, exactly as if it did not exist. Granting what is already held changes
 * nothing and writes nothing.
 */
export async function grantRole(deps: AppDeps, actor: Actor, input: GrantInput): Promise<number> {
  const countyId = input.region.countyId;
  return adminCommand(
    deps,
    actor,
    "grantRole",
    countyId,
    input,
    { actors: true },
    async (tx, _now, audit) => {
      refuseSelfAdministration(actor.userId, input.userId, OWN_GRANTS);
      const [region] = await regions.findByKeys(tx, [input.region]);
      if (!region) throw new DomainError("NOT_FOUND", "no such region", ["regionId"]);
      checkGrantScope(input.role, region.level);
      const user = await lockUserOf(tx, countyId, input.userId);
      const before = await grantsOf(tx, user.id);
      if (before.some((g) => g.countyId === countyId && g.role === input.role && g.regionId === region.id))
        return user.id;
      await userWrites.grant(tx, { countyId, userId: user.id, role: input.role, regionId: region.id });
      await audit({
        targetType: "User",
        targetId: user.id,
        before: { grants: before },
        after: { grants: await grantsOf(tx, user.id) },
      });
      return user.id;
    },
  );
}

/** revokeRole: never one's own, never the county's last active administrator's COUNTY_ADMIN. */
export async function revokeRole(deps: AppDeps, actor: Actor, input: GrantInput): Promise<number> {
  const countyId = input.region.countyId;
  return adminCommand(
    deps,
    actor,
    "revokeRole",
    countyId,
    input,
    { actors: true },
    async (tx, _now, audit) => {
      refuseSelfAdministration(actor.userId, input.userId, OWN_GRANTS);
      const admins = await userWrites.lockActiveAdministrators(tx, countyId);
      if (!admins.includes(actor.userId)) throw new DomainError("NOT_FOUND", "no such county", null);
      const user = await lockUserOf(tx, countyId, input.userId);
      const before = await grantsOf(tx, user.id);
      if (input.role === "COUNTY_ADMIN") {
        const remaining = before.filter((g) => g.role === "COUNTY_ADMIN" && g.countyId === countyId);
        refuseLosingLastAdministrator(admins, user.id, remaining.length === 1);
      }
      const removed = await userWrites.revokeGrant(tx, {
        countyId,
        userId: user.id,
        role: input.role,
        regionId: input.region.id,
      });
      if (!removed) throw new DomainError("NOT_FOUND", "this user holds no such grant", ["role"]);
      await audit({
        targetType: "User",
        targetId: user.id,
        before: { grants: before },
        after: { grants: await grantsOf(tx, user.id) },
      });
      return user.id;
    },
  );
}
