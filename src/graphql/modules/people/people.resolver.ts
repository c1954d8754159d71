import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { grantRole, revokeRole } from "../../../app/admin/grants.js";
import { createUser, disableUser, enableUser, resetPassword, updateUser } from "../../../app/admin/people.js";
import * as users from "../../../db/repositories/users.js";
import type { Actor } from "../../../domain/custody/actor.js";
import type { Context } from "../../context.js";
import { expectCounty, expectCountyKey, expectPlainId, fromGlobalId } from "../../ids.js";
import { payload } from "../../payload.js";
import { PageArgs, toConnection, toPageRequest } from "../../relay.js";
import { loadRegion } from "../region/region.resolver.js";
import { RoleGrant, User } from "../viewer/user.type.js";
import {
  CreateUserInput,
  DisableUserInput,
  RoleGrantInput,
  UpdateUserInput,
  UserFilter,
  UserStepInput,
} from "./people.inputs.js";
import { CreateUserPayload, ResetPasswordPayload, UserConnection, UserPayload } from "./people.type.js";

/** Counties whose people the actor may read: as administrator, county officer or auditor there. */
const peopleCounties = (actor: Actor): number[] => [
  ...new Set(
    actor.grants
      .filter((g) => g.role === "COUNTY_ADMIN" || g.role === "COUNTY_OFFICER" || g.role === "AUDITOR")
      .map((g) => g.countyId),
  ),
];

const userId = (id: string) => expectPlainId(id, "User", "input.userId");
const userShape = (row: users.UserRow) => ({ user: User.from(row) });
const refused = { user: null };

@Resolver(() => User)
export class PeopleResolver {
  @Authorized("COUNTY_ADMIN", "COUNTY_OFFICER", "AUDITOR")
  @Query(() => UserConnection, {
    description:
      "People of the counties the viewer administers, or reads as county officer or auditor, in the order they were created.",
  })
  async users(
    @Ctx() ctx: Context,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("filter", () => UserFilter, { nullable: true, description: "Narrows the list." })
    filter: UserFilter | null,
  ) {
    let counties = peopleCounties(ctx.actor!);
    if (filter?.countyId) {
      const wanted = expectCounty(filter.countyId, "filter.countyId");
      counties = counties.filter((c) => c === wanted);
    }
    const rows = await users.list(
      ctx.deps.database.db,
      {
        countyIds: counties,
        search: filter?.search?.trim() || undefined,
        includeDisabled: filter?.includeDisabled ?? false,
      },
      toPageRequest(page),
    );
    return toConnection(rows, User.from);
  }

  @Authorized("COUNTY_ADMIN", "COUNTY_OFFICER", "AUDITOR")
  @Query(() => User, {
    nullable: true,
    description: "A person of a county the viewer reads people of; null otherwise, as if they did not exist.",
  })
  async user(@Arg("id", () => ID, { description: "The person." }) id: string, @Ctx() ctx: Context) {
    const decoded = fromGlobalId(id);
    if (!decoded || decoded.type !== "User" || decoded.countyId !== null) return null;
    const row = await ctx.loaders.user.load(decoded.id);
    return row && row.homeCountyId !== null && peopleCounties(ctx.actor!).includes(row.homeCountyId)
      ? User.from(row)
      : null;
  }

  @FieldResolver(() => [RoleGrant], {
    description:
      "Roles held and the regions they cover: all of them for the person themselves, otherwise those in counties the viewer reads people of.",
  })
  async grants(@Root() user: User, @Ctx() ctx: Context): Promise<RoleGrant[]> {
    const counties = peopleCounties(ctx.actor!);
    const own = ctx.actor!.userId === user.userId;
    const rows = (await ctx.loaders.userGrants.load(user.userId)).filter(
      (g) => own || counties.includes(g.countyId),
    );
    const grants = await Promise.all(
      rows.map(async (g) => ({
        role: g.role,
        region: await loadRegion(ctx, { countyId: g.countyId, id: g.regionId }),
      })),
    );
    return grants.flatMap((g) => (g.region ? [{ role: g.role, region: g.region }] : []));
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => CreateUserPayload, {
    description:
      "Add a person to the county, with a one-time password they change at first sign-in. Grant roles with grantRole.",
  })
  createUser(@Arg("input", () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: Context) {
    return payload(
      () =>
        createUser(
          ctx.deps,
          ctx.actor!,
          { ...input, countyId: expectCounty(input.countyId, "input.countyId") },
          { passwordless: ctx.tokens.jwks !== null },
        ),
      (r) => ({ user: User.from(r.user), oneTimePassword: r.oneTimePassword }),
      { user: null, oneTimePassword: null },
    );
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => UserPayload, { description: "Change a person's name, organisation or phone." })
  updateUser(@Arg("input", () => UpdateUserInput) input: UpdateUserInput, @Ctx() ctx: Context) {
    return payload(
      () => updateUser(ctx.deps, ctx.actor!, { ...input, userId: userId(input.userId) }),
      userShape,
      refused,
    );
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => UserPayload, {
    description:
      "Stop a person signing in; their sessions end and their tokens are refused. Never the county's last active administrator.",
  })
  disableUser(@Arg("input", () => DisableUserInput) input: DisableUserInput, @Ctx() ctx: Context) {
    return payload(
      () => disableUser(ctx.deps, ctx.actor!, { ...input, userId: userId(input.userId) }),
      userShape,
      refused,
    );
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => UserPayload, { description: "Let a disabled person sign in again." })
  enableUser(@Arg("input", () => UserStepInput) input: UserStepInput, @Ctx() ctx: Context) {
    return payload(
      () => enableUser(ctx.deps, ctx.actor!, { ...input, userId: userId(input.userId) }),
      userShape,
      refused,
    );
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => ResetPasswordPayload, {
    description:
      "Give a person a new one-time password; their sessions end. Not for oneself: use changePassword.",
  })
  resetPassword(@Arg("input", () => UserStepInput) input: UserStepInput, @Ctx() ctx: Context) {
    return payload(
      () => resetPassword(ctx.deps, ctx.actor!, { ...input, userId: userId(input.userId) }),
      (r) => ({ user: User.from(r.user), oneTimePassword: r.oneTimePassword }),
      { user: null, oneTimePassword: null },
    );
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => UserPayload, {
    description:
      "Give a person of the county a role over one of its regions. Never to oneself. Depots are assigned to keepers with assignKeeper.",
  })
  grantRole(@Arg("input", () => RoleGrantInput) input: RoleGrantInput, @Ctx() ctx: Context) {
    return payload(
      () => grantRole(ctx.deps, ctx.actor!, grantInput(input)).then(this.reload(ctx)),
      userShape,
      refused,
    );
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => UserPayload, {
    description: "Take a role away. Never one's own, never the last active administrator's.",
  })
  revokeRole(@Arg("input", () => RoleGrantInput) input: RoleGrantInput, @Ctx() ctx: Context) {
    return payload(
      () => revokeRole(ctx.deps, ctx.actor!, grantInput(input)).then(this.reload(ctx)),
      userShape,
      refused,
    );
  }

  private reload(ctx: Context) {
    return async (id: number) => (await users.findById(ctx.deps.database.db, id))!;
  }
}

const grantInput = (input: RoleGrantInput) => ({
  ...input,
  userId: userId(input.userId),
  region: expectCountyKey(input.regionId, "Region", "input.regionId"),
});
