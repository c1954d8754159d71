import { Authorized, Ctx, Field, FieldResolver, ObjectType, Query, Resolver, Root } from "type-graphql";
import type { Role } from "../../../domain/custody/roles.js";
import type { Context } from "../../context.js";
import { RoleEnum } from "../../enums.js";
import { Depot } from "../depot/depot.type.js";
import { loadRegion } from "../region/region.resolver.js";
import { RoleGrant, User } from "./user.type.js";

@ObjectType({ description: "The signed-in user, with what they may do and where." })
export class Viewer {
  @Field(() => User, { description: "Who is signed in." })
  user!: User;

  @Field(() => [RoleEnum], { description: "Distinct roles held, in any region." })
  roles!: Role[];
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Authorized()
  @Query(() => Viewer, { description: "The signed-in user, their roles and scope." })
  me(@Ctx() ctx: Context): Viewer {
    const viewer = new Viewer();
    viewer.user = User.from(ctx.user!);
    viewer.roles = [...new Set(ctx.actor!.grants.map((g) => g.role))];
    return viewer;
  }

  @FieldResolver(() => [RoleGrant], { description: "Each role with the region it covers." })
  async grants(@Ctx() ctx: Context): Promise<RoleGrant[]> {
    return Promise.all(
      ctx.actor!.grants.map(async (g) => ({
        role: g.role,
        region: (await loadRegion(ctx, { countyId: g.countyId, id: g.regionId }))!,
      })),
    );
  }

  @FieldResolver(() => [Depot], { description: "Depots this user keeps (for keepers)." })
  async keptDepots(@Root() _viewer: Viewer, @Ctx() ctx: Context): Promise<Depot[]> {
    const rows = await ctx.loaders.depot.loadMany(
      ctx.actor!.keptDepots.map((d) => ({ countyId: d.countyId, id: d.depotId })),
    );
    return rows.flatMap((r) => (r && !(r instanceof Error) ? [Depot.from(r)] : []));
  }
}
