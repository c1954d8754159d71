import { Arg, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import { createItem, createUnit, retireItem, updateItem } from "../../../app/admin/catalogue.js";
import type { ItemRow } from "../../../db/repositories/catalogue.js";
import type { Context } from "../../context.js";
import { expectCounty, expectPlainId } from "../../ids.js";
import { payload } from "../../payload.js";
import { Item, Unit } from "../catalogue/item.type.js";
import {
  CreateItemInput,
  CreateUnitInput,
  ItemPayload,
  RetireItemInput,
  UnitPayload,
  UpdateItemInput,
} from "./catalogue.inputs.js";

const county = (id: string | null | undefined) => (id ? expectCounty(id, "input.countyId") : null);
const item = (row: ItemRow) => ({ item: Item.from(row) });

/** The shared catalogue (物资目录): items and units, changed by county administrators and logged under their county. */
@Resolver()
export class CatalogueAdminResolver {
  @Authorized("COUNTY_ADMIN")
  @Mutation(() => ItemPayload, { description: "Add an item to the catalogue." })
  createItem(@Arg("input", () => CreateItemInput) input: CreateItemInput, @Ctx() ctx: Context) {
    return payload(
      () => createItem(ctx.deps, ctx.actor!, { ...input, countyId: county(input.countyId) }),
      item,
      {
        item: null,
      },
    );
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => ItemPayload, { description: "Change an item's names, category, classification or ageing." })
  updateItem(@Arg("input", () => UpdateItemInput) input: UpdateItemInput, @Ctx() ctx: Context) {
    const itemId = expectPlainId(input.itemId, "Item", "input.itemId");
    return payload(
      () => updateItem(ctx.deps, ctx.actor!, { ...input, itemId, countyId: county(input.countyId) }),
      item,
      { item: null },
    );
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => ItemPayload, {
    description: "Retire an item: no more receipts; its stock and history stay.",
  })
  retireItem(@Arg("input", () => RetireItemInput) input: RetireItemInput, @Ctx() ctx: Context) {
    const itemId = expectPlainId(input.itemId, "Item", "input.itemId");
    return payload(
      () => retireItem(ctx.deps, ctx.actor!, { ...input, itemId, countyId: county(input.countyId) }),
      item,
      { item: null },
    );
  }

  @Authorized("COUNTY_ADMIN")
  @Mutation(() => UnitPayload, { description: "Add a unit of measure." })
  createUnit(@Arg("input", () => CreateUnitInput) input: CreateUnitInput, @Ctx() ctx: Context) {
    return payload(
      () => createUnit(ctx.deps, ctx.actor!, { ...input, countyId: county(input.countyId) }),
      (u) => ({ unit: Unit.from(u) }),
      { unit: null },
    );
  }
}
