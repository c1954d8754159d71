import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import * as catalogue from "../../../db/repositories/catalogue.js";
import type { ItemCategory } from "../../../domain/catalogue/item.js";
import type { Context } from "../../context.js";
import { ItemCategoryEnum } from "../../enums.js";
import { expectPlainId } from "../../ids.js";
import { PageArgs, toConnection, toPageRequest } from "../../relay.js";
import { Item, ItemConnection, Unit } from "./item.type.js";

@Resolver(() => Item)
export class ItemResolver {
  @Authorized()
  @Query(() => ItemConnection, { description: "The catalogue, in a stable order." })
  async items(
    @Args(() => PageArgs) page: PageArgs,
    @Arg("category", () => ItemCategoryEnum, { nullable: true, description: "Only items of this category." })
    category: ItemCategory | null,
    @Ctx() ctx: Context,
  ): Promise<ItemConnection> {
    const rows = await catalogue.listItems(
      ctx.deps.database.db,
      { category: category ?? undefined },
      toPageRequest(page),
    );
    for (const row of rows.rows) ctx.loaders.item.prime(row.id, row);
    return toConnection(rows, Item.from);
  }

  @Authorized()
  @Query(() => Item, { nullable: true, description: "One catalogue item, or null." })
  async item(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Item | null> {
    const row = await ctx.loaders.item.load(expectPlainId(id, "Item", "id"));
    return row && Item.from(row);
  }

  @FieldResolver(() => Unit, { description: "Unit quantities of this item are counted in." })
  async unit(@Root() item: Item, @Ctx() ctx: Context): Promise<Unit> {
    return Unit.from((await ctx.loaders.unit.load(item.unitCode))!);
  }
}
